"""Shared fixtures: real SQLite files in tmp_path, and no test touches the user's folders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coachtui.importing.sample import build_demo_database
from coachtui.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """Point the XDG folders and $COACHTUI_DB away from the real user."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("COACHTUI_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "team" / "coachtui.db"


@pytest.fixture
def store(db_path):
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def csv_file(tmp_path):
    """Write a CSV (text or bytes) into tmp_path and return its path."""

    def write(content: str | bytes, name: str = "export.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


def rows(store: Store, sql: str, *params) -> list[tuple]:
    return store.conn.execute(sql, params).fetchall()


def dump(store: Store) -> list[str]:
    """Every row of the database, to compare before and after a refused import."""
    return list(store.conn.iterdump())


@pytest.fixture
def demo_store(tmp_path):
    """The sample team, as of TODAY, in a fresh database."""
    with build_demo_database(tmp_path / "demo.db", today=TODAY) as store:
        yield store


def burst(pilot, *keys: str) -> None:
    """Keys as they arrive over a laggy SSH link: all at once, where
    `pilot.press` waits for the app to be idle after each key. Keys are named
    as for `press`: `burst(pilot, "a", *"Call the CFO", "enter")`."""
    from textual import events
    from textual.app import _character_to_key

    app = pilot.app
    for key in keys:
        char = key if len(key) == 1 else {"space": " ", "enter": "\r", "tab": "\t"}.get(key)
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def settle(pilot, seconds: float | None = None) -> None:
    """Let the app's workers finish and the screen catch up (twice: a worker's
    result can start another)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def ann(store):
    """The metrics fixture's team, and Ann's session ended 2026-06-01 (tests/test_brief.py)."""
    from coachtui.areas import FocusArea
    from coachtui.coaching import commitments, deal_work
    from coachtui.coaching import sessions as coaching
    from coachtui.importing import ImportOptions, import_file

    import_file(store, "reps", FIXTURES / "metrics_reps.csv", ImportOptions(today=TODAY))
    import_file(store, "deals", FIXTURES / "metrics_deals.csv", ImportOptions(today=TODAY))
    session = coaching.start_or_resume(store, "Ann", FocusArea.DOLLARIZING)
    coaching.rate(store, session.id, FocusArea.DOLLARIZING, 2)
    for text, due in (
        ("Send the ROI sheet", None),
        ("Call Lee", dt.date(2026, 7, 3)),
        ("Book the CFO", dt.date(2026, 6, 26)),
    ):
        commitments.add_commitment(store, session.id, "Ann", text, due=due)
    kept = commitments.add_commitment(store, session.id, "Ann", "Demo", due=dt.date(2026, 6, 5))
    commitments.review_commitment(store, kept.id, "kept", session.id)
    for deal in ("A1", "A3"):
        deal_work.discuss_deal(store, session.id, deal)
    deal_work.save_deal_value(store, "A1", 2, 5, 100, {})
    deal_work.save_influence(store, "A1", "economic", "Dana", False, "unknown")
    deal_work.save_influence(store, "A1", "coach", "Lee", True, "supportive")
    coaching.end_session(store, session.id)
    store.conn.execute(
        "UPDATE coaching_sessions SET started_at = '2026-06-01T09:30:00', "
        "ended_at = '2026-06-01T10:00:00', updated_at = '2026-06-01T10:00:00'"
    )
    return store
