"""Committed pictures of each screen; update on purpose with --snapshot-update."""

from __future__ import annotations

import pytest

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
