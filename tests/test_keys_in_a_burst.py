"""Keys that arrive in a burst, as over a laggy SSH link, land where they
would have landed typed slowly: in the dialog a key opened, in the field a
key moved to."""

from __future__ import annotations

import time
from collections import deque

from textual import events

from coachtui.app import CoachApp
from coachtui.screens.dialogs.commitment import CommitmentDialog
from coachtui.screens.key_order import EscapeThenKey
from coachtui.screens.messages import CoachRep
from coachtui.store import Store
from tests.conftest import TODAY, burst, rows, settle, wait_until
from tests.test_coach_session import EMMA, start_emma
from tests.test_nothing_lost import Terminal
from tests.test_workers import another_writer


async def test_a_filter_typed_at_once_as_the_app_starts(demo_store):
    """The filter box is mounted by the `/` that asks for it: the keys after it
    wait for it and go into it."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        burst(pilot, "slash", *"chloe", "enter", "j")
        await settle(pilot, 0.5)
        roster = app.query_one("RosterPane")
        assert roster.filter_box().value == "chloe"
        assert roster.shown == ["Chloe Park"]
        assert app.focused is app.query_one("#roster-table")


async def test_a_commitment_typed_at_once_after_a(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_emma(pilot)
        burst(pilot, "a", *"Call the CFO", "tab", "tab", *"+3d", "enter")
        made = [("Call the CFO", "rep", "2026-11-30")]
        await wait_until(
            pilot, lambda: rows(demo_store, "SELECT text, owner, due_date FROM commitments") == made
        )
        await wait_until(pilot, lambda: not isinstance(app.screen, CommitmentDialog))


async def test_a_calculator_entry_typed_at_once_after_d(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_emma(pilot)
        # a deal picked, the cursor is in "what we learned"; tab goes on to people
        burst(pilot, "d", "enter", "tab", *"12", "tab", "6", "tab", *"85", "escape")
        await wait_until(
            pilot,
            lambda: (
                rows(demo_store, "SELECT people, hours, rate FROM deal_values")
                == [(12.0, 6.0, 85.0)]
            ),
        )


async def test_an_answer_and_a_note_typed_at_once(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_emma(pilot)
        burst(pilot, "j", "enter", *"hours lost", "escape", "n", *"maps the buyers", "escape")
        burst(pilot, "j", "e", *"twenty", "escape")
        # an answered question counts as asked
        answered = [("dollarizing.measure", 1, "hours lost"), ("dollarizing.now", 1, "twenty")]
        await wait_until(
            pilot,
            lambda: (
                rows(demo_store, "SELECT question_id, asked, text FROM question_notes") == answered
            ),
        )
        await wait_until(
            pilot,
            lambda: (
                rows(demo_store, "SELECT notes FROM coaching_sessions") == [("maps the buyers",)]
            ),
        )


async def note_saved(pilot, store, note: str) -> None:
    """Until Emma's session, the only one, holds `note`."""
    await wait_until(
        pilot,
        lambda: rows(store, "SELECT rep, notes FROM coaching_sessions") == [("Emma Novak", note)],
    )


def team_on_its_way(app):
    """The app as at a start, its team still being computed; the team computed,
    to post when the test lets the worker be through."""
    computed, app.review = app.team, None
    return computed


async def test_the_keys_after_c_wait_for_the_session_to_open(demo_store):
    """The session opens on a worker, which can take a while on a busy
    machine or behind another writer: the escape that closes its brief and
    the note typed after it wait for it, and do not go to the roster."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with another_writer(demo_store.path):  # the session cannot be written yet
            burst(pilot, *EMMA, "c", "escape", "n", *"typed at once", "escape")
            await pilot.pause(0.1)
        await note_saved(pilot, demo_store, "typed at once")


async def test_the_keys_after_c_wait_for_the_team_on_the_kept_roster(demo_store):
    """On the roster kept from the last start, c waits for the team to be
    computed again before the session opens: the keys typed after it wait
    with it, and do not go to the roster meanwhile."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        computed = team_on_its_way(app)
        burst(pilot, *EMMA, "c", "escape", "n", *"typed at once", "escape")
        await pilot.pause(0.1)
        assert rows(demo_store, "SELECT rep FROM coaching_sessions") == []
        app.post_message(computed)
        await note_saved(pilot, demo_store, "typed at once")


async def test_keys_typed_at_once_wait_for_the_session_coach_rep_opens(demo_store):
    """`coachtui coach REP` asks for the session as it starts, before the team
    is computed: the keys typed meanwhile, the first of them too, wait for
    the session, and the q of "quick" does not quit from the roster."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        computed = team_on_its_way(app)
        app.post_message(CoachRep("Emma Novak"))  # what `coach REP` asks for
        await pilot.pause()
        burst(pilot, "n", *"quick note", "escape")
        await pilot.pause(0.1)
        assert app.is_running and rows(demo_store, "SELECT rep FROM coaching_sessions") == []
        app.post_message(computed)
        await note_saved(pilot, demo_store, "quick note")


def test_a_burst_through_a_real_terminal(demo_db):
    """One write to the terminal, as tmux send-keys or a laggy link gives it."""

    db = demo_db
    terminal = Terminal(db, "coach", "Emma Novak")
    try:
        terminal.wait_for(b"Checklist")
        terminal.pause(1.0)
        terminal.type("aCall the CFO\r")
        terminal.pause(1.0)
        # esc and the keys after it, in one write: escape, not alt+j or "^"
        terminal.type("nEmma books the CFO\x1bjehours lost\x1b")
        terminal.pause(1.5)
        terminal.type("q")
        terminal.app.wait(15)
    finally:
        terminal.close()
    with Store.open(db) as store:
        assert rows(store, "SELECT text FROM commitments") == [("Call the CFO",)]
        assert rows(store, "SELECT notes FROM coaching_sessions") == [("Emma books the CFO",)]
        assert rows(store, "SELECT question_id, text FROM question_notes") == [
            ("dollarizing.measure", "hours lost")
        ]


def test_escape_and_the_keys_after_it_read_as_escape_then_those_keys():
    parser = EscapeThenKey()
    keys = [event.key for event in parser.feed("ab\x1bje\x1b[A\x1bOP\x1b")]
    assert keys == ["a", "b", "escape", "j", "e", "up", "f1"]  # the last esc: not yet read
    assert [event.key for event in parser.feed("x")] == ["escape", "x"]


def test_text_is_cut_at_a_word_and_marked():
    from coachtui.text import elide

    assert elide("Who signs, and have you met them?", 20) == "Who signs, and have…"
    assert elide("Short", 20) == "Short"
    assert elide("Supercalifragilistic", 8) == "Superca…"


async def test_the_coach_tab_at_80x24_cuts_no_word_and_keeps_six_lines_of_notes(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_emma(pilot)
        notes = app.query_one("#session-notes")
        # laid out on a refresh after the brief closes: a busy machine lets the
        # idle wait end before it (content_region 0x0)
        await wait_until(pilot, lambda: notes.content_region.width > 0)
        checklist = app.query_one("#checklist-table")
        texts = [checklist.get_row_at(n)[1].plain for n in range(checklist.row_count)]
        questions = [t for t in texts if "…" in t]
        assert questions, texts  # at 80 columns some questions are too long to show whole
        for shown in questions:
            kept = shown.removesuffix("…")
            # what is kept ends at a word of the question (or its punctuation)
            assert any(
                q.startswith(kept) and not q[len(kept)].isalnum() for q in all_questions(app)
            ), shown
        assert notes.content_region.height >= 6


def all_questions(app) -> list[str]:
    return [q.text for area in app.playbook.areas for q in area.questions]


async def test_keys_still_held_when_the_app_closes_are_dropped(demo_store):
    """The timer that sends held keys on can fire after the last screen is
    gone (keys typed as the app quits): they are dropped, not a crash."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert not app.screen_stack
    # a key held behind one that has just gone through, its timer due now
    app._held, app._settling, app._sent_at = deque([events.Key("j", "j")]), True, time.monotonic()
    await app._rechecked()


async def test_notes_typed_and_f10_at_once_are_in_the_summary(demo_store):
    """`n`, a sentence and F10 arrive together: the keys reach the editor
    before its changes reach the autosave, and the session ended with the
    notes as they were before the burst. What the editors hold is taken
    first: the summary and the database have the sentence."""
    from coachtui.screens.dialogs.summary import SessionSummary

    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_emma(pilot)
        burst(pilot, "n", *"Dollarize the delay", "f10")
        await wait_until(
            pilot, lambda: isinstance(app.screen, SessionSummary) and app.screen.query("Static")
        )
        await settle(pilot)  # the roster's coaching columns, computed again as the session ended
        assert "Dollarize the delay" in str(app.screen.query_one("Static").render())
        notes = rows(demo_store, "SELECT notes, ended_at IS NOT NULL FROM coaching_sessions")
        assert notes == [("Dollarize the delay", 1)]


async def test_escape_typed_with_f10_closes_the_summary(demo_store):
    """Notes, F10 and escape at once: escape is for the summary the end of the
    session opens (keys wait for what F10 set off), and History stays."""
    from coachtui.screens.dialogs.summary import SessionSummary

    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_emma(pilot)
        burst(pilot, "n", *"Dollarize it", "f10", "escape")
        await wait_until(pilot, lambda: app.query_one("TabbedContent").active == "history")
        await settle(pilot)
        assert not isinstance(app.screen, SessionSummary)
        assert app.focused is app.query_one("#history-table")
    assert rows(demo_store, "SELECT notes, ended_at IS NOT NULL FROM coaching_sessions") == [
        ("Dollarize it", 1)
    ]
