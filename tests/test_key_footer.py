"""The line of keys at the bottom: the keys of what has the focus, the command
palette's at the right however narrow the terminal, and a click presses a key.
(How it looks is in every screen's snapshot.)"""

from __future__ import annotations

from textual.widgets import Input, TabbedContent, TextArea

from coachtui.app import CoachApp
from coachtui.screens.dialogs.commitment import CommitmentDialog
from coachtui.screens.dialogs.help import HelpScreen
from coachtui.screens.widgets.key_footer import KeyFooter
from tests.conftest import TODAY, settle
from tests.test_coach_session import EMMA, open_emma, start_emma


def footer_line(screen) -> str:
    return screen.query_one(KeyFooter).render().plain


async def test_the_keys_follow_the_focus_and_each_dialog_has_its_own(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        roster = footer_line(app.screen)
        assert roster.startswith(" ⏎ Open rep  c Coach  b Brief  / Filter  s Sort ")
        assert roster.endswith("▏^p palette ") and len(roster) == 120

        await start_emma(pilot)
        checklist = footer_line(app.screen)
        assert " space Mark " in checklist and " a Commit " in checklist
        await pilot.press("n")  # to the session's notes: the checklist's keys go
        notes = footer_line(app.screen)
        assert notes.startswith(" F10 End  F1 Help ") and " space Mark " not in notes

        await pilot.press("escape", "a")
        assert isinstance(app.screen, CommitmentDialog)
        assert footer_line(app.screen).startswith(" esc Cancel ")
        await pilot.press("escape")
        await pilot.pause()
        assert footer_line(app.screen) == checklist


async def test_a_narrow_terminal_leaves_out_the_keys_that_do_not_fit_whole(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_emma(pilot)  # the brief: more keys than 80 columns hold
        line = footer_line(app.screen)
        assert line.startswith(" esc Checklist  F10 End  n Notes ")
        # "a Commit" would be cut to "a C": it is left out, and the palette's key stays
        assert line.endswith(" f Focus     ▏^p palette ") and len(line) == 80
        keys = app.screen.query_one(KeyFooter)
        assert [key.label for _s, _e, key in keys._spans][-2:] == ["Focus", "palette"]


async def test_a_click_on_a_key_presses_it(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*EMMA)
        line = footer_line(app.screen)
        await pilot.click(KeyFooter, offset=(line.index(" c Coach") + 2, 0))
        await settle(pilot)
        assert app.query_one(TabbedContent).active == "coach"
        assert app.query_one("CoachPane").state.session.rep == "Emma Novak"

        await pilot.click(KeyFooter, offset=(119 - len("palette "), 0))  # on "^p"
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"


async def test_while_typing_the_footer_offers_only_the_keys_that_act_there(demo_store):
    """A text box types a printable key without modifiers: the footer offered
    "+/- Rate" and "? Help" in the session notes, and "/ Filter" in the
    roster's filter, keys that typed "+", "?" and "/". The keys that still
    act there stay: F10 ends the session, F1 opens the help."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        assert footer_line(app.screen).startswith(" F1 Help ")
        await pilot.press("escape")

        pane = await start_emma(pilot)
        assert " +/- Rate " in footer_line(app.screen)  # on the checklist, + rates
        await pilot.press("n", "plus", "question_mark", "slash")
        notes = pane.query_one("#session-notes", TextArea)
        assert app.focused is notes and notes.text == "+?/"
        line = footer_line(app.screen)
        assert line.split("▏")[0].split() == ["F10", "End", "F1", "Help"]

        await pilot.press("f1")  # what the footer offers acts
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
