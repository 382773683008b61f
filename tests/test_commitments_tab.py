"""The Commitments tab (5) and the roster's overdue marker, driven by keys."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable

from coachtui.app import CoachApp
from coachtui.coaching import commitments
from coachtui.screens.commitments import CommitmentsPane
from tests.conftest import LATE, TODAY, rows, settle
from tests.test_hostile_text import screen_text


def cells(app) -> list[list[str]]:
    table = app.query_one("#team-commitments-table", DataTable)
    return [[cell.plain for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_the_tab_lists_the_teams_open_commitments_overdue_first(two_teams):
    store, _grace, _emma = two_teams
    app = CoachApp(store, manager="Marcus Reed", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert app.query_one("TabbedContent").active == "commitments"
        assert app.focused is app.query_one("#team-commitments-table")
        # the team's only: Emma's is Dana Whitfield's; the kept one is not open
        assert cells(app) == [
            ["OVERDUE", "Tue 24 Nov", "Grace Liu", "rep", "13 Nov", "Book the CFO"],
            ["open", "Fri 04 Dec", "Grace Liu", "rep", "13 Nov", "Send the ROI sheet"],
            ["open", "-", "Grace Liu", "rep", "13 Nov", "Map the buyers"],
        ]
        status = str(app.query_one("#team-commitments-status").render())
        assert status.startswith("3 open, 1 overdue · Marcus Reed's team")
        detail = str(app.query_one("#team-commitments-detail").render())
        assert detail == "Grace Liu: Book the CFO\nfrom the session of Fri 13 Nov · due Tue 24 Nov"


async def test_every_team_without_a_manager(two_teams):
    store, _grace, _emma = two_teams
    app = CoachApp(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        # overdue first, then by due date (none last), then by rep
        assert [(row[0], row[2], row[5]) for row in cells(app)] == [
            ("OVERDUE", "Emma Novak", "Call Lee"),
            ("OVERDUE", "Grace Liu", "Book the CFO"),
            ("open", "Grace Liu", "Send the ROI sheet"),
            ("open", "Grace Liu", "Map the buyers"),
        ]
        assert "all teams" in str(app.query_one("#team-commitments-status").render())


async def test_space_marks_kept_then_missed_then_open_with_the_day_it_changed(two_teams):
    store, grace, _emma = two_teams
    cfo = grace[2]
    app = CoachApp(store, manager="Marcus Reed", today=TODAY)
    today = dt.date.today()  # marked_at is the day the manager marks it
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        for status in ("kept", "missed", "open"):
            await pilot.press("space")
            await settle(pilot)
            (written,) = rows(store, "SELECT status, marked_at FROM commitments WHERE id = ?", cfo)
            assert written[0] == status and written[1].startswith(today.isoformat())
            shown = "OVERDUE" if status == "open" else f"{status} {today:%d %b}"
            assert cells(app)[0][0] == shown
        # pressed twice before the first is written: both are written, in order
        await pilot.press("space", "space")
        await settle(pilot)
        assert rows(store, "SELECT status FROM commitments WHERE id = ?", cfo) == [("missed",)]
        assert cells(app)[0][0] == f"missed {today:%d %b}"
        status = str(app.query_one("#team-commitments-status").render())
        assert status.startswith("2 open, 0 overdue")
        # the roster's column follows: Grace's late one is missed, no longer open
        roster = app.query_one("#roster-table", DataTable)
        assert roster.get_cell("Grace Liu", "commitments").plain == "2"
        # the row stays until the list is read again: then it is gone
        await pilot.press("1", "5")
        await settle(pilot)
        assert [row[5] for row in cells(app)] == ["Send the ROI sheet", "Map the buyers"]


async def test_commitments_made_in_a_session_are_listed_once_it_ends(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert cells(app) == []
        assert str(app.query_one("#team-commitments-status").render()) == (
            "No open commitments, all teams."
        )
        await pilot.press("1", "j", "j", "j", "j", "c")  # Emma Novak
        await settle(pilot)
        session = app.query_one("CoachPane").state.session
        commitments.add_commitment(demo_store, session.id, "Emma Novak", "Call Lee", due=LATE)
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("escape")  # the summary
        # listed while the History tab is shown, before the tab is shown again
        pane = app.query_one(CommitmentsPane)
        assert [c.text for c in pane.listed] == ["Call Lee"]
        await pilot.press("5")
        await settle(pilot)
        assert cells(app)[0][0] == "OVERDUE"
        assert cells(app)[0][4] == f"{dt.date.today():%d %b}"  # the session's day


async def test_the_roster_marks_overdue_commitments_in_words_under_no_color(two_teams, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    store, _grace, _emma = two_teams
    app = CoachApp(store, today=TODAY)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        assert app.no_color
        table = app.query_one("#roster-table", DataTable)

        def commitments(rep: str) -> str:
            return table.get_cell(rep, "commitments").plain

        assert commitments("Grace Liu") == "3 (1 late)"
        assert commitments("Emma Novak") == "1 (1 late)"
        assert commitments("Ava Chen") == "0"
        assert "3 (1 late)" in screen_text(app)


def test_the_help_lists_the_commitments_keys():
    from coachtui.screens.dialogs.help import binding_ids, sections

    assert {"tab.commitments", "commitments.mark"} <= binding_ids()
    (listed,) = [bindings for title, bindings in sections() if title == "Commitments"]
    assert [(b.key, b.description) for b in listed] == [("space", "Kept/missed/open")]
