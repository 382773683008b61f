"""Backups while the app writes, doctor on healthy, damaged and open files, config."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys

from coachtui.coaching import sessions as coaching
from coachtui.store import SCHEMA_VERSION, Store
from tests.command_line import coachtui, coachtui_here
from tests.conftest import file_at_version, settle

WRITER = """
import select, sys
from pathlib import Path
from coachtui.coaching import sessions as coaching
from coachtui.store import Store
with Store.open(Path(sys.argv[1])) as store:
    session = coaching.start_or_resume(store, "Ava", None)
    n = 0
    while not select.select([sys.stdin], [], [], 0)[0]:  # until the test closes stdin
        coaching.save_question(store, session.id, f"q{n}", text="x" * 2000)
        n += 1
        if n == 1:
            print("writing", flush=True)
print(n)
"""


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backup_while_another_process_writes(tmp_path, private_home):
    db = tmp_path / "team.db"
    Store.open(db).close()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "writing"
    result = coachtui_here("backup", "--db", str(db))
    written = int(writer.communicate(timeout=60)[0].strip())
    assert result.returncode == 0, result.stderr
    target = result.stdout.strip().removeprefix("backed up to ")
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
    copied = copy.execute("SELECT COUNT(*) FROM question_notes").fetchone()[0]
    copy.close()
    assert 0 < copied <= written
    backup_file = private_home / "xdg_data_home" / "coachtui" / "backups"
    assert mode(backup_file) == 0o700
    assert all(mode(f) == 0o600 for f in backup_file.iterdir())
    again = coachtui_here("backup", target, "--db", str(db))
    assert again.returncode == 2 and "exists already" in again.stderr


def test_doctor_on_a_healthy_database(store):
    coaching.start_or_resume(store, "Ava", None)
    result = coachtui_here("doctor", "--db", str(store.path))
    assert result.returncode == 0, result.stdout
    assert "ok   integrity" in result.stdout
    assert f"ok   sqlite: version {sqlite3.sqlite_version}" in result.stdout
    assert f"ok   schema: version {SCHEMA_VERSION}, current" in result.stdout


def test_doctor_on_an_older_database_names_the_version_it_will_reach(store):
    from coachtui.doctor import check_database

    store.conn.execute("PRAGMA user_version = 1")
    schema = [f.line() for f in check_database(store.path) if f.topic == "schema"]
    assert schema == [
        f"ok   schema: version 1; the next start upgrades it to {SCHEMA_VERSION} "
        "after copying it aside"
    ]


def test_doctor_names_loose_permissions(store):
    store.path.chmod(0o644)
    result = coachtui_here("doctor", "--db", str(store.path))
    assert result.returncode == 1
    assert f"FIX  permissions: {store.path} is 644, readable by others: chmod 600" in result.stdout


def test_doctor_on_a_damaged_file_changes_nothing(tmp_path):
    db = tmp_path / "team.db"
    with Store.open(db) as store:
        session = coaching.start_or_resume(store, "Ava", None)
        for n in range(300):
            coaching.save_question(store, session.id, f"q{n}", text="note " * 50)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(db.read_bytes())
    raw[4096 * 3 : 4096 * 3 + 512] = b"\xff" * 512  # a page in the middle, trampled
    db.write_bytes(bytes(raw))
    result = coachtui_here("doctor", "--db", str(db))
    assert result.returncode == 1
    assert "FIX " in result.stdout and "restore a backup" in result.stdout
    assert db.read_bytes() == bytes(raw)


def test_doctor_on_a_file_that_is_not_ours(tmp_path):
    """Said so, and never a backup copied over it."""
    text = tmp_path / "notes.db"
    text.write_text("precious")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    for path, why in ((text, "file is not a database"), (other, "tables that coachtui did not")):
        result = coachtui_here("doctor", "--db", str(path))
        assert result.returncode == 1
        assert f"FIX  database: {path} is not a coachtui database (" in result.stdout
        assert why in result.stdout and "point --db at your coachtui database" in result.stdout
        assert "restore" not in result.stdout and "cp " not in result.stdout
    assert text.read_text() == "precious"


def test_doctor_names_the_version_an_old_file_is_upgraded_to(tmp_path):
    from coachtui.store import SCHEMA_VERSION

    old = tmp_path / "old.db"
    file_at_version(old, 1).close()
    result = coachtui_here("doctor", "--db", str(old))
    assert (
        f"ok   schema: version 1; the next start upgrades it to {SCHEMA_VERSION} "
        "after copying it aside" in result.stdout
    )


def test_config_says_where_everything_lives(private_home, tmp_path):
    result = coachtui_here("config", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 0
    lines = dict(
        line.split(None, 1)
        for line in result.stdout.replace("data folder", "data")
        .replace("demo and cache", "cache")
        .splitlines()
    )
    assert lines["configuration"].startswith(str(private_home / "xdg_config_home" / "coachtui"))
    assert lines["database"].startswith(str(tmp_path / "x.db"))


def damage(db) -> None:
    """Fill a database with coaching notes, then trample a page in the middle."""
    with Store.open(db) as store:
        session = coaching.start_or_resume(store, "Ava", None)
        for n in range(300):
            coaching.save_question(store, session.id, f"q{n}", text="note " * 50)
        store.conn.execute(
            "INSERT INTO deals (deal_id, rep, stage, status) VALUES ('D1', 'Ava', 'Open', 'open')"
        )
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(db.read_bytes())
    raw[4096 * 3 : 4096 * 3 + 512] = b"\xff" * 512
    db.write_bytes(bytes(raw))


def test_commands_on_a_damaged_file_say_so_without_a_traceback(tmp_path):
    db = tmp_path / "team.db"
    damage(db)
    before = db.read_bytes()
    result = coachtui("metrics", "--db", str(db))  # reads the deals, on the damaged page
    assert result.returncode == 2, result.stdout[-300:]
    assert "Traceback" not in result.stderr
    assert "could not be read" in result.stderr and "coachtui doctor" in result.stderr
    # the export reads other pages: it works, or refuses the same way
    result = coachtui("export", "sessions", "--db", str(db))
    assert result.returncode in (0, 2) and "Traceback" not in result.stderr
    assert db.read_bytes() == before


async def test_the_app_on_a_damaged_file_says_so_and_stays_up(tmp_path):
    from coachtui.app import CoachApp

    db = tmp_path / "team.db"
    Store.open(db).close()
    with Store.open(db) as store:  # a damaged file is not opened: it goes bad while open
        damage(db)
        app = CoachApp(store)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            messages = [n.message for n in app._notifications]
            assert any("could not be read" in m for m in messages), messages
            assert app.is_running


def test_doctor_says_how_the_colours_will_look():
    from coachtui.doctor import check_terminal

    def said(environ, theme=None):
        return [f.line() for f in check_terminal(environ, theme) if f.topic == "terminal"]

    linux = said({"TERM": "linux", "NO_COLOR": "1"})
    assert linux[0] == "ok   terminal: TERM=linux: 16 colours, the ANSI theme"
    assert "NO_COLOR is set: text in the terminal's own colours" in linux[1]
    clash = said({"TERM": "linux"}, theme="textual-light")
    assert clash[1].startswith("FIX  terminal: theme 'textual-light' squeezed into the 16")
    assert "theme = 'ansi-dark'" in clash[1]
    assert said({"TERM": "linux"}, theme="ansi-light") == [linux[0]]
    assert said({"TERM": "xterm-256color"}, theme="textual-light") == [
        "ok   terminal: TERM=xterm-256color"
    ]
