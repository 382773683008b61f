"""The coaching loop in the app, driven by keys: the brief (b, and before a
session), the deals discussed, the whole record in the summary, last time's
deals next week, and the commitments made in a session."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Checkbox, DataTable, Input, Label, OptionList, TextArea

from coachtui.app import CoachApp
from coachtui.areas import FocusArea
from coachtui.coaching import commitments, deal_work
from coachtui.coaching import sessions as coaching
from coachtui.screens.coach import CoachPane
from coachtui.screens.dialogs.brief import BriefDialog
from coachtui.screens.dialogs.commitment import CommitmentDialog, ConfirmDialog
from coachtui.screens.dialogs.deal import DealDialog
from coachtui.screens.dialogs.summary import SessionSummary
from coachtui.screens.widgets.brief import SessionBrief
from coachtui.screens.widgets.checklist import Checklist
from tests.conftest import TODAY, rows, settle, wait_until
from tests.test_coach_session import EMMA, open_emma, start_emma


def question_notes(store) -> list[tuple]:
    return rows(store, "SELECT question_id, asked, text FROM question_notes")


def prompt(dialog: DealDialog, index: int) -> str:
    return str(dialog.query_one("#deal-list", OptionList).get_option_at_index(index).prompt)


async def test_d_discusses_two_deals_by_name_with_currency_met_and_learned(demo_store):
    demo_store.conn.execute("UPDATE deals SET currency = 'EUR' WHERE rep = 'Emma Novak'")
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await start_emma(pilot)
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, DealDialog)
        await settle(pilot)
        first = prompt(dialog, 0)
        options = dialog.query_one("#deal-list", OptionList)
        (first_id, first_name), (second_id, second_name) = (
            rows(demo_store, "SELECT deal_id, name FROM deals WHERE deal_id = ?", option.id)[0]
            for option in options.options[:2]
        )
        assert first.startswith(f"  stalled {first_name} · ")  # stalled first
        assert first_id not in first  # named by its name, not its CRM id

        await pilot.press("enter", *"CFO owns the budget", "tab")
        assert str(dialog.query_one("#deal-title").render()).startswith(first_name)
        await pilot.press(*"12", "tab", *"3", "tab", *"50")
        cost = str(dialog.query_one("#deal-cost").render())
        assert cost == "= €7,800 a month, €93,600 a year"  # the deal's own currency
        met = dialog.query_one("#met-economic", Checkbox)
        assert str(met.label) == "not met"
        met.focus()
        await pilot.press("space")
        assert met.value and str(met.label) == "met"

        await pilot.press("f2", "down", "enter", *"pilot slipped to Q1")
        assert str(dialog.query_one("#deal-title").render()).startswith(second_name)
        assert dialog.query_one("#people", Input).value == ""
        assert str(met.label) == "not met"
        discussed = str(dialog.query_one("#deal-discussed").render())
        assert f"{first_name}, {second_name}" in discussed
        assert prompt(dialog, 0).startswith("● ") and prompt(dialog, 1).startswith("● ")

        await pilot.press("f2", "up", "enter")  # back to the first: as typed
        assert dialog.query_one("#deal-learned", TextArea).text == "CFO owns the budget"
        assert dialog.query_one("#people", Input).value == "12"
        assert str(met.label) == "met"
        await pilot.press("escape")
        await settle(pilot)
        sid = pane.state.session.id
        assert rows(
            demo_store,
            "SELECT deal_id, name, currency, notes FROM session_deals "
            "WHERE session_id = ? ORDER BY rowid",
            sid,
        ) == [
            (first_id, first_name, "EUR", "CFO owns the budget"),
            (second_id, second_name, "EUR", "pilot slipped to Q1"),
        ]
        assert rows(demo_store, "SELECT deal_id, per_month FROM deal_values") == [
            (first_id, 7800.0)
        ]
        assert rows(demo_store, "SELECT deal_id, role, met FROM buying_influences") == [
            (first_id, "economic", 1)
        ]

        await pilot.press("d")  # again: the dialog opens on the last deal worked on
        await settle(pilot)
        assert str(app.screen.query_one("#deal-title").render()).startswith(first_name)


async def test_the_next_session_shows_the_deals_discussed_last_time(demo_store):
    week1 = coaching.start_or_resume(demo_store, "Emma Novak", None)
    ((deal_id, name),) = rows(
        demo_store,
        "SELECT deal_id, name FROM deals WHERE rep = 'Emma Novak' AND status = 'open' LIMIT 1",
    )
    deal_work.discuss_deal(demo_store, week1.id, deal_id)
    deal_work.save_deal_notes(demo_store, week1.id, deal_id, "legal\nreviews the MSA")
    commitments.add_commitment(demo_store, week1.id, "Emma Novak", "Send the redline")
    coaching.end_session(demo_store, week1.id)
    demo_store.conn.execute(
        "UPDATE coaching_sessions SET started_at = '2026-11-20T09:00:00' WHERE id = ?", (week1.id,)
    )
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await start_emma(pilot)
        assert pane.state.session.id != week1.id
        last = pane.query_one("#coach-last-deals")
        assert last.display
        (line,) = str(last.render()).splitlines()  # one line a deal
        assert line == f"Deals on Fri 20 Nov: {name}: legal reviews the MSA"
        table = pane.query_one("#commitments-table")
        shown = str(
            table.get_cell(table.coordinate_to_cell_key((0, 0)).row_key, "text")
        )  # next to it, cut at a word at 80 columns
        assert shown == "Send the redline" or "Send the redline".startswith(shown[:-1])


async def test_f10_the_copy_and_history_show_the_deals_discussed(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_emma(pilot)
        await pilot.press("d")
        await settle(pilot)
        deal_id = app.screen.query_one("#deal-list", OptionList).options[0].id
        ((name,),) = rows(demo_store, "SELECT name FROM deals WHERE deal_id = ?", deal_id)
        await pilot.press("enter", *"CFO signs", "escape", "f10")
        await settle(pilot)
        assert isinstance(app.screen, SessionSummary)
        summary = str(app.screen.query_one("Static").render())
        heading = "Deals discussed (cost, answers and buyers as they stand now)"
        assert f"{heading}\n  - {name}: cost of inaction not worked out\n" in summary
        assert "    learned: CFO signs\n" in summary
        await pilot.press("y")
        assert f"### Deals discussed\n\n- {name}: cost of inaction not worked out" in app.clipboard
        assert "  - learned: CFO signs" in app.clipboard
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # History: the session, read-only
        assert app.screen.heading == "Session (read-only)"
        assert "    learned: CFO signs\n" in str(app.screen.query_one("Static").render())


async def test_a_question_answered_counts_as_asked(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await start_emma(pilot)
        checklist = pane.query_one("#checklist-table")
        await pilot.press("j", "enter", *"40 hours a week")
        assert str(checklist.get_cell_at((1, 0))) == "[x]"  # marked at once
        answered = [("dollarizing.measure", 1, "40 hours a week")]
        await wait_until(pilot, lambda: question_notes(demo_store) == answered)
        await pilot.press("escape", "space")  # the manager may still take the mark off
        await settle(pilot)
        assert rows(demo_store, "SELECT asked FROM question_notes") == [(0,)]
        assert str(checklist.get_cell_at((1, 0))) == "[ ]"


async def test_commitments_made_now_are_listed_edited_and_deleted(demo_store):
    app = CoachApp(demo_store, today=TODAY)  # Friday 27 November 2026
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await start_emma(pilot)
        made = pane.query_one("#made-table", DataTable)
        assert not made.display
        await pilot.press("a", *"Book the CFO", "tab", "tab", *"+3d", "enter")
        assert [str(c) for c in made.get_row_at(0)] == ["Mon 30 Nov", "Emma", "Book the CFO"]
        await settle(pilot)
        commitment = "SELECT text, owner, due_date FROM commitments"
        assert rows(demo_store, commitment) == [("Book the CFO", "rep", "2026-11-30")]

        await pilot.press("shift+tab", "enter")  # to the list of commitments made now
        assert isinstance(app.screen, CommitmentDialog)
        assert app.screen.query_one("#commitment-text", Input).value == "Book the CFO"
        await pilot.press("end", *" and the CTO", "tab", "tab", "ctrl+u", *"2026-11-20", "enter")
        assert isinstance(app.screen, ConfirmDialog)  # in the past: asked first
        assert "Due Fri 20 Nov 2026 is in the past" in str(app.screen.query_one("Static").render())
        await pilot.press("n")
        assert isinstance(app.screen, CommitmentDialog)
        await settle(pilot)
        assert rows(demo_store, commitment) == [("Book the CFO", "rep", "2026-11-30")]
        await pilot.press("enter", "y")
        await settle(pilot)
        assert rows(demo_store, commitment) == [("Book the CFO and the CTO", "rep", "2026-11-20")]
        assert str(made.get_cell_at((0, 0))) == "Fri 20 Nov"

        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # kept
        await settle(pilot)
        assert made.row_count == 1 and len(rows(demo_store, commitment)) == 1
        await pilot.press("delete", "y")
        await settle(pilot)
        assert rows(demo_store, commitment) == []
        assert not made.display and app.focused.id == "checklist-table"

        # a new one due in the past asks too; escape there, then here, saves nothing
        await pilot.press("a", *"Call Lee", "tab", "tab", *"2026-11-01", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert rows(demo_store, commitment) == [] and pane.state.made == []


def brief_shown(app) -> str:
    return str(app.screen.query_one(".brief-text").render())


async def test_b_shows_the_brief_of_the_rep_on_the_roster_and_in_review(demo_store):
    stalled = "SELECT deal_id FROM deals WHERE rep = 'Emma Novak' AND stage = 'Needs Analysis'"
    demo_store.conn.execute(
        f"UPDATE deals SET name = '[b]Acme[/b] pilot' WHERE deal_id IN ({stalled})"
    )
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*EMMA, "b")
        await settle(pilot)
        assert isinstance(app.screen, BriefDialog)
        text = brief_shown(app)
        assert text.startswith("Brief: Emma Novak, manager ")
        assert "\nStalled deals\n" in text
        assert "  [b]Acme[/b] pilot (" in text  # CRM text, literally
        width = app.screen.query_one("#brief-body").scrollable_content_region.width
        assert max(map(len, text.splitlines())) <= width == 74  # wrapped to the dialog
        await pilot.press("escape")
        assert not isinstance(app.screen, BriefDialog)
        assert app.query_one("TabbedContent").active == "roster"

        await pilot.press("j", "enter", "b")  # Farid, under review
        await settle(pilot)
        assert brief_shown(app).startswith("Brief: Farid Haddad, manager ")
        await pilot.press("escape")
        assert app.query_one("TabbedContent").active == "review"
        assert rows(demo_store, "SELECT COUNT(*) FROM coaching_sessions") == [(0,)]


async def test_c_shows_the_brief_first_while_the_session_runs_and_escape_goes_on(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_emma(pilot)
        brief = pane.query_one(SessionBrief)
        assert brief.display and brief.has_focus
        assert brief_shown(app).startswith("Brief: Emma Novak, manager ")
        assert not pane.query_one(Checklist).display
        # recorded from the moment it starts
        assert rows(demo_store, "SELECT rep, ended_at FROM coaching_sessions") == [
            ("Emma Novak", None)
        ]
        await pilot.press("escape")
        assert not brief.display and pane.query_one(Checklist).display
        assert app.focused.id == "checklist-table"
        labels = [str(label.render()) for label in pane.query(Label)]
        assert any(label.startswith("Checklist") for label in labels)
        await pilot.press("b")  # the brief again, and back
        assert brief.display and brief.has_focus
        await pilot.press("b")
        assert not brief.display and app.focused.id == "checklist-table"
        await pilot.press("b", "enter")
        assert not brief.display and app.focused.id == "checklist-table"


async def test_c_then_n_types_the_notes_at_once(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_emma(pilot)
        # the keys in one burst, as a terminal sends them: none is lost
        for key, character in [("n", "n"), *((c, c) for c in "ask"), ("space", " ")]:
            app.post_message(events.Key(key, character))
        app.post_message(events.Key("d", "d"))
        await wait_until(
            pilot, lambda: rows(demo_store, "SELECT notes FROM coaching_sessions") == [("ask d",)]
        )
        pane = app.query_one(CoachPane)
        assert pane.query_one("#session-notes", TextArea).text == "ask d"
        assert not pane.query_one(SessionBrief).display


async def test_a_d_and_f10_on_the_brief_go_on_and_act_at_once(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_emma(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, CommitmentDialog)
        await pilot.press("escape", "b", "d")
        assert isinstance(app.screen, DealDialog)
        await pilot.press("escape", "b", "space")  # a row not seen yet: only on
        assert not pane.query_one(SessionBrief).display
        assert rows(demo_store, "SELECT COUNT(*) FROM question_notes") == [(0,)]
        coaching.rate(demo_store, pane.state.session.id, FocusArea.DOLLARIZING, 2)  # kept
        await pilot.press("b", "f10")
        await settle(pilot)
        assert isinstance(app.screen, SessionSummary)
        assert rows(demo_store, "SELECT ended_at IS NOT NULL FROM coaching_sessions") == [(1,)]
        assert not pane.query_one(SessionBrief).display


def test_the_new_keys_have_ids_and_words_and_the_help_lists_them():
    from coachtui.screens import keys
    from coachtui.screens.dialogs.help import binding_ids

    new = {
        "roster.brief",
        "review.brief",
        "coach.brief",
        "coach.brief_done",
        "brief.close",
        "coach.commitment_edit",
        "coach.commitment_delete",
        "deal.list",
        "confirm.yes",
        "confirm.no",
    }
    assert new <= binding_ids()
    every = [*keys.ROSTER, *keys.REVIEW, *keys.COACH, *keys.SESSION_BRIEF, *keys.MADE]
    every += [*keys.BRIEF, *keys.BRIEF_SCROLL, *keys.DEAL, *keys.CONFIRM]
    assert all(binding.id and binding.description for binding in every)


async def test_n_and_the_note_typed_in_one_burst_go_together(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await start_emma(pilot)
        # as a terminal sends them over SSH: read by the app before n has acted
        for key, character in [("n", "n"), ("a", "a"), ("space", " "), ("d", "d")]:
            app.post_message(events.Key(key, character))
        await wait_until(
            pilot, lambda: rows(demo_store, "SELECT notes FROM coaching_sessions") == [("a d",)]
        )
        assert pane.query_one("#session-notes", TextArea).text == "a d"
        for key, character in [("escape", None), ("a", "a")]:  # out, and a: a commitment
            app.post_message(events.Key(key, character))
        await wait_until(pilot, lambda: isinstance(app.screen, CommitmentDialog))
        assert pane.query_one("#session-notes", TextArea).text == "a d"
        await pilot.press("escape")
        for key, character in [("j", "j"), ("space", " "), ("e", "e"), ("x", "x")]:
            app.post_message(events.Key(key, character))
        answered = [("dollarizing.measure", 1, "x")]
        await wait_until(pilot, lambda: question_notes(demo_store) == answered)


async def test_the_deals_list_moves_with_the_tables_keys(demo_store):
    """j, k, G and g, as in every table: j then enter opened the first deal."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await start_emma(pilot)
        await pilot.press("d")
        await settle(pilot)
        options = app.screen.query_one("#deal-list", OptionList)
        last = options.option_count - 1
        assert options.option_count > 2
        moves = {"j": 1, "k": 0, "G": last, "g": 0}
        for key, highlighted in moves.items():
            await pilot.press(key)
            assert options.highlighted == highlighted, key
        await pilot.press("j", "enter")
        await settle(pilot)
        second = options.get_option_at_index(1).id
        assert str(app.screen.query_one("#deal-title").render()).startswith(
            rows(demo_store, "SELECT name FROM deals WHERE deal_id = ?", second)[0][0]
        )


async def test_a_session_with_nothing_said_is_not_kept(demo_store):
    """`c` on Emma to read her brief, then F10: nothing said or marked, so no
    session is kept (none in the History, the roster or the impact), the
    manager is told, and the roster is shown. One word in the notes, and the
    next one is kept."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await open_emma(pilot)
        await pilot.press("escape", "f10")
        await settle(pilot)
        assert pane.state is None and not isinstance(app.screen, SessionSummary)
        assert app.query_one("TabbedContent").active == "roster"
        assert rows(demo_store, "SELECT COUNT(*) FROM coaching_sessions") == [(0,)]
        said = [str(n.message) for n in app._notifications]
        assert "Nothing was written or marked with Emma Novak: the session was not saved." in said
        await pilot.press("c", "escape", "n", "k", "f10")
        await settle(pilot)
        assert isinstance(app.screen, SessionSummary)
        assert rows(demo_store, "SELECT rep, notes FROM coaching_sessions") == [("Emma Novak", "k")]


@pytest.mark.parametrize(("typed", "kept"), [((), []), (("n", "k"), [("Emma Novak", "k")])])
async def test_quitting_on_a_session_with_nothing_said_does_not_keep_it(demo_store, typed, kept):
    """`c` on Emma, then quit: the app does not leave an unfinished session
    nobody said anything in. One word in the notes, and it stays, to resume."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await open_emma(pilot)
        await pilot.press("escape", *typed, "ctrl+q")
        await settle(pilot)
    assert (
        rows(demo_store, "SELECT rep, notes FROM coaching_sessions WHERE ended_at IS NULL") == kept
    )
