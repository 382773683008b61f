"""CRM text is data: markup, unbalanced brackets, escape sequences and control
characters are shown literally on every screen and never reach the terminal."""

from __future__ import annotations

import csv
import html

import pytest
from textual.command import CommandPalette

from coachtui.app import CoachApp
from coachtui.coaching import commitments
from coachtui.coaching import sessions as coaching
from coachtui.importing import ImportOptions, import_file
from coachtui.text import visible
from tests.command_line import coachtui
from tests.conftest import TODAY, settle

REP = "[bold red]Eve[/]\x07"  # markup, and a bell
MANAGER = "\x1b]52;c;SGVsbG8=\x07Boss"  # an attempt to write to the clipboard
ACCOUNT = "Acme\x1b[31mRED"
DEAL = "[link=https://evil.example]click[/link]"
STAGE = "Stage [unbalanced"


@pytest.fixture
def hostile(store, tmp_path):
    deals = tmp_path / "deals.csv"
    with deals.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "deal_id",
                "rep",
                "account",
                "name",
                "stage",
                "amount",
                "created_date",
                "stage_entered_date",
            ]
        )
        for n in range(6):
            out.writerow([f"H{n}", REP, ACCOUNT, DEAL, STAGE, 1000, "2026-10-01", "2026-01-01"])
        out.writerow(["W1", REP, ACCOUNT, DEAL, "Closed Won", 500, "2026-09-01", ""])
    reps = tmp_path / "reps.csv"
    with reps.open("w", newline="") as handle:
        csv.writer(handle).writerows([["rep", "manager"], [REP, MANAGER]])
    import_file(store, "deals", deals, ImportOptions(today=TODAY))
    import_file(store, "reps", reps, ImportOptions(today=TODAY))
    session = coaching.start_or_resume(store, REP, None)
    commitments.add_commitment(store, session.id, REP, "[blink]call[/] \x1b[2J now")
    coaching.end_session(store, session.id)
    return store


def screen_text(app) -> str:
    svg = app.export_screenshot()
    assert "\x1b" not in svg and "\x07" not in svg
    return html.unescape(svg).replace("\xa0", " ")


async def test_every_screen_shows_crm_text_literally(hostile):
    app = CoachApp(hostile, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        assert visible(REP) in screen_text(app)  # roster
        await pilot.press("enter")
        await settle(pilot)
        review = screen_text(app)  # review: title, diagnosis, funnel, stalled deals
        assert visible(REP) in review and visible(MANAGER) in review
        assert "Stage [unbalanced" in review and visible(ACCOUNT) in review
        assert "[link=https://evil.exam" in review  # the stalled deal, cut to its column
        await pilot.press("c")
        await settle(pilot)
        coach = screen_text(app)
        assert visible(REP) in coach and visible("[blink]call[/] \x1b[2J now") in coach
        await pilot.press("d")
        await settle(pilot)
        assert "[link=https://evil.example]" in screen_text(app)  # the deal list wraps
        await pilot.press("escape", "f10")
        await settle(pilot)
        assert visible(REP) in screen_text(app)  # the summary
        await pilot.press("escape", "4")
        await settle(pilot)
        assert visible(REP) in screen_text(app)  # history
        await pilot.press("ctrl+p", *"Rep")
        await settle(pilot)  # the palette's search
        assert isinstance(app.screen, CommandPalette)
        palette = screen_text(app)
        assert f"Rep: {visible(REP)}" in palette and visible(MANAGER) in palette


async def test_the_coach_tab_names_a_session_not_ended_literally(hostile):
    coaching.start_or_resume(hostile, REP, None)
    app = CoachApp(hostile, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        coach = screen_text(app)
        assert f"Not ended yet: {visible(REP)}, started" in coach


def test_command_line_output_is_escaped(hostile):
    table = coachtui("metrics", "--db", str(hostile.path), "--as-of", "2026-11-27")
    assert table.returncode == 0, table.stderr
    assert (
        visible(REP) in table.stdout and "\x1b" not in table.stdout and "\x07" not in table.stdout
    )
    md = coachtui("export", "sessions", "--db", str(hostile.path))
    assert "\\[bold red\\]Eve\\[/\\]" in md.stdout
    assert "\x1b" not in md.stdout and "^\\[\\[2J now" in md.stdout


async def test_the_roster_sorts_reps_whose_names_hold_control_characters(hostile):
    app = CoachApp(hostile, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("s", "r", "S")
        assert app.query_one("RosterPane").shown == [REP]
        assert app.is_running
