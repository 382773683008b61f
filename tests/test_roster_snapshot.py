"""The roster kept for the next start: painted at once when nothing it depends
on has changed, and never when something has."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

from textual.widgets import DataTable, TabbedContent

from coachtui import app as coach_app
from coachtui.app import CoachApp
from coachtui.importing import ImportOptions, import_file
from coachtui.review import team as reporting
from coachtui.review.frames import read_deal_data
from coachtui.review.roster_cache import META_KEY, data_version, keep_roster, kept_roster, roster_of
from coachtui.review.team import review_team_from
from coachtui.screens.review import ReviewPane
from coachtui.screens.roster import RosterPane
from coachtui.screens.tabs import CoachTabs
from coachtui.settings import Settings, StallRule
from tests.conftest import FIXTURES, TODAY, settle


def computed(store, days=90, settings=None):
    settings = settings or Settings()
    return roster_of(review_team_from(read_deal_data(store), TODAY, days, settings))


def test_a_kept_roster_comes_back_equal(demo_store):
    roster = computed(demo_store)
    version = data_version(demo_store.last_import(), TODAY, 90, Settings())
    keep_roster(demo_store, version, roster)
    assert kept_roster(demo_store, version) == roster
    chloe = next(row for row in roster.rows if row["rep"] == "Chloe Park")
    assert "open_pipeline" in chloe["below"]


def test_the_version_moves_with_everything_the_numbers_depend_on(demo_store):
    def version_of(day=TODAY, days=90, settings=None):
        return data_version(demo_store.last_import(), day, days, settings or Settings())

    version = version_of()
    assert version_of() == version
    assert version_of(day=TODAY + dt.timedelta(days=1)) != version
    assert version_of(days=30) != version
    assert version_of(settings=Settings(stall=StallRule(min_days=7))) != version
    # who I am and how the app looks do not change the numbers
    assert version_of(settings=Settings(me="Dana Whitfield", theme="nord")) == version
    import_file(demo_store, "deals", FIXTURES / "salesforce_labels.csv", ImportOptions(today=TODAY))
    assert version_of() != version


def test_an_unreadable_kept_roster_is_ignored(demo_store):
    version = data_version(demo_store.last_import(), TODAY, 90, Settings())
    for junk in ("not json", '{"version": 1}', f'{{"version": "{version}", "roster": 3}}'):
        demo_store.set_meta(META_KEY, junk)
        assert kept_roster(demo_store, version) is None


async def test_the_second_start_paints_the_kept_roster_before_computing(demo_store, monkeypatch):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    kept = kept_roster(demo_store, data_version(demo_store.last_import(), TODAY, 90, Settings()))
    assert kept is not None and len(kept.rows) == 12

    monkeypatch.setattr(CoachApp, "load_team", lambda self, reload=False: None)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.query_one("#roster-table", DataTable)
        assert table.row_count == 12
        assert table.get_cell("Chloe Park", "open_pipeline").plain == "▼15k"
        assert app.review is None  # nothing computed: all of it came from the kept roster


async def test_no_kept_roster_for_another_day(demo_store, monkeypatch):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    monkeypatch.setattr(CoachApp, "load_team", lambda self, reload=False: None)
    app = CoachApp(demo_store, today=TODAY + dt.timedelta(days=1))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.query_one("#roster-table", DataTable).row_count == 0


async def test_enter_on_the_kept_roster_opens_the_review_once_computed(demo_store, monkeypatch):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    computing = threading.Event()  # the team's numbers, as kept by the first start
    kept_review = reporting.kept_review
    monkeypatch.setattr(reporting, "kept_review", lambda *a: computing.wait(10) and kept_review(*a))
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.review is None
        await pilot.press("j", "enter")  # on the kept roster, before the team is in
        assert app.query_one(TabbedContent).active == "roster"
        computing.set()
        await settle(pilot)
        assert app.query_one(TabbedContent).active == "review"
        assert app.query_one(ReviewPane).rep == "Ben Ortiz"


async def test_with_no_roster_kept_the_team_is_computed_while_the_other_tabs_mount(
    demo_store, monkeypatch
):
    """A first start has nothing to paint until the team is computed: it is
    computed at once, not after the other tabs are mounted, and they take it."""
    computing = threading.Event()
    compute_team = coach_app.compute_team

    def noted(*args, **kwargs):
        computing.set()
        return compute_team(*args, **kwargs)

    monkeypatch.setattr(coach_app, "compute_team", noted)
    fill, seen = CoachTabs.fill, []

    async def fill_once_computing(self, *args):
        for _ in range(500):
            if computing.is_set():
                break
            await asyncio.sleep(0.01)
        seen.append(computing.is_set())
        return await fill(self, *args)

    monkeypatch.setattr(CoachTabs, "fill", fill_once_computing)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert seen == [True]
        roster = app.query_one(RosterPane)
        assert len(roster.shown) == 12 and app.review is not None
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.query_one(TabbedContent).active == "review"
        assert app.query_one(ReviewPane).rep == roster.shown[1]
