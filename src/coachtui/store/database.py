"""The SQLite store: the connection, opening and migrating, and the queries
the app and CLI share (the schema itself is in `schema.py`).

One file per manager, opened in WAL mode with a busy timeout and foreign keys
on. The schema is versioned with `PRAGMA user_version`; opening an older file
copies it aside (SQLite's online backup) and then migrates it in one
transaction. A file that is not a coachtui database is never touched.

Nothing heavy loads here: the app opens the store and paints the roster
before polars or sqlite-utils are imported (sqlite-utils loads on the first
write; the deals are read into polars frames by `coachtui.review.frames`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import time
from collections import Counter
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from coachtui.errors import StoreError
from coachtui.paths import create_private_file, private_place
from coachtui.store import integrity
from coachtui.store.schema import MIGRATIONS, SCHEMA_VERSION
from coachtui.store.scratch import remove_leftover_scratch

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
)
APPLICATION_ID = 0x436F4163  # "CoAc": marks the file as ours in its header
# the oldest SQLite coachtui runs on: the schema drops a column (3.35)
SQLITE_NEEDED = (3, 35, 0)


def sqlite_too_old() -> str | None:
    """Why this Python's SQLite cannot hold a coachtui database, if it cannot."""
    if sqlite3.sqlite_version_info >= SQLITE_NEEDED:
        return None
    needed = ".".join(map(str, SQLITE_NEEDED[:2]))
    return (
        f"coachtui needs SQLite {needed} or newer, and this Python's sqlite3 module "
        f"uses SQLite {sqlite3.sqlite_version}; nothing was changed. Run coachtui "
        "with a Python whose sqlite3 uses a newer one (python3 -c 'import sqlite3; "
        "print(sqlite3.sqlite_version)' says which)"
    )


def busy_timeout() -> str:
    """The pragma of the busy timeout, read when asked: a test or a worker
    that sets a shorter wait gets it on its next connection."""
    return f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"


def pragmas() -> tuple[str, ...]:
    """Every pragma a coachtui connection starts with."""
    return (busy_timeout(), *PRAGMAS)


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection with the pragmas every coachtui connection uses.

    Autocommit (`isolation_level=None`): transactions are explicit, so no
    implicit transaction ever holds the write lock between two keystrokes.
    """
    target = f"file:{quote(str(path.absolute()))}?mode=ro" if read_only else str(path)
    conn = sqlite3.connect(
        target,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
        uri=read_only,
    )
    for pragma in pragmas():
        conn.execute(pragma)
    return conn


PIPELINE_ORDER = """
    SELECT stage, status FROM stages
    ORDER BY sort_order IS NULL, sort_order, preset_rank IS NULL, preset_rank, first_seen
"""

LAST_IMPORT = "SELECT id, imported_at FROM import_log ORDER BY id DESC LIMIT 1 OFFSET ?"


def import_mark(row: tuple | None) -> str:
    """The mark of the CRM data's version, from a row of LAST_IMPORT."""
    return f"{row[0]} {row[1]}" if row else "none"


# how many of this process's stores have each database file open, by its real path
_OPEN: Counter[str] = Counter()


class Store:
    """An open coachtui database."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False) -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only
        self.created = False  # this open made the file
        self._key: str | None = os.path.realpath(path)
        _OPEN[self._key] += 1

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for schema changes and upserts."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating or migrating as needed) the database at `path`.

        The folder must be the user's alone, and the file a regular file of
        the user's (a new one is created 0600, never through a link). Its mode
        is never changed: a file without write permission is opened read-only,
        and any write to it refused (`require_writable`).
        """
        path = Path(path)
        too_old = sqlite_too_old()
        if too_old:
            raise StoreError(too_old)
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file")
        private_place(path, "--db")
        created = False
        with contextlib.suppress(FileExistsError):  # there already: checked above
            create_private_file(path).close()
            created = True
        remove_leftover_scratch(path)  # CRM rows a killed import left beside it
        info = path.stat()
        read_only = not (info.st_mode & stat.S_IWUSR and os.access(path, os.W_OK))
        conn = store = None
        try:
            conn = connect(path, read_only)
            store = cls(path, conn, read_only)
            store.created = created
            store._check_identity()
            integrity.verify(conn, path)
            store._use_wal()
            store._migrate()
        except BaseException as exc:
            if conn is not None:
                conn.close()
            if store is not None:
                store._forget()
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(_refusal(path, exc)) from None
            raise
        return store

    @classmethod
    def for_worker(cls, path: Path, read_only: bool = False) -> Store:
        """One more connection to a database `open` has checked and migrated
        already, for a worker thread: the pragmas only, no identity or
        integrity check, migration or chmod."""
        return cls(Path(path), connect(path, read_only), read_only)

    def _use_wal(self) -> None:
        """WAL mode (readers never wait for the writer), kept in the file.

        SQLite turns it on by reading the header, then writing it: when
        another process took the write lock in between (it too opening a new
        file, say), SQLite says busy at once instead of waiting, to avoid a
        deadlock. Waiting is safe here (no lock is held between tries), so
        the switch is tried again until the busy timeout is spent.
        """
        if self.read_only or self.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            return
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as exc:
                if integrity.error_code(exc) not in integrity.BUSY or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        integrity.remember(self.path)  # checked just before: our own change

    def close(self) -> None:
        """Close; the last connection to close writes the WAL into the file,
        so a file known good before is recorded again after."""
        self._forget()
        self._close_connection()

    def _close_connection(self) -> None:
        known_good = not self.read_only and integrity.known_good(self.path)
        self.conn.close()
        if known_good:
            integrity.remember(self.path)

    def _forget(self) -> None:
        if self._key is not None:  # (closing twice counts once)
            _OPEN[self._key] -= 1
            if not _OPEN[self._key]:
                del _OPEN[self._key]
            self._key = None

    def alone(self) -> bool:
        """No other store of this process has the file open."""
        return self._key is not None and _OPEN[self._key] == 1

    @contextlib.contextmanager
    def released(self) -> Iterator[None]:
        """The connection closed for the length of the block, then opened again:
        for a writer that brings its own copy of SQLite (ADBC). Two copies of
        SQLite with the same file open in one process break each other's
        locks, so this store must be the process's only one on the file."""
        if not self.alone():
            raise StoreError(f"{self.path} is open elsewhere in this process")
        self._close_connection()
        self.__dict__.pop("db", None)  # sqlite-utils over the closed connection
        try:
            yield
        finally:
            self.conn = connect(self.path, self.read_only)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextlib.contextmanager
    def write(self, commit: bool = True) -> Iterator[sqlite_utils.Database]:
        """One write transaction, taking the write lock up front.

        `BEGIN IMMEDIATE` waits (busy timeout) for another writer instead of
        failing later with "database is locked" when a read turns into a write.
        With `commit=False` everything is rolled back at the end (a dry run).
        A file known good before the write is recorded as such after it.
        """
        self.require_writable()
        self.conn.execute("BEGIN IMMEDIATE")
        known_good = integrity.known_good(self.path)
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT" if commit else "ROLLBACK")
        if known_good:
            integrity.remember(self.path)

    def require_writable(self) -> None:
        """Raise StoreError when the file is read-only (its mode says so)."""
        if self.read_only:
            mode = stat.S_IMODE(self.path.stat().st_mode)
            raise StoreError(
                f"{self.path} is read-only (mode {mode:o}): coachtui reads it but does not "
                f"change it, and nothing was changed. To write to it: chmod u+w '{self.path}'"
            )

    def _check_identity(self) -> None:
        """Refuse, before writing a byte, a file that is not ours or too new."""
        version = self.schema_version
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        has_tables = bool(
            self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone()
        )
        if app_id != APPLICATION_ID and (has_tables or version):
            raise sqlite3.DatabaseError("it holds tables that coachtui did not create")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer coachtui (schema {version}, this one "
                f"knows {SCHEMA_VERSION}). Upgrade coachtui; the file was left as it is."
            )

    def _migrate(self) -> None:
        """Set up a new file, or upgrade an older one after copying it aside.

        The version is read again inside the write transaction: another
        process may have set up or upgraded the file in the meantime.
        """
        version = self.schema_version
        if version == SCHEMA_VERSION:
            return
        self.require_writable()  # it needs an upgrade, or setting up when new
        if version:
            self.backup(self._free_name(f"{self.path.name}.schema-v{version}", ".bak"))
        with self.write() as db:
            version = self.schema_version
            for migration in MIGRATIONS[version:]:
                migration(db)
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _free_name(self, stem: str, suffix: str) -> Path:
        """`stem + suffix` next to the database, or `stem.2 + suffix`... when taken."""
        target, n = self.path.with_name(stem + suffix), 1
        while target.exists() or target.is_symlink():
            n += 1
            target = self.path.with_name(f"{stem}.{n}{suffix}")
        return target

    def backup(self, target: Path) -> Path:
        """A consistent copy of the database (SQLite's online backup), 0600,
        in a new file: never over an existing one, never through a link, and
        nothing left when the copy fails."""
        private_place(target, "the backup path")
        try:
            create_private_file(target).close()
        except FileExistsError:
            raise StoreError(
                f"{target} exists already; pick a new name, nothing was written"
            ) from None
        copy = None
        try:
            copy = sqlite3.connect(target)
            self.conn.backup(copy)
        except BaseException as exc:  # (ctrl+c too)
            if copy is not None:
                copy.close()
            remove_database(target)  # no half copy: the same name works next time
            if not isinstance(exc, (sqlite3.Error, OSError)):
                raise
            raise StoreError(
                f"the backup to {target} failed ({exc}); the partial copy was removed. "
                "Free some space (or pick another place) and try again"
            ) from None
        copy.close()
        return target

    # -- meta -------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as db:
            db["meta"].upsert({"key": key, "value": value}, pk="key")

    # -- queries ------------------------------------------------------------

    def pipeline(self) -> list[tuple[str, str]]:
        """(stage, status) in pipeline order: the file's own stage order, then the
        CRM's default pipeline, then first appearance."""
        return self.conn.execute(PIPELINE_ORDER).fetchall()

    def deal_names(self, deal_ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
        """deal_id -> (name, account), for the few deals a screen lists."""
        marks = ", ".join("?" for _ in deal_ids)
        rows = self.conn.execute(
            f"SELECT deal_id, name, account FROM deals WHERE deal_id IN ({marks})", deal_ids
        )
        return {deal_id: (name, account) for deal_id, name, account in rows}

    def last_import(self, before: int = 0) -> str:
        """The last import, as a mark of the CRM data's version: every import
        (deals, reps, history, activities) is logged, and nothing else writes
        that data. `before=1`: the import before the last."""
        return import_mark(self.conn.execute(LAST_IMPORT, (before,)).fetchone())

    def last_imported(self, kind: str) -> dt.date | None:
        """The day of the last import of this kind (deals, reps, ...); None: never."""
        (moment,) = self.conn.execute(
            "SELECT MAX(imported_at) FROM import_log WHERE kind = ?", (kind,)
        ).fetchone()
        return dt.date.fromisoformat(moment[:10]) if moment else None

    def known_reps(self, coached: bool = False) -> list[str]:
        """The reps of the CRM's reps and deals, and with `coached` those of
        the coaching sessions too (a rep gone from the exports was coached)."""
        coached_too = " UNION SELECT rep FROM coaching_sessions" if coached else ""
        rows = self.conn.execute(
            f"SELECT rep FROM reps UNION SELECT rep FROM deals{coached_too} ORDER BY 1"
        )
        return [rep for (rep,) in rows]

    def managers(self) -> list[str]:
        """The managers the reps' export names."""
        rows = self.conn.execute(
            "SELECT DISTINCT manager FROM reps WHERE nullif(manager, '') IS NOT NULL ORDER BY 1"
        )
        return [manager for (manager,) in rows]


def remove_database(path: Path) -> None:
    """Delete a (closed) database file and SQLite's files beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _refusal(path: Path, exc: sqlite3.DatabaseError) -> str:
    """Why a file could not be opened: not ours (not SQLite, or another
    app's), or what `integrity.damaged` says (busy, damaged...)."""
    if integrity.error_code(exc) in (0, integrity.NOT_A_DATABASE):
        return (
            f"{path} is not a coachtui database ({exc}). It was left as it is; "
            "point --db at another file, or restore it from a backup."
        )
    return integrity.damaged(path, exc)
