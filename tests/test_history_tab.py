"""History's coaching impact and its search, driven by keys on the `ann`
fixture (tests/conftest.py): Ann's session on Dollarizing ended 2026-06-01."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading

import pytest
from rich.console import Console
from textual.widgets import DataTable

from coachtui import app as coach_app
from coachtui.app import CoachApp
from coachtui.areas import FocusArea
from coachtui.coaching import records
from coachtui.coaching import sessions as coaching
from coachtui.coaching.impact import coached, coaching_impact, impact_rows
from coachtui.review.frames import read_deal_data
from coachtui.review.team import review_team_from
from coachtui.screens.dialogs.summary import SessionSummary
from coachtui.screens.tabs import CoachTabs
from tests.conftest import TODAY, settle, tabs_filled, wait_until
from tests.test_coach_session import EMMA
from tests.test_hostile_text import screen_text

JUNE_30, JUNE_10 = dt.date(2026, 6, 30), dt.date(2026, 6, 10)
HOSTILE = "[bold red]Budget[/] \x1b[31mowner $(rm -rf) [link=http://x]"


def plain(widget) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=96, color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get().strip()


async def history_of_ann(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter", "4")  # Ann is the first rep
    await settle(pilot)


async def test_history_shows_what_changed_while_each_area_was_coached(ann):
    app = CoachApp(ann, today=JUNE_30)
    async with app.run_test(size=(100, 50)) as pilot:
        await history_of_ann(pilot)
        shown = plain(app.query_one("#history-impact"))
        # start 06-01, after min(06-01 + 90, 06-30): 29 days
        assert "Dollarizing since Mon 01 Jun: 1 session; changed while coaching, over" in shown
        assert "the 29 days after" in shown
        assert "caused" not in shown
        # each headline metric's row, as impact_rows gives it (its numbers: test_impact.py)
        data = read_deal_data(ann)
        sessions = coached(records.coaching_sessions(ann))
        (impact,) = coaching_impact(data, sessions, JUNE_30, 90)
        rows = impact_rows(impact, review_team_from(data, JUNE_30, 90).report.currency)
        assert [row[0] for row in rows] == [
            "cycle",
            "stalled deals",
            "average deal",
            "velocity a day",
        ]
        for row in rows:  # on one line, in order
            assert re.search(r" +".join(map(re.escape, row)), shown), row
        # all reps: no impact block
        await pilot.press("a")
        await settle(pilot)
        assert plain(app.query_one("#history-impact")) == ""


async def test_under_fourteen_days_the_impact_is_too_early(ann):
    app = CoachApp(ann, today=JUNE_10)
    async with app.run_test(size=(100, 50)) as pilot:
        await history_of_ann(pilot)
        shown = plain(app.query_one("#history-impact"))
        assert "too early: 9 days after, 14 needed" in shown
        assert shown.count("too early") == 1 + 4  # the heading, then each metric
        for word in ("better", "worse", "flat"):
            assert word not in shown


def hits(app) -> list[list[str]]:
    table = app.query_one("#history-hits", DataTable)
    return [[cell.plain for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_slash_searches_the_teams_sessions_and_enter_opens_the_one_found(ann):
    later = coaching.start_or_resume(ann, "Bob", None)
    coaching.save_notes(ann, later.id, f"Pilot at Acme\n{HOSTILE}")
    coaching.end_session(ann, later.id)
    app = CoachApp(ann, today=JUNE_30)
    async with app.run_test(size=(100, 34)) as pilot:
        await history_of_ann(pilot)
        await pilot.press("slash", *"the")  # waits for a pause in typing
        # "the ROI sheet", "the CFO": Ann's commitments, across the team
        found = [["Ann", "commitment"]] * 2
        await wait_until(pilot, lambda: [row[1:3] for row in hits(app)] == found)
        assert app.query_one("#history-table").display is False
        await pilot.press("backspace", "backspace", "backspace", *"budget")
        status = app.query_one("#history-status")
        await wait_until(pilot, lambda: '"budget"' in str(status.render()))
        (hit,) = hits(app)
        assert hit[1:3] == ["Bob", "notes"]
        assert hit[3] == "[bold red]Budget[/] ^[[31mowner $(rm -rf) [link=http://x]"
        assert str(status.render()).startswith('1 found for "budget", newest first')
        await pilot.press("enter")  # from the box to the results
        assert app.focused is app.query_one("#history-hits")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionSummary)
        assert app.screen.session.session.id == later.id
        assert "[bold red]Budget[/]" in screen_text(app)
        await pilot.press("escape")  # the summary
        await pilot.press("escape")  # the search
        await settle(pilot)
        assert app.query_one("#history-search").display is False
        assert app.query_one("#history-hits").display is False
        assert app.focused is app.query_one("#history-table")
        assert str(app.query_one("#history-status").render()).startswith("1 session, Ann")


async def test_a_search_that_finds_nothing_says_so(ann):
    app = CoachApp(ann, today=JUNE_30)
    async with app.run_test(size=(100, 34)) as pilot:
        await history_of_ann(pilot)
        await pilot.press("slash", *"zebra", "enter")
        await settle(pilot)
        assert hits(app) == []
        status = str(app.query_one("#history-status").render())
        assert status == 'Nothing found for "zebra". esc: leave the search'


@pytest.mark.parametrize(
    ("manager", "listed", "emmas"),
    [
        ("Marcus Reed", "1 session, Marcus Reed's team:", []),
        (None, "2 sessions, all reps:", ["Emma Novak"]),
    ],
)
async def test_a_managers_history_lists_and_searches_the_team_alone(
    two_teams, manager, listed, emmas
):
    """Under Marcus Reed: Grace's session (his team), never Emma's (Dana
    Whitfield's), in the list and in the search; without a manager, both."""
    store, _grace, _emma = two_teams
    app = CoachApp(store, manager=manager, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("4")  # no rep picked: the team's sessions
        status = app.query_one("#history-status")
        await wait_until(
            pilot, lambda: "session" in plain(status) and "Reading" not in plain(status)
        )
        assert plain(status).startswith(listed)
        history = app.query_one(CoachTabs).filled().history
        assert sorted(record.session.rep for record in history.sessions) == [*emmas, "Grace Liu"]
        await pilot.press("slash", *"call lee", "enter")  # Emma's commitment
        await wait_until(pilot, lambda: '"call lee"' in plain(status))
        assert [row[1] for row in hits(app)] == emmas
        await pilot.press("escape", "slash", *"book the", "enter")  # Grace's
        await wait_until(pilot, lambda: '"book the"' in plain(status))
        assert [row[1] for row in hits(app)] == ["Grace Liu"]


async def test_before_the_team_is_computed_the_history_waits_for_it(two_teams, monkeypatch):
    """A later start paints the kept roster and mounts the tabs before the
    team is computed: whose sessions the History lists and searches is known
    only then, so it waits, and never shows another team's meanwhile."""
    store, _grace, _emma = two_teams
    async with CoachApp(store, manager="Marcus Reed", today=TODAY).run_test() as pilot:
        await settle(pilot)  # keeps the roster for the next start
    computed, compute_team = threading.Event(), coach_app.compute_team

    def held(*args, **kwargs):
        computed.wait(5)
        return compute_team(*args, **kwargs)

    monkeypatch.setattr(coach_app, "compute_team", held)
    app = CoachApp(store, manager="Marcus Reed", today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await wait_until(pilot, lambda: tabs_filled(app))
        await pilot.press("4")
        await pilot.pause(0.3)
        status = app.query_one("#history-status")
        history = app.query_one(CoachTabs).filled().history
        assert plain(status) == "The team's sessions are listed once its numbers are computed."
        await pilot.press("slash", *"call lee", "enter")  # Emma's, Dana Whitfield's team
        await pilot.pause(0.3)
        assert not app.query_one("#history-hits").display  # not searched yet
        computed.set()  # the team arrives: its list and the search, with no key pressed
        await wait_until(pilot, lambda: '"call lee"' in plain(status) and history.sessions)
        assert hits(app) == []
        assert [record.session.rep for record in history.sessions] == ["Grace Liu"]
        history.reload()  # a list read after the search's results
        await settle(pilot)
        assert plain(status).startswith('Nothing found for "call lee"')  # the search's, kept
        await pilot.press("escape")
        await wait_until(pilot, lambda: plain(status).startswith("1 session"))
        assert plain(status).startswith("1 session, Marcus Reed's team:")


async def test_a_rep_of_another_team_shows_their_own_sessions(two_teams):
    """The palette opens any rep: under Marcus Reed, Emma's History is hers."""
    store, _grace, _emma = two_teams
    app = CoachApp(store, manager="Marcus Reed", today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Emma Novak")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("4")
        status = app.query_one("#history-status")
        await wait_until(pilot, lambda: "Emma Novak" in plain(status))
        assert plain(status).startswith("1 session, Emma Novak:")


@pytest.mark.parametrize(
    ("manager", "shown"),
    [
        (None, "2 sessions, all reps:"),
        ("Marcus Reed", "The team's sessions are listed once its numbers are computed."),
    ],
)
async def test_when_the_team_cannot_be_computed(two_teams, monkeypatch, manager, shown):
    """Every rep's sessions need no team; a manager's team's say why they wait."""
    store, _grace, _emma = two_teams

    def locked(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(coach_app, "compute_team", locked)
    app = CoachApp(store, manager=manager, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        status = app.query_one("#history-status")
        await wait_until(pilot, lambda: "Reading" not in plain(status))
        assert plain(status).startswith(shown)


def test_the_help_lists_the_search_keys():
    from coachtui.screens.dialogs.help import binding_ids

    assert {"history.search", "history.leave_search"} <= binding_ids()


async def test_the_history_says_it_is_reading_until_the_sessions_are_read(ann, monkeypatch):
    """Not "no sessions" while they are read: a big team's take a moment."""
    read = threading.Event()
    sessions = records.sessions

    def held(*args, **kwargs):
        read.wait(5)
        return sessions(*args, **kwargs)

    monkeypatch.setattr(records, "sessions", held)
    app = CoachApp(ann, today=JUNE_30)
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        status = app.query_one("#history-status")
        assert plain(status) == "Reading the coaching sessions…"
        read.set()
        await wait_until(pilot, lambda: plain(status) != "Reading the coaching sessions…")
        assert plain(status).startswith("1 session, all reps:")


async def test_the_end_of_a_session_shows_the_history_of_the_rep_coached(demo_store):
    """Ava under review, Emma coached from the roster: F10 shows Emma's
    sessions under the summary, not Ava's (the rep under review)."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Ava, the first rep, under review
        await settle(pilot)
        await pilot.press("1", *EMMA, "c")
        await settle(pilot)
        await pilot.press("escape", "n", *"Pinnacle first", "f10")
        await settle(pilot)
        history = app.query_one(CoachTabs).filled().history
        assert (history.rep, history.loaded_rep) == ("Emma Novak", "Emma Novak")
        assert app.query_one(CoachTabs).filled().review.rep == "Ava Chen"


async def test_after_a_session_the_history_follows_the_rep_reviewed_next(demo_store):
    """Emma's session ended: the History keeps showing her, under the summary,
    after it and as the focus moves; once Ava is reviewed, it shows Ava."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press(*EMMA, "c")
        await settle(pilot)
        await pilot.press("escape", "n", *"Pinnacle first", "f10")
        await settle(pilot)
        history = app.query_one(CoachTabs).filled().history
        await pilot.press("escape", "1", "4")
        await settle(pilot)
        assert history.rep == "Emma Novak"
        await pilot.press("1", "g", "enter", "4")  # Ava, the first rep, under review
        await settle(pilot)
        assert (history.rep, history.loaded_rep) == ("Ava Chen", "Ava Chen")


async def test_the_rep_coached_is_shown_whether_the_tab_or_the_summary_comes_first(demo_store):
    """The History tab shown, and the summary put over it once the screen is
    refreshed: on a loaded machine the summary came first, and the tab then
    showed the rep under review (Ava) under Emma's summary."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Ava under review
        await settle(pilot)
        await pilot.press("1", *EMMA, "c")
        await settle(pilot)
        app.call_after_refresh = lambda callback, *args: callback(*args)  # the summary first
        await pilot.press("escape", "n", *"Pinnacle first", "f10")
        await settle(pilot)
        history = app.query_one(CoachTabs).filled().history
        assert (history.rep, history.loaded_rep) == ("Emma Novak", "Emma Novak")


async def test_at_80_columns_the_list_shows_every_column_whole(demo_store):
    """The focus by its short name, as on the roster: "Multi-stakeholder
    access" pushed Kept off the screen's edge ("Kep")."""
    session = coaching.start_or_resume(demo_store, "Kemi Adeyemi", FocusArea.MULTI_STAKEHOLDER)
    coaching.end_session(demo_store, session.id)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await wait_until(pilot, lambda: "1 session" in plain(app.query_one("#history-status")))
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        header = next(line for line in lines if line.split()[:1] == ["Date"])
        assert header.split() == ["Date", "Rep", "Min", "Focus", "Ratings", "Made", "Kept"]
        assert "Kemi Adeyemi" in screen_text(app) and "Stakeholders" in screen_text(app)


async def test_commitments_marked_between_calls_count_in_the_kept_rate(two_teams):
    """Grace's session made four; one was kept. Marked missed on the
    Commitments tab, another counts too, as it would marked in a session."""
    store, _grace, _emma = two_teams
    app = CoachApp(store, manager="Marcus Reed", today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        status = app.query_one("#history-status")
        await wait_until(pilot, lambda: "kept" in plain(status))
        assert "100% of 1 commitment kept" in plain(status)
        await pilot.press("5", "space", "space")  # the overdue one: kept, then missed
        await settle(pilot)
        await pilot.press("4")
        await wait_until(pilot, lambda: "of 2 commitments" in plain(status))
        assert "50% of 2 commitments kept" in plain(status)
