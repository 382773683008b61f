"""Work off the UI thread: a database another program holds makes the app say
it is busy, never close or freeze."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
from textual.widgets import Input, OptionList, TabbedContent
from textual.worker import WorkerFailed

from coachtui.app import CoachApp
from coachtui.screens.coach import CoachPane
from coachtui.screens.dialogs.deal import DealDialog
from coachtui.screens.dialogs.summary import SessionSummary
from coachtui.screens.workers import BUSY
from coachtui.store import database
from tests.conftest import TODAY, rows, settle, tabs_filled, wait_until
from tests.test_coach_session import EMMA, open_emma


@pytest.fixture
def short_wait(monkeypatch):
    """Workers give up on a lock after a fifth of a second, not ten."""
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)


@contextlib.contextmanager
def another_writer(path):
    """Another program writing: it holds the write lock meanwhile."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def let_fail(pilot) -> None:
    """Let the workers finish, failed or not, and the screen catch up."""
    for worker in list(pilot.app.workers):
        with contextlib.suppress(WorkerFailed):
            await worker.wait()
    await pilot.pause()


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_locked_database_is_busy_and_the_app_keeps_running(demo_store, short_wait):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        with another_writer(demo_store.path):
            await pilot.press(*EMMA, "c")  # starting a session writes it
            await let_fail(pilot)
        assert BUSY in notes(app)
        assert app.is_running and app.query_one(CoachPane).state is None
        assert app.query_one(TabbedContent).active == "roster"

        await pilot.press("c")
        await settle(pilot)
        assert app.query_one(CoachPane).state.session.rep == "Emma Novak"
        assert rows(demo_store, "SELECT rep FROM coaching_sessions") == [("Emma Novak",)]


async def test_a_damaged_table_says_so_and_the_app_keeps_running(demo_store):
    demo_store.conn.execute("DROP TABLE coaching_sessions")
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await wait_until(pilot, lambda: tabs_filled(app))
        await let_fail(pilot)  # the team's worker reads who was coached: it fails too
        await pilot.press("4")  # the History tab reads the sessions
        await let_fail(pilot)
        assert any("no such table: coaching_sessions" in m for m in notes(app)), notes(app)
        assert app.is_running


async def test_keys_are_not_held_for_a_session_whose_team_failed(demo_store):
    """`coach REP` waits for the team, and the keys wait with it; when
    computing the team fails, the session is not opened and the keys go on."""
    demo_store.conn.execute("DROP TABLE coaching_sessions")
    app = CoachApp(demo_store, today=TODAY, coach_rep="Emma Novak")
    async with app.run_test(size=(100, 34)) as pilot:
        await wait_until(pilot, lambda: tabs_filled(app))
        await let_fail(pilot)  # the team's worker reads who was coached
        await pilot.press("2")
        assert app.query_one(TabbedContent).active == "review"
        assert app.is_running and app.query_one(CoachPane).state is None


async def test_the_keys_answer_while_the_end_of_a_session_waits_for_a_lock(demo_store, monkeypatch):
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 3000)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await open_emma(pilot)
        await pilot.press("escape", "n", *"Pinnacle first", "escape")  # something said: kept
        await wait_until(
            pilot, lambda: rows(demo_store, "SELECT notes FROM coaching_sessions")[0][0]
        )
        with another_writer(demo_store.path):
            await pilot.press("f10")
            await pilot.press("4")  # held a second at most: the end may open a summary
            # the tab changed while the end still waited for the lock
            await wait_until(pilot, lambda: app.query_one(TabbedContent).active == "history")
            assert BUSY not in notes(app)
            await let_fail(pilot)
        assert BUSY in notes(app)
        assert pane.state is not None  # still running: F10 again ends it
        assert rows(demo_store, "SELECT ended_at FROM coaching_sessions") == [(None,)]

        await pilot.press("3", "f10")
        await settle(pilot)
        assert isinstance(app.screen, SessionSummary)
        assert pane.state is None
        assert rows(demo_store, "SELECT ended_at IS NOT NULL FROM coaching_sessions") == [(1,)]


async def test_a_deal_picked_again_shows_what_was_typed(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_emma(pilot)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DealDialog)
        await pilot.press("enter", "tab", *"12")  # the first deal: 12 people
        deals = dialog.query_one("#deal-list", OptionList)
        deals.focus()
        await pilot.press("down", "enter")  # another deal: nothing typed yet
        assert dialog.query_one("#people", Input).value == ""
        deals.focus()
        await pilot.press("up", "enter")
        assert dialog.query_one("#people", Input).value == "12"


async def test_what_was_typed_is_saved_when_the_app_closes_at_once(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_emma(pilot)
        await pilot.press("n", *"last words", "escape", "d")
        await settle(pilot)
        # past what was learned, 12 people; closed before the typing pause, the deal open
        await pilot.press("enter", "tab", *"12")
    assert rows(demo_store, "SELECT notes FROM coaching_sessions") == [("last words",)]
    assert rows(demo_store, "SELECT people FROM deal_values") == [(12.0,)]
