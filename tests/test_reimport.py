"""Next week's export updates deals in place and records the stage moves."""

from __future__ import annotations

import datetime as dt

from coachtui.importing import ImportOptions, import_file
from tests.conftest import FIXTURES, TODAY, rows

WEEK1 = (
    "Opportunity ID,Opportunity Owner,Stage,Amount,Created Date\n"
    "A,Ava,Prospecting,100,2026-01-02\n"
    "B,Ava,Qualification,200,2026-01-03\n"
    "C,Ben,Prospecting,300,2026-01-04\n"
)
WEEK2 = (
    "Opportunity ID,Opportunity Owner,Stage,Amount,Created Date\n"
    "A,Ava,Prospecting,100,2026-01-02\n"
    "B,Ava,Needs Analysis,200,2026-01-03\n"
    "C,Ben,Prospecting,350,2026-01-04\n"
    "D,Ben,Prospecting,50,2026-01-09\n"
)


def test_second_week_updates_in_place(store, csv_file):
    first = import_file(store, "deals", csv_file(WEEK1), ImportOptions(today=TODAY))
    assert (first.new, first.updated, first.unchanged) == (3, 0, 0)
    next_week = TODAY + dt.timedelta(days=7)
    second = import_file(store, "deals", csv_file(WEEK2), ImportOptions(today=next_week))
    assert (second.new, second.updated, second.unchanged) == (1, 2, 1)
    assert rows(
        store, "SELECT deal_id, stage, amount, stage_entered_date FROM deals ORDER BY 1"
    ) == [
        ("A", "Prospecting", 100.0, None),
        ("B", "Needs Analysis", 200.0, next_week.isoformat()),
        ("C", "Prospecting", 350.0, None),
        ("D", "Prospecting", 50.0, None),
    ]
    assert rows(store, "SELECT * FROM stage_history") == [
        ("B", "Needs Analysis", next_week.isoformat(), "import")
    ]
    assert rows(store, "SELECT first_imported, last_imported FROM deals WHERE deal_id = 'B'") == [
        (TODAY.isoformat(), next_week.isoformat())
    ]
    # the same file again changes nothing
    third = import_file(store, "deals", csv_file(WEEK2), ImportOptions(today=next_week))
    assert (third.new, third.updated, third.unchanged) == (0, 0, 4)
    assert rows(store, "SELECT COUNT(*) FROM deals") == [(4,)]
    assert [r[0] for r in rows(store, "SELECT kind FROM import_log")] == ["deals"] * 3


def test_history_file_wins_over_import_dates(store, csv_file):
    options = ImportOptions(today=TODAY)
    import_file(store, "deals", FIXTURES / "salesforce_api.csv", options)
    import_file(store, "history", FIXTURES / "opportunity_history.csv", options)
    moved = (
        (FIXTURES / "salesforce_api.csv")
        .read_text()
        .replace("Proposal/Price Quote", "Negotiation/Review")
    )
    import_file(store, "deals", csv_file(moved), options)
    assert rows(store, "SELECT COUNT(*) FROM stage_history WHERE source = 'import'") == [(0,)]


def test_exports_without_ids_get_a_stable_key(store, csv_file):
    week1 = "Owner,Account,Opportunity Name,Stage,Created\nAva,Acme,Big deal,Open,1/5/2026\n"
    week2 = "Owner,Account,Opportunity Name,Stage,Created\nBen,Acme,Big deal,Won,1/5/2026\n"
    import_file(store, "deals", csv_file(week1), ImportOptions(today=TODAY))
    second = import_file(store, "deals", csv_file(week2), ImportOptions(today=TODAY))
    assert (second.new, second.updated) == (0, 1)
    assert rows(store, "SELECT deal_id, rep, status FROM deals") == [
        ("Acme | Big deal | 2026-01-05", "Ben", "won")
    ]


def test_derived_keys_that_collide_are_refused(store, csv_file):
    path = csv_file("Owner,Account,Stage\nAva,Acme,Open\nBen,Acme,Open\n")
    try:
        import_file(store, "deals", path, ImportOptions(today=TODAY))
    except Exception as exc:  # the message is what we check
        assert "line 3" in str(exc) and "repeats line 2" in str(exc)
        assert "made from account, name and created date" in str(exc)
    else:
        raise AssertionError("two deals with the same derived key were accepted")


def _dump_crm(store) -> list:
    return [
        rows(store, f"SELECT * FROM {table} ORDER BY 1, 2")
        for table in ("deals", "stage_history", "stages", "reps")
    ]


def test_an_import_alone_in_its_process_writes_in_bulk_and_reopens_the_store(store, csv_file):
    """The bulk writer (ADBC, a SQLite of its own) closes the store's
    connection while it writes, and the store works again after."""
    before = store.conn
    import_file(store, "deals", csv_file(WEEK1), ImportOptions(today=TODAY))
    assert store.conn is not before and store.alone()
    assert rows(store, "SELECT COUNT(*) FROM deals") == [(3,)]


def test_with_the_file_open_elsewhere_in_the_process_the_import_writes_the_same(
    store, csv_file, db_path, tmp_path
):
    """Two copies of SQLite on one file in one process break each other's
    locks: with another store open, the rows go through the store's own
    connection, with the same result as the bulk writer's."""
    from coachtui.store import Store

    alone = Store.open(tmp_path / "alone.db")
    with Store.for_worker(db_path) as other:
        before = store.conn
        for target in (store, alone):
            import_file(target, "deals", csv_file(WEEK1), ImportOptions(today=TODAY))
            week2 = TODAY + dt.timedelta(days=7)
            summary = import_file(target, "deals", csv_file(WEEK2), ImportOptions(today=week2))
            assert (summary.new, summary.updated, summary.unchanged) == (1, 2, 1)
        assert store.conn is before  # written through it
        assert rows(other, "SELECT COUNT(*) FROM deals") == [(4,)]
    with alone:
        assert _dump_crm(alone) == _dump_crm(store)


def test_blank_and_constant_columns_are_written_all_the_same(store, csv_file):
    """Columns blank in every row and the import date are not staged but named
    in the SQL: a first import and an update write them alike."""
    import_file(store, "deals", csv_file(WEEK1), ImportOptions(today=TODAY))
    week2 = TODAY + dt.timedelta(days=7)
    import_file(store, "deals", csv_file(WEEK2), ImportOptions(today=week2))
    assert rows(
        store,
        "SELECT deal_id, name, currency, stage_entered_date, first_imported, last_imported "
        "FROM deals ORDER BY 1",
    ) == [
        ("A", None, None, None, TODAY.isoformat(), week2.isoformat()),
        ("B", None, None, week2.isoformat(), TODAY.isoformat(), week2.isoformat()),
        ("C", None, None, None, TODAY.isoformat(), week2.isoformat()),
        ("D", None, None, None, week2.isoformat(), week2.isoformat()),
    ]


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT COUNT(*) FROM deals").fetchall()
print("open", flush=True)
time.sleep(60)
"""


def test_a_first_import_leaves_the_file_in_wal_whoever_else_has_it_open(store, csv_file, db_path):
    """A first import alone on the file writes through a rollback journal, and
    gives the file back in WAL; with a reader on the file it keeps the WAL,
    without waiting for the reader."""
    import subprocess
    import sys
    import time

    import_file(store, "reps", FIXTURES / "sales_teams.csv", ImportOptions(today=TODAY))
    assert rows(store, "PRAGMA journal_mode") == [("wal",)]
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        start = time.monotonic()
        summary = import_file(store, "deals", csv_file(WEEK1), ImportOptions(today=TODAY))
        assert time.monotonic() - start < 5  # (the busy timeout is 10 s)
    finally:
        reader.kill()
        reader.wait()
    assert summary.new == 3
    assert rows(store, "PRAGMA journal_mode") == [("wal",)]


def test_an_export_without_a_column_leaves_what_is_stored_in_it(store, csv_file):
    """Re-importing an export without Contacts set every deal's contacts to
    nothing, and the focus moved off Stakeholders. A column that is there
    still says what it holds: blank cells clear, even in every row."""
    with_contacts = (
        "Opportunity ID,Opportunity Owner,Stage,Amount,Created Date,Contacts\n"
        "A,Ava,Prospecting,100,2026-01-02,3\n"
        "B,Ava,Qualification,200,2026-01-03,2\n"
    )
    import_file(store, "deals", csv_file(with_contacts), ImportOptions(today=TODAY))
    without = "\n".join(line.rsplit(",", 1)[0] for line in with_contacts.splitlines())
    again = import_file(store, "deals", csv_file(without + "\n"), ImportOptions(today=TODAY))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert rows(store, "SELECT deal_id, contacts FROM deals ORDER BY 1") == [("A", 3), ("B", 2)]
    blank_column = with_contacts.replace(",3\n", ",\n").replace(",2\n", ",\n")
    cleared = import_file(store, "deals", csv_file(blank_column), ImportOptions(today=TODAY))
    assert cleared.updated == 2
    assert rows(store, "SELECT contacts FROM deals") == [(None,), (None,)]


def test_a_deal_won_since_keeps_no_expected_close_date_the_export_does_not_give(store, csv_file):
    """An open deal's close date is when it is expected to close: kept from an
    export without the column, it made a deal won since count as open
    pipeline until that date."""
    first = (
        "Opportunity ID,Opportunity Owner,Stage,Amount,Created Date,Close Date\n"
        "A,Ava,Prospecting,100,2026-01-02,2027-03-31\n"
        "B,Ava,Prospecting,200,2026-01-03,2027-04-30\n"
    )
    import_file(store, "deals", csv_file(first), ImportOptions(today=TODAY))
    won_since = (
        "Opportunity ID,Opportunity Owner,Stage,Amount,Created Date\n"
        "A,Ava,Closed Won,100,2026-01-02\n"
        "B,Ava,Prospecting,200,2026-01-03\n"
    )
    import_file(store, "deals", csv_file(won_since), ImportOptions(today=TODAY))
    assert rows(store, "SELECT deal_id, status, close_date FROM deals ORDER BY 1") == [
        ("A", "won", None),
        ("B", "open", "2027-04-30"),
    ]


def test_a_reps_export_without_managers_leaves_the_managers(store, csv_file):
    options = ImportOptions(today=TODAY)
    import_file(store, "reps", csv_file("rep,manager\nAva,Mia\nBen,Mia\n"), options)
    import_file(store, "reps", csv_file("rep\nAva\nBen\nCal\n"), options)
    assert rows(store, "SELECT rep, manager FROM reps ORDER BY 1") == [
        ("Ava", "Mia"),
        ("Ben", "Mia"),
        ("Cal", None),
    ]
