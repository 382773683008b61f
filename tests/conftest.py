"""Shared fixtures: real SQLite files in tmp_path, and no test touches the user's folders."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import io
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import settings
from rich.console import Console
from textual import _wait, constants
from textual.widgets import Static, TabPane

from coachtui.coaching import commitments
from coachtui.coaching import sessions as coaching
from coachtui.importing.sample import build_demo_database
from coachtui.paths import PRIVATE_FILE
from coachtui.store import APPLICATION_ID, MIGRATIONS, Store

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 27)
LATE = TODAY - dt.timedelta(days=3)  # Tue 24 Nov
SOON = TODAY + dt.timedelta(days=7)  # Fri 04 Dec

# Property tests: every run tries enough cases to meet the odd ones, with no
# deadline per case (a busy machine is not a failure). For a long search:
# `pytest --hypothesis-profile=thorough`.
settings.register_profile("coachtui", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile("coachtui")


# A scroll is animated, and Pilot waits for each animation to end after a
# key. The tests check where things end up, not how they glide there. Each
# app reads the level when it starts; the apps the tests start as processes
# read it from the environment.
os.environ["TEXTUAL_ANIMATIONS"] = constants.TEXTUAL_ANIMATIONS = "none"

# After each key Pilot waits for the app to be idle: it sleeps a fiftieth of
# a second at a time until a sleep passes with the process hardly working
# (below a twentieth of the sleep), so each key cost 40 ms or more asleep.
# The same rule with 5 ms sleeps and 1 ms of work: the app's own work per key
# is 10-20 ms, and the tests check that work, not the sleeping.
_wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE = 0.005, 0.001


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject.toml): the whole suite runs on three processes, one
    more than the machine's two cores, so that one test's waits (a lock, a
    real terminal, the autosave's pause) leave the cores to the others; a
    file or a test named on the command line runs in this one, which starts
    at once. `-n 0` or `-n 4` decide by hand."""
    named = any(".py" in arg for arg in config.args)
    return 0 if named else 3


def pytest_collection_finish(session: pytest.Session) -> None:
    """A test process outlives a hundred apps, and Textual's caches keep their
    strips: some hundred thousand objects more by the end. With Python's
    thresholds (700, 10, 10) it walked them all about seventy times a process,
    a quarter of the suite's CPU (measured with gc.callbacks). What the
    imports made is frozen out of every walk, and the young objects are
    counted in twenty thousands, not hundreds: some fifteen full walks.
    Garbage is collected as before, only less often; an app's own process
    (`coachtui`) keeps Python's thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def pytest_unconfigure(config: pytest.Config) -> None:
    """At its end pytest collects the garbage five times over, to report errors
    in finalizers. Textual's caches keep some hundred thousand objects alive,
    and each pass walks them again: seconds on a busy machine, after which
    pytest-xdist interrupts its worker. Collect once, then freeze what is left."""
    gc.collect()
    gc.freeze()


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


def file_at_version(path: Path, version: int) -> sqlite3.Connection:
    """A coachtui file as schema `version` left it, open for the rows a test
    puts in it before the next start upgrades it."""
    path.parent.mkdir(exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for migrate in MIGRATIONS[:version]:
        migrate(sqlite_utils.Database(conn))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    return conn


def rows(store: Store, sql: str, *params) -> list[tuple]:
    return store.conn.execute(sql, params).fetchall()


def dump(store: Store) -> list[str]:
    """Every row of the database, to compare before and after a refused import."""
    return list(store.conn.iterdump())


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory) -> Path:
    """The sample team, as of TODAY, imported once per run: a closed database
    file (its WAL folded in) for the tests to copy, never to open."""
    path = tmp_path_factory.mktemp("built") / "demo.db"
    with build_demo_database(path, today=TODAY) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def demo_db(built_demo, tmp_path) -> Path:
    """A fresh copy of the sample team's database, private as the app keeps it."""
    target = tmp_path / built_demo.name
    for suffix in ("", "-wal", "-shm"):
        source = built_demo.with_name(built_demo.name + suffix)
        if source.exists():
            copy = target.with_name(target.name + suffix)
            shutil.copyfile(source, copy)
            copy.chmod(PRIVATE_FILE)
    return target


@pytest.fixture
def demo_store(demo_db):
    """The sample team, as of TODAY, in a database of the test's own."""
    with Store.open(demo_db) as store:
        yield store


def shown(static: Static, width: int = 100) -> str:
    """What a Static holds, as text printed `width` columns wide (no trailing blanks)."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(static.content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def tabs_filled(app) -> bool:
    """Every tab holds its pane, mounted: the app mounts all but the roster's
    after the first paint, and then computes the team again if the roster
    painted was the one kept from the last start."""
    tabs = app.screen_stack[0].query(TabPane)
    return all(tab.children and tab.children[0].is_mounted for tab in tabs)


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
    result can start another); `seconds` pauses in between, for a wait with
    nothing to watch (a pause in typing). When something shows the end of the
    wait, wait_until() it instead.

    At the start, first wait for the tabs to be filled: the team's worker may
    only begin then, and a busy machine can make the pause look idle before."""
    await wait_until(pilot, lambda: tabs_filled(pilot.app))
    await workers_through(pilot.app)
    await pilot.pause(seconds)
    await workers_through(pilot.app)
    await pilot.pause()


async def workers_through(app) -> None:
    """Every worker has ended. One that failed is the app's to show (a
    notification, screens/workers.py); the test checks what it shows."""
    await asyncio.gather(*(worker.wait() for worker in app.workers), return_exceptions=True)


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


async def wait_until(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds: what a timer does (the
    autosave after a pause in typing, its retry) is waited for, not slept
    through."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still not so after {timeout} s"
        await pilot.pause(0.01)


def ended_session(store, rep: str, day: str, made: list[tuple[str, dt.date | None]]) -> list[int]:
    """An ended session of `rep` on `day` (YYYY-MM-DD), with these commitments."""
    session = coaching.start_or_resume(store, rep, None)
    ids = [commitments.add_commitment(store, session.id, rep, t, due=d).id for t, d in made]
    coaching.end_session(store, session.id)
    store.conn.execute(
        "UPDATE coaching_sessions SET started_at = ?, ended_at = ? WHERE id = ?",
        (f"{day}T09:00:00", f"{day}T09:30:00", session.id),
    )
    return ids


@pytest.fixture
def two_teams(demo_store):
    """Grace (Marcus Reed's team): one overdue, one due soon, one with no date,
    one kept; Emma (Dana Whitfield's): one overdue."""
    grace = ended_session(
        demo_store,
        "Grace Liu",
        "2026-11-13",
        [("Map the buyers", None), ("Send the ROI sheet", SOON), ("Book the CFO", LATE)],
    )
    kept = commitments.add_commitment(demo_store, 1, "Grace Liu", "Done already", due=LATE)
    commitments.mark_commitment(demo_store, kept.id, "kept")
    emma = ended_session(demo_store, "Emma Novak", "2026-11-20", [("Call Lee", LATE)])
    return demo_store, grace, emma
