"""The store: private files, pragmas, migrations, and files that are not ours."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from coachtui.importing import ImportOptions, import_file
from coachtui.review.frames import read_deal_data, read_deal_data_in_bulk
from coachtui.store import SCHEMA_VERSION, Store, StoreError
from tests.command_line import coachtui_here
from tests.conftest import FIXTURES, TODAY, file_at_version, rows


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_new_database_is_private_whatever_the_umask(tmp_path, umask):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    path = shared / "a" / "b" / "coachtui.db"
    old = os.umask(umask)
    try:
        with Store.open(path) as store:
            store.set_meta("touched", "yes")
            # while it is open, SQLite's WAL and shared-memory files exist: private too
            sidecars = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
            assert all(mode(sidecar) == 0o600 for sidecar in sidecars)
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    assert mode(shared) == 0o755  # folders that existed keep their mode


def test_connection_settings(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.schema_version == SCHEMA_VERSION
    expected = {
        "meta",
        "reps",
        "deals",
        "stage_history",
        "activities",
        "stages",
        "import_log",
        "coaching_sessions",
        "question_notes",
        "ratings",
        "commitments",
    }
    assert expected <= set(store.db.table_names())


def test_a_worker_connection_only_sets_the_pragmas(store):
    """The app's first open checked, migrated and made the file private: a
    worker's connection does none of that again."""
    store.path.chmod(0o640)
    with Store.for_worker(store.path) as worker:
        assert worker.conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert worker.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert worker.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert worker.schema_version == SCHEMA_VERSION
    assert mode(store.path) == 0o640


def test_round_trip_through_a_reopened_file(db_path):
    with Store.open(db_path) as store:
        import_file(store, "deals", FIXTURES / "salesforce_labels.csv", ImportOptions(today=TODAY))
        import_file(store, "reps", FIXTURES / "salesforce_users.csv", ImportOptions(today=TODAY))
    with Store.open(db_path) as store:
        data = read_deal_data(store)
    assert data.deals.sort("deal_id").select("deal_id", "rep", "status").rows() == [
        ("006A1", "Ava Chen", "open"),
        ("006A2", "Ava Chen", "won"),
        ("006A3", "Ben Ortiz", "lost"),
        ("006A4", "Ben Ortiz", "open"),
    ]
    assert data.reps.sort("rep").rows() == [
        ("Mona Lisa Vito", None),
        ("Uma Patel", "Mona Lisa Vito"),
        ("Victor Hale", "Mona Lisa Vito"),
    ]
    assert [stage for stage, _ in data.pipeline] == [
        "Prospecting",
        "Negotiation/Review",
        "Closed Won",
        "Closed Lost",
    ]


def test_migrates_a_version_1_file_after_copying_it_aside(db_path):
    conn = file_at_version(db_path, 1)
    conn.execute(
        "INSERT INTO deals (deal_id, rep, stage, status) VALUES ('D1', 'Ava', 'Open', 'open')"
    )
    conn.close()

    with Store.open(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert rows(store, "SELECT deal_id, rep FROM deals") == [("D1", "Ava")]
        assert "commitments" in store.db.table_names()

    backup = db_path.with_name("coachtui.db.schema-v1.bak")
    assert mode(backup) == 0o600
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone() == (1,)
    assert old.execute("SELECT deal_id FROM deals").fetchall() == [("D1",)]
    assert "commitments" not in {r[0] for r in old.execute("SELECT name FROM sqlite_master")}
    old.close()


def test_a_text_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my precious notes\n" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="is not a coachtui database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_another_apps_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="tables that coachtui did not create"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_newer_schema_is_refused(db_path):
    with Store.open(db_path) as store:
        store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer coachtui"):
        Store.open(db_path)


def old_sqlite(monkeypatch) -> None:
    """This Python's sqlite3 module as if it used SQLite 3.31.1 (Ubuntu 20.04's)."""
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")


def test_an_sqlite_too_old_is_named_before_a_file_is_made(tmp_path, monkeypatch):
    old_sqlite(monkeypatch)
    with pytest.raises(StoreError, match=r"needs SQLite 3\.35 or newer.*uses SQLite 3\.31\.1"):
        Store.open(tmp_path / "new.db")
    assert list(tmp_path.iterdir()) == []


def test_an_sqlite_too_old_on_the_command_line_and_in_doctor(tmp_path, monkeypatch):
    old_sqlite(monkeypatch)
    db = tmp_path / "coachtui.db"
    result = coachtui_here("import", "deals", str(FIXTURES / "salesforce_api.csv"), "--db", str(db))
    assert result.returncode != 0
    assert "coachtui: coachtui needs SQLite 3.35 or newer" in result.stderr
    assert "Traceback" not in result.stderr and not db.exists()
    doctor = coachtui_here("doctor", "--db", str(db))
    assert "FIX  sqlite: coachtui needs SQLite 3.35 or newer" in doctor.stdout


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_the_bulk_reader_reads_what_the_store_reads(demo_db):
    """ADBC (the metrics command) and sqlite3 (the app) give the same frames;
    one after the other, never both open at once (see read_deal_data_in_bulk)."""
    with Store.open(demo_db) as store:
        by_store = read_deal_data(store)
    in_bulk = read_deal_data_in_bulk(demo_db)
    for name in ("deals", "reps", "history", "activities"):
        assert getattr(in_bulk, name).equals(getattr(by_store, name)), name
    assert in_bulk.pipeline == by_store.pipeline


def test_a_version_3_file_keeps_its_deal_work_and_becomes_searchable(db_path):
    """Version 4 lets a session discuss several deals: the one deal a session
    named moves to its list, with the deal's name as the CRM has it, and every
    note typed so far is found by the search."""
    conn = file_at_version(db_path, 3)
    conn.execute(
        "INSERT INTO deals (deal_id, rep, stage, status, name, account, currency) "
        "VALUES ('D1', 'Ava', 'Proposal', 'open', 'Fleet renewal', 'Acme', 'EUR')"
    )
    conn.execute(
        "INSERT INTO coaching_sessions (id, rep, started_at, deal_id, notes, updated_at) "
        "VALUES (1, 'Ava', '2026-11-02T10:00:00', 'D1', 'the CFO owns the budget', "
        "'2026-11-02T10:30:00'), (2, 'Ava', '2026-11-09T10:00:00', NULL, '', NULL)"
    )
    conn.execute(
        "INSERT INTO commitments (session_id, rep, text, status) "
        "VALUES (2, 'Ava', 'book the procurement call', 'open')"
    )
    conn.close()

    with Store.open(db_path) as store:
        assert rows(
            store, "SELECT session_id, deal_id, name, account, currency FROM session_deals"
        ) == [(1, "D1", "Fleet renewal", "Acme", "EUR")]
        columns = {c.name for c in store.db["coaching_sessions"].columns}
        assert "deal_id" not in columns
        assert "marked_at" in {c.name for c in store.db["commitments"].columns}

        def found(words: str) -> list[tuple]:
            return rows(
                store,
                "SELECT session_id, kind FROM session_search WHERE session_search MATCH ?",
                words,
            )

        assert found("budget") == [(1, "notes")]
        assert found("procurement") == [(2, "commitment")]
        assert found("fleet") == [(1, "deal")]
        # the triggers keep the search in step with every later change
        store.conn.execute("UPDATE coaching_sessions SET notes = 'pricing' WHERE id = 1")
        store.conn.execute("DELETE FROM commitments")
        assert (found("budget"), found("procurement"), found("pricing")) == ([], [], [(1, "notes")])


def test_a_version_4_file_finds_a_sessions_commitments_by_index(db_path):
    """The History reads each session's commitments, made and reviewed: without
    an index each read scanned every commitment (20,000 sessions: 108 s)."""
    file_at_version(db_path, 4).close()

    with Store.open(db_path) as store:
        for column in ("session_id", "reviewed_in_session"):
            sql = f"EXPLAIN QUERY PLAN SELECT id FROM commitments WHERE {column} = ?"
            (plan,) = rows(store, sql, 1)
            assert f"INDEX idx_commitments_{column} ({column}=?)" in plan[-1]
