"""A database another process holds: reported as busy, never as damaged or
as another app's file; and two processes making a new database at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest

from coachtui.cli import main
from coachtui.store import Store
from coachtui.store import database as store_database
from tests.conftest import FIXTURES

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":  # readers wait too
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("INSERT INTO meta VALUES ('held', 'yes')")
else:
    conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def held(tmp_path, monkeypatch):
    """A coachtui database, and a way to have another process lock it."""
    monkeypatch.setattr(store_database, "BUSY_TIMEOUT_MS", 300)
    db = tmp_path / "team.db"
    Store.open(db).close()
    holders = []

    def hold(how: str) -> subprocess.Popen:
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(db), how],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout.readline().strip() == "locked"
        return holder

    yield db, hold
    for holder in holders:
        if holder.returncode is None:  # (a test may have let it go)
            holder.communicate("\n", timeout=10)


@pytest.mark.parametrize(
    ("how", "command"),
    [
        ("write", ("import", "reps", str(FIXTURES / "sales_teams.csv"))),
        ("exclusive", ("import", "reps", str(FIXTURES / "sales_teams.csv"))),
        ("exclusive", ("metrics",)),
        ("exclusive", ("export", "sessions")),
    ],
    ids=["write-lock-import", "exclusive-import", "exclusive-metrics", "exclusive-export"],
)
def test_a_locked_database_is_busy(held, capsys, how, command):
    db, hold = held
    before = db.read_bytes()
    hold(how)
    assert main([*command, "--db", str(db)]) == 2
    said = capsys.readouterr().err
    assert said == f"coachtui: another coachtui or sqlite3 holds a write lock on {db}; try again\n"
    assert db.read_bytes() == before


OPENER = """
import os, sys, time
from pathlib import Path
from coachtui.store import Store
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.001)
Store.open(Path(sys.argv[1])).close()
print("ok")
"""


@pytest.fixture
def in_rollback_mode(held):
    """The held database, as a copy or an older coachtui leaves it: not in WAL."""
    db, hold = held
    rollback = sqlite3.connect(db)
    rollback.execute("PRAGMA journal_mode = DELETE")
    rollback.close()
    return db, hold


def test_turning_on_wal_waits_for_another_writer(in_rollback_mode, monkeypatch):
    """A file not in WAL mode is turned to WAL on open. SQLite does not wait
    for a writer there on its own; the open waits as it does everywhere else,
    and goes on once the writer is done."""
    db, hold = in_rollback_mode
    monkeypatch.setattr(store_database, "BUSY_TIMEOUT_MS", 5_000)
    holder = hold("write")
    release = threading.Timer(0.5, holder.communicate, ("\n",))
    release.start()
    with Store.open(db) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    release.join()


def test_turning_on_wal_gives_up_when_the_writer_stays(in_rollback_mode, capsys):
    db, hold = in_rollback_mode
    before = db.read_bytes()
    hold("write")
    assert main(["metrics", "--db", str(db)]) == 2
    said = capsys.readouterr().err
    assert said == f"coachtui: another coachtui or sqlite3 holds a write lock on {db}; try again\n"
    assert db.read_bytes() == before


def test_two_processes_make_a_new_database_at_the_same_moment(tmp_path):
    for attempt in range(5):
        db, go = tmp_path / f"new-{attempt}.db", tmp_path / f"go-{attempt}"
        openers = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(db), str(go)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        go.touch()
        for opener in openers:
            out, err = opener.communicate(timeout=60)
            assert (opener.returncode, out) == (0, "ok\n"), err[-500:]
        with Store.open(db) as store:
            assert store.schema_version == store_database.SCHEMA_VERSION
