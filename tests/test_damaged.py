"""A damaged, busy or half-made database: never read, written or backed up as
if healthy, never mistaken for another app's file, and never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coachtui.coaching import sessions as coaching
from coachtui.store import Store, StoreError, integrity
from coachtui.store import database as store_database
from tests.command_line import coachtui
from tests.conftest import FIXTURES
from tests.test_maintenance import damage


@pytest.fixture
def statements(monkeypatch) -> list[str]:
    """Every SQL statement the store's connections run, from now on."""
    seen: list[str] = []
    real = store_database.connect

    def traced(path, read_only=False):
        conn = real(path, read_only)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(store_database, "connect", traced)
    return seen


CHECK = "PRAGMA quick_check(5)"


def test_every_command_stops_on_a_damaged_file(tmp_path):
    db = tmp_path / "team.db"
    damage(db)
    before = db.read_bytes()
    for command in (
        ("import", "reps", str(FIXTURES / "sales_teams.csv")),
        ("backup", str(tmp_path / "copy.db")),
        ("metrics",),
        ("export", "sessions"),
    ):
        result = coachtui(*command, "--db", str(db))
        assert result.returncode == 2, command
        assert result.stderr.startswith(
            f"coachtui: {db} could not be read: the database is damaged ("
        )
        assert result.stderr.rstrip().endswith("run coachtui doctor; restore a backup")
        assert len(result.stderr.splitlines()) == 1
    assert db.read_bytes() == before
    assert not (tmp_path / "copy.db").exists()


def test_only_a_change_made_by_something_else_costs_a_check(tmp_path, statements):
    db = tmp_path / "team.db"
    result = coachtui("import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert integrity.known_good(db)  # the import recorded what it left
    assert coachtui("metrics", "--db", str(db)).returncode == 0
    Store.open(db).close()  # the first open after the import and metrics: no check
    assert CHECK not in statements
    with Store.open(db) as store:  # the app: writes, and a worker's store
        store.set_meta("touched", "yes")
        Store.open(db).close()
    assert CHECK not in statements
    outside = sqlite3.connect(db)  # the sqlite3 shell, say
    outside.execute("UPDATE deals SET amount = 1")
    outside.commit()
    outside.close()
    assert not integrity.known_good(db)
    Store.open(db).close()
    assert statements.count(CHECK) == 1
    Store.open(db).close()
    assert statements.count(CHECK) == 1  # found healthy: known good again


def test_damage_while_the_app_has_the_file_open_is_found_by_the_next_open(tmp_path):
    db = tmp_path / "team.db"
    Store.open(db).close()
    with Store.open(db):
        damage(db)
        with pytest.raises(StoreError, match="the database is damaged"):
            Store.open(db)


def test_an_untrusted_cache_means_a_check_every_time(tmp_path, statements):
    from coachtui.paths import cache_dir

    db = tmp_path / "team.db"
    Store.open(db).close()
    statements.clear()
    cache_dir().chmod(0o777)
    Store.open(db).close()
    Store.open(db).close()
    assert statements.count(CHECK) == 2


KILLED_IMPORT = """
import sys, time
from pathlib import Path
import polars as pl
from coachtui.importing.writing import Staged, transaction
from coachtui.store import Store
with Store.open(Path(sys.argv[1])) as store:
    with transaction(store) as writer:
        Staged.of(pl.DataFrame({"rep": ["Ava"] * 1000, "email": ["ava@x"] * 1000})).stage(writer)
        print("staged", flush=True)
        time.sleep(60)
"""


def test_a_killed_imports_scratch_file_is_reported_then_removed(tmp_path):
    db = tmp_path / "team.db"
    Store.open(db).close()
    importer = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert importer.stdout.readline().strip() == "staged"
    scratch = tmp_path / f".team.db.import-{importer.pid}.tmp"
    assert scratch.exists()
    Store.open(db).close()
    assert scratch.exists()  # its import is still running: left alone
    importer.kill()
    importer.wait()
    doctor = coachtui("doctor", "--db", str(db))
    assert doctor.returncode == 1
    assert f"FIX  scratch: {scratch} was left by an import that was stopped (" in doctor.stdout
    assert f"rm '{scratch}'" in doctor.stdout
    assert scratch.exists()  # doctor only reports
    result = coachtui("import", "reps", str(FIXTURES / "sales_teams.csv"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert not scratch.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def coachtui_on_a_full_disk(size: int, *args: str) -> subprocess.CompletedProcess:
    """The command in a process whose files may not grow past `size` bytes: its
    writes then fail as on a full disk (Python ignores the SIGXFSZ)."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return coachtui(*args, preexec_fn=limit)


def test_a_failed_backup_leaves_no_partial_copy_and_can_be_retried(tmp_path):
    db = tmp_path / "team.db"
    with Store.open(db) as store:  # about 100 KB of notes
        session = coaching.start_or_resume(store, "Ava", None)
        for n in range(200):
            coaching.save_question(store, session.id, f"q{n}", text="note " * 100)
    target = tmp_path / "copy.db"
    full = coachtui_on_a_full_disk(64 * 1024, "backup", str(target), "--db", str(db))
    assert full.returncode == 2 and "Traceback" not in full.stderr
    assert full.stderr.startswith(f"coachtui: the backup to {target} failed (")
    assert "the partial copy was removed" in full.stderr
    assert not target.exists() and not any(tmp_path.glob("copy.db*"))
    again = coachtui("backup", str(target), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert sqlite3.connect(target).execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_a_full_disk_while_staging_an_import_is_one_line(tmp_path):
    db = tmp_path / "team.db"
    assert (
        coachtui("import", "reps", str(FIXTURES / "sales_teams.csv"), "--db", str(db)).returncode
        == 0
    )
    before = db.read_bytes()
    deals = tmp_path / "deals.csv"
    rows = (f"D{n},Rep {n % 50},Prospecting,{1000 + n},2026-01-02,{'x' * 60}" for n in range(8000))
    deals.write_text("deal_id,rep,stage,amount,created_date,name\n" + "\n".join(rows) + "\n")
    full = coachtui_on_a_full_disk(256 * 1024, "import", "deals", str(deals), "--db", str(db))
    assert full.returncode == 2 and "Traceback" not in full.stderr
    assert len(full.stderr.splitlines()) == 1
    assert full.stderr.startswith(f"coachtui: could not write the import into {db} (")
    assert db.read_bytes() == before
    assert not list(tmp_path.glob(".team.db.import-*"))


@pytest.mark.parametrize(
    "command", [("metrics", "--format", "json"), ("export", "sessions", "--format", "csv")]
)
def test_a_full_disk_under_the_output_is_one_line(tmp_path, command):
    db = tmp_path / "team.db"
    assert (
        coachtui("import", "reps", str(FIXTURES / "sales_teams.csv"), "--db", str(db)).returncode
        == 0
    )
    with open("/dev/full", "w") as full_disk:
        result = subprocess.run(
            [sys.executable, "-m", "coachtui", *command, "--db", str(db)],
            stdout=full_disk,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr == "coachtui: No space left on device (writing the output)\n"


def test_output_a_reader_stopped_reading_ends_quietly(tmp_path):
    db = tmp_path / "team.db"
    assert (
        coachtui("import", "reps", str(FIXTURES / "sales_teams.csv"), "--db", str(db)).returncode
        == 0
    )
    read, write = os.pipe()
    os.close(read)  # like `coachtui metrics | head` once head is done
    result = subprocess.run(
        [sys.executable, "-m", "coachtui", "metrics", "--format", "json", "--db", str(db)],
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
        timeout=60,
    )
    os.close(write)
    assert (result.returncode, result.stderr) == (1, "")


def test_a_command_started_with_its_output_closed_does_nothing(tmp_path):
    """`coachtui import deals x.csv >&-`: said in one line, and nothing imported."""
    db = tmp_path / "team.db"
    result = coachtui(
        "import",
        "reps",
        str(FIXTURES / "sales_teams.csv"),
        "--db",
        str(db),
        preexec_fn=lambda: os.close(1),
    )
    assert (result.returncode, result.stderr) == (
        2,
        "coachtui: the standard output is closed: nowhere to write to; nothing was done\n",
    )
    assert not db.exists()


def _locks_held(path) -> bool:
    """This process holds a POSIX lock on `path` (Linux's /proc/locks)."""
    inode, pid = os.stat(path).st_ino, str(os.getpid())
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if pid in fields and fields[fields.index(pid) + 1].endswith(f":{inode}"):
            return True
    return False


@pytest.mark.skipif(not os.path.exists("/proc/locks"), reason="Linux's lock table")
def test_checking_the_file_keeps_sqlites_locks(tmp_path):
    """Closing a descriptor of the database drops every lock the process holds
    on it: a writer that lost its shared lock lets another process delete the
    WAL under it. Reading the file's state must close nothing."""
    with Store.open(tmp_path / "team.db") as store, store.write():
        assert _locks_held(store.path)
        integrity.known_good(store.path)
        integrity.remember(store.path)
        assert _locks_held(store.path)
