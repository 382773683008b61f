"""Committed pictures of each screen; update on purpose with --snapshot-update."""

from __future__ import annotations

import datetime as dt

import pytest

from coachtui import coaching
from coachtui.app import CoachApp
from coachtui.demo import build_demo_database
from tests.conftest import TODAY


@pytest.fixture
def demo_app(tmp_path):
    with build_demo_database(tmp_path / "demo.db", today=TODAY) as store:
        yield CoachApp(store, today=TODAY)


async def loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_roster(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=loaded)


def test_empty_roster(snap_compare, store):
    assert snap_compare(CoachApp(store), terminal_size=(80, 24), run_before=loaded)


def test_help(snap_compare, demo_app):
    async def open_help(pilot):
        await loaded(pilot)
        await pilot.press("question_mark")

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=open_help)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_review_of_a_rep(snap_compare, demo_app, size):
    async def open_rep(pilot):
        await loaded(pilot)
        await pilot.press("j", "j", "j", "j", "enter")
        await loaded(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=open_rep)


def test_review_lower_down(snap_compare, demo_app):
    async def scroll(pilot):
        await loaded(pilot)
        await pilot.press("j", "j", "j", "j", "enter")
        await loaded(pilot)
        await pilot.press("pagedown", "pagedown")

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=scroll)


@pytest.fixture
def coaching_app(tmp_path):
    """Emma's session, started at a fixed time, with a commitment from last week."""
    with build_demo_database(tmp_path / "demo.db", today=TODAY) as store:
        earlier = coaching.start_or_resume(store, "Emma Novak", None)
        coaching.add_commitment(store, earlier.id, "Emma Novak", "Send the ROI sheet", due=TODAY)
        coaching.end_session(store, earlier.id)
        now = coaching.start_or_resume(store, "Emma Novak", None)
        coaching.save_notes(store, now.id, "Stalled deals: Pinnacle, Orchid")
        coaching.save_question(store, now.id, "dollarizing.measure", text="hours", asked=True)
        for session_id, started, ended in (
            (earlier.id, "2026-11-20T09:00:00", "2026-11-20T09:28:00"),
            (now.id, "2026-11-27T09:00:00", None),
        ):
            store.conn.execute(
                "UPDATE coaching_sessions SET started_at = ?, ended_at = ?, updated_at = ? "
                "WHERE id = ?",
                (started, ended, ended or started, session_id),
            )
        yield CoachApp(store, today=TODAY, clock=lambda: dt.datetime(2026, 11, 27, 9, 12, 30))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_coach(snap_compare, coaching_app, size):
    async def coach(pilot):
        await loaded(pilot)
        await pilot.press("j", "j", "j", "j", "c")
        await loaded(pilot)

    assert snap_compare(coaching_app, terminal_size=size, run_before=coach)


def test_history(snap_compare, coaching_app):
    async def history(pilot):
        await loaded(pilot)
        await pilot.press("j", "j", "j", "j", "enter", "4")
        await loaded(pilot)

    assert snap_compare(coaching_app, terminal_size=(80, 24), run_before=history)


@pytest.mark.parametrize("screen", ["roster", "review", "coach"])
def test_sixteen_colours(snap_compare, tmp_path, monkeypatch, screen):
    """TERM=linux: the ANSI theme; the below-team marks still read as symbols."""
    monkeypatch.setenv("TERM", "linux")
    keys = {"roster": [], "review": ["j", "j", "j", "j", "enter"], "coach": ["j", "c"]}[screen]
    with build_demo_database(tmp_path / "demo.db", today=TODAY) as store:
        session = coaching.start_or_resume(store, "Ben Ortiz", None)
        store.conn.execute(
            "UPDATE coaching_sessions SET started_at = '2026-11-27T09:00:00' WHERE id = ?",
            (session.id,),
        )
        app = CoachApp(store, today=TODAY, clock=lambda: dt.datetime(2026, 11, 27, 9, 0))

        async def walk(pilot):
            await loaded(pilot)
            await pilot.press(*keys)
            await loaded(pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=walk)


def test_no_color(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    with build_demo_database(tmp_path / "demo.db", today=TODAY) as store:
        assert snap_compare(CoachApp(store, today=TODAY), terminal_size=(80, 24), run_before=loaded)
