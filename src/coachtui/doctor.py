"""Keeping the database safe: consistent backups and `coachtui doctor`."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from coachtui.coaching.playbook import load_playbook
from coachtui.paths import cache_dir, data_dir, file_problem, folder_problem
from coachtui.settings import (
    ANSI_THEMES,
    MIN_HEIGHT,
    MIN_WIDTH,
    config_path,
    load_settings,
    playbook_path,
    sixteen_colours,
)
from coachtui.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Store,
    StoreError,
    connect,
    sqlite_too_old,
)
from coachtui.store.scratch import leftover_scratch


def backups_dir() -> Path:
    return data_dir() / "backups"


def backup(db_path: Path, target: Path | None = None) -> Path:
    """A consistent copy (SQLite's online backup) while the app may be writing.

    The copy is 0600 in a 0700 folder; an existing file is never overwritten.
    """
    target = target or backups_dir() / f"coachtui-{dt.datetime.now():%Y%m%d-%H%M%S}.db"
    if not db_path.exists():
        raise StoreError(f"there is no database at {db_path} to back up")
    with Store.open(db_path) as store:
        return store.backup(target)


@dataclass(frozen=True)
class Finding:
    ok: bool
    topic: str
    message: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FIX '} {self.topic}: {self.message}"


def _private(path: Path, wanted: int) -> Finding | None:
    if not path.exists():
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return Finding(
            False,
            "permissions",
            f"{path} is {mode:o}, readable by others: chmod {wanted:o} '{path}'",
        )
    return Finding(True, "permissions", f"{path} is {mode:o}")


SQLITE_HEADER = b"SQLite format 3\x00"


def _marked_ours(db_path: Path) -> bool:
    """The file's header says SQLite and coachtui (its application id), even
    when SQLite cannot read the rest."""
    with open(db_path, "rb") as file:
        header = file.read(72)
    return header[:16] == SQLITE_HEADER and int.from_bytes(header[68:72]) == APPLICATION_ID


def _not_ours(db_path: Path, why: object) -> list[Finding]:
    """Another file: said so, and left alone (no backup is suggested over it)."""
    return [
        Finding(
            False,
            "database",
            f"{db_path} is not a coachtui database ({why}); coachtui leaves it alone: "
            "point --db at your coachtui database",
        )
    ]


def _schema(version: int) -> Finding:
    if version > SCHEMA_VERSION:
        return Finding(
            False,
            "schema",
            f"version {version} is newer than this coachtui ({SCHEMA_VERSION}): upgrade coachtui",
        )
    if version < SCHEMA_VERSION:
        return Finding(
            True,
            "schema",
            f"version {version}; the next start upgrades it "
            f"to {SCHEMA_VERSION} after copying it aside",
        )
    return Finding(True, "schema", f"version {version}, current")


def check_sqlite() -> Finding:
    """Whether this Python's SQLite can hold a coachtui database."""
    too_old = sqlite_too_old()
    if too_old:
        return Finding(False, "sqlite", too_old)
    return Finding(True, "sqlite", f"version {sqlite3.sqlite_version}")


def check_database(db_path: Path) -> list[Finding]:
    if not os.path.lexists(db_path):
        return [
            Finding(True, "database", f"none yet at {db_path}: coachtui import or coachtui demo")
        ]
    # opened only where every command would open it: not through a link, not
    # a pipe (opening one waits for a writer), not in a folder others write to
    unsafe = file_problem(db_path)
    if unsafe is None and folder_problem(db_path.parent, "--db"):
        unsafe = f"its folder {db_path.parent} is not yours alone (see folders)"
    if unsafe is not None:
        return [Finding(False, "database", f"not opened: {unsafe}")]
    restore = (
        f"restore a backup from {backups_dir()} (cp BACKUP '{db_path}') "
        "or point --db at another file"
    )
    try:
        conn = connect(db_path, read_only=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
            integrity = [row[0] for row in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if not _marked_ours(db_path):
            return _not_ours(db_path, exc)
        return [Finding(False, "database", f"{db_path} cannot be read ({exc}): {restore}")]
    if app_id != APPLICATION_ID and (tables or version):
        return _not_ours(db_path, "it holds tables that coachtui did not create")
    findings = []
    if integrity != ["ok"]:
        findings.append(
            Finding(False, "integrity", f"{db_path} is damaged ({integrity[0]}): {restore}")
        )
    else:
        findings.append(Finding(True, "integrity", f"{db_path} passes SQLite's check"))
    findings.append(_schema(version))
    for path, wanted in (
        (db_path.parent, 0o700),
        (db_path, 0o600),
        (db_path.with_name(db_path.name + "-wal"), 0o600),
        (db_path.with_name(db_path.name + "-shm"), 0o600),
    ):
        finding = _private(path, wanted)
        if finding is not None:
            findings.append(finding)
    return findings


def check_scratch(db_path: Path) -> list[Finding]:
    """Scratch files of imports that were killed: CRM rows beside the database."""
    return [
        Finding(
            False,
            "scratch",
            f"{scratch} was left by an import that was stopped ({scratch.stat().st_size:,} "
            f"bytes of CRM rows); the next coachtui command removes it, or: rm '{scratch}'",
        )
        for scratch in leftover_scratch(db_path)
    ]


def check_folders(db_path: Path) -> list[Finding]:
    """The folders coachtui keeps files in: each the user's alone, the
    cache's own folders too (kept deals and numbers: one not the user's
    alone is passed over, and every command computes them again)."""
    findings = []
    cache = cache_dir()
    kept = sorted(folder for folder in cache.iterdir() if folder.is_dir()) if cache.is_dir() else []
    for folder, setting in (
        (data_dir(), "XDG_DATA_HOME"),
        (cache, "XDG_CACHE_HOME"),
        *((folder, "XDG_CACHE_HOME") for folder in kept),
        (config_path().parent, "XDG_CONFIG_HOME"),
        (db_path.parent, "--db"),
    ):
        problem = folder_problem(folder, setting) if folder.is_dir() else None
        if problem is not None:
            findings.append(Finding(False, "folders", problem))
    return findings or [Finding(True, "folders", "yours alone")]


def check_configuration() -> list[Finding]:
    path = config_path()
    _settings, problems = load_settings(path)
    findings = [
        Finding(False, "configuration", problem)
        for problem in problems
        if problem != "using the defaults"
    ]
    if not findings:
        state = "valid" if path.exists() else "not present (defaults in use)"
        findings.append(Finding(True, "configuration", f"{path} {state}"))
    _playbook, playbook_problems = load_playbook(playbook_path())
    findings += [Finding(False, "playbook", problem) for problem in playbook_problems]
    return findings


def check_terminal(
    environ: os._Environ | dict = os.environ, theme: str | None = None
) -> list[Finding]:
    """TERM, the window's size, and what the colours will look like: `theme`
    is the one config.toml names."""
    term = environ.get("TERM", "")
    findings = []
    if not term or term == "dumb":
        findings.append(
            Finding(
                False,
                "terminal",
                f"TERM is {term or 'unset'}: export TERM=xterm-256color (or linux on a console)",
            )
        )
    else:
        colours = ": 16 colours, the ANSI theme" if sixteen_colours(environ) else ""
        findings.append(Finding(True, "terminal", f"TERM={term}{colours}"))
    size = shutil.get_terminal_size((0, 0))
    if size.columns and (size.columns < MIN_WIDTH or size.lines < MIN_HEIGHT):
        findings.append(
            Finding(
                False,
                "terminal",
                f"{size.columns}x{size.lines} is too small: "
                f"make the window at least {MIN_WIDTH}x{MIN_HEIGHT}",
            )
        )
    findings += _colours(environ, theme)
    if environ.get("TMUX") or environ.get("STY"):
        findings.append(
            Finding(
                True,
                "terminal",
                "inside tmux or screen: if Home/End do not "
                "reach coachtui, use g/G; F10 ends a session, ctrl+g too",
            )
        )
    return findings


def _colours(environ: os._Environ | dict, theme: str | None) -> list[Finding]:
    if "NO_COLOR" in environ:
        return [
            Finding(
                True,
                "terminal",
                "NO_COLOR is set: text in the terminal's own colours; the highlighted "
                "row in reverse, below-team cells bold with their ▼",
            )
        ]
    if theme and theme not in ANSI_THEMES and sixteen_colours(environ):
        return [
            Finding(
                False,
                "terminal",
                f"theme {theme!r} squeezed into the 16 colours of TERM={environ['TERM']}: "
                f"its text and ground can run together; set theme = {ANSI_THEMES[0]!r} in "
                "config.toml, or remove it",
            )
        ]
    return []


def doctor(db_path: Path) -> list[Finding]:
    settings, _problems = load_settings(config_path())
    return [
        *check_folders(db_path),
        check_sqlite(),
        *check_database(db_path),
        *check_scratch(db_path),
        *check_configuration(),
        *check_terminal(theme=settings.theme),
    ]
