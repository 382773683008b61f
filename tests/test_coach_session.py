"""The live session driven by keys: every key of the Coach tab, autosave,
resume, commitments across sessions, a failing disk, the end summary."""

from __future__ import annotations

import datetime as dt
import sqlite3

from textual.widgets import DataTable, Input, Static, TextArea

from coachtui.app import CoachApp
from coachtui.coaching import commitments, deal_work, records
from coachtui.coaching import sessions as coaching
from coachtui.coaching.records import CoachingSession
from coachtui.screens import coach as coach_screen
from coachtui.screens.coach import CoachPane
from coachtui.screens.dialogs.commitment import CommitmentDialog
from coachtui.screens.dialogs.deal import DealDialog
from coachtui.screens.dialogs.summary import SessionSummary
from coachtui.screens.not_ended import NO_SESSION, no_session_text
from coachtui.screens.roster import coached_text
from coachtui.text import day
from tests.conftest import SOON, TODAY, rows, settle, wait_until

EMMA = ["j", "j", "j", "j"]  # the fifth rep on the roster, A to Z


async def open_emma(pilot) -> CoachPane:
    """Emma's session, on the brief a new session shows first."""
    await settle(pilot)
    await pilot.press(*EMMA, "c")
    await settle(pilot)
    return pilot.app.query_one(CoachPane)


async def start_emma(pilot) -> CoachPane:
    """Emma's session, past the brief a new session shows first."""
    pane = await open_emma(pilot)
    await pilot.press("escape")
    return pane


def session_row(store):
    return rows(store, "SELECT id, rep, notes, focus_area, ended_at FROM coaching_sessions")


def notes(store) -> str | None:
    return session_row(store)[0][2]


def answers(store) -> list[tuple]:
    return rows(store, "SELECT text FROM question_notes")


def coach_status(pane: CoachPane) -> str:
    return str(pane.query_one("#coach-status").render())


async def test_every_key_of_the_session(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        assert pane.state.session.rep == "Emma Novak"
        assert pane.state.session.suggested_area.value == "dollarizing"
        checklist = pane.query_one("#checklist-table", DataTable)
        assert checklist.has_focus
        # the suggested area comes first
        assert checklist.coordinate_to_cell_key((0, 0)).row_key.value == "area:dollarizing"

        await pilot.press("j", "space")  # first dollarizing question asked
        await pilot.press("plus", "plus", "minus")  # rating 3, 4, then 3
        await settle(pilot)
        sid = pane.state.session.id
        assert rows(demo_store, "SELECT question_id, asked FROM question_notes") == [
            ("dollarizing.measure", 1)
        ]
        assert rows(demo_store, "SELECT area, rating FROM ratings") == [("dollarizing", 3)]
        await pilot.press("minus", "minus", "minus")  # 2, 1, then no rating: a stray one goes
        await settle(pilot)
        assert rows(demo_store, "SELECT area, rating FROM ratings") == []
        assert "Dollarizing  -----" in checklist.get_row("area:dollarizing")[1].plain
        await pilot.press("minus")  # nothing to lower
        await settle(pilot)
        assert rows(demo_store, "SELECT area, rating FROM ratings") == []
        await pilot.press("plus", "plus")  # 3, 4
        await settle(pilot)
        assert rows(demo_store, "SELECT area, rating FROM ratings") == [("dollarizing", 4)]

        await pilot.press("enter")  # answer the highlighted question
        assert isinstance(app.focused, TextArea) and app.focused.id == "question-notes"
        await pilot.press(*"hours lost per week")
        await wait_until(pilot, lambda: answers(demo_store) == [("hours lost per week",)])
        await pilot.press("escape")
        assert app.focused is checklist

        await pilot.press("n", *"Emma maps the buying group")
        assert app.focused.id == "session-notes"
        await wait_until(pilot, lambda: notes(demo_store) == "Emma maps the buying group")
        await pilot.press("escape", "f")  # overrule the suggestion
        await settle(pilot)
        assert session_row(demo_store)[0][3] == "multi_stakeholder"
        assert checklist.coordinate_to_cell_key((0, 0)).row_key.value == "area:multi_stakeholder"

        await pilot.press("a")
        assert isinstance(app.screen, CommitmentDialog)
        await pilot.press(*"Book the CFO", "tab", "tab", *"+3d", "enter")
        await settle(pilot)
        assert rows(demo_store, "SELECT text, owner, due_date, status FROM commitments") == [
            ("Book the CFO", "rep", "2026-11-30", "open")
        ]

        await pilot.press("n", *" more")  # F10 ends the session even while typing
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, SessionSummary)
        summary = str(app.screen.query_one("Static").render())
        assert "Areas covered: Dollarizing" in summary and "Book the CFO" in summary
        assert "Emma maps the buying group more" in summary
        await pilot.press("y")
        assert "## Coaching session: Emma Novak" in app.clipboard
        await pilot.press("escape")
        assert session_row(demo_store)[0][4] is not None
        assert pane.state is None
        # the History tab shows the session just ended, and keys work again
        assert app.query_one("TabbedContent").active == "history"
        await settle(pilot)
        assert app.query_one("#history-table", DataTable).row_count == 1
        history_status = str(app.query_one("#history-status").render())
        assert history_status.startswith("1 session, Emma Novak")
        await pilot.press("1")
        assert app.query_one("TabbedContent").active == "roster"
        assert sid == session_row(demo_store)[0][0]


def header(pane: CoachPane) -> str:
    return str(pane.query_one("#coach-header").render())


async def test_the_coach_tab_names_only_the_managers_reps_sessions_not_ended(demo_store):
    coaching.start_or_resume(demo_store, "Emma Novak", None)  # Dana Whitfield's team
    coaching.start_or_resume(demo_store, "Grace Liu", None)
    app = CoachApp(demo_store, manager="Marcus Reed", today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        pane = pilot.app.query_one(CoachPane)
        await wait_until(pilot, lambda: "Not ended yet" in header(pane))
        assert "Grace Liu, started" in header(pane) and "Emma" not in header(pane)


async def test_the_coach_tab_reads_the_sessions_not_ended_again_when_shown(demo_store):
    """Another coachtui on the database starts or ends sessions meanwhile."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        pane = pilot.app.query_one(CoachPane)
        assert "Not ended yet" not in header(pane)
        coaching.start_or_resume(demo_store, "Emma Novak", None)  # as another coachtui
        await pilot.press("1", "3")
        await wait_until(pilot, lambda: "Not ended yet: Emma Novak" in header(pane))


async def test_the_coach_tab_names_the_sessions_left_open(demo_store):
    """After the app was killed in sessions, the Coach tab says whose are still
    open before `c` resumes one, and the others' once it has ended."""
    coaching.start_or_resume(demo_store, "Ben Ortiz", None)
    coaching.start_or_resume(demo_store, "Emma Novak", None)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        pane = pilot.app.query_one(CoachPane)
        await wait_until(pilot, lambda: "Not ended yet" in header(pane))
        assert "Emma Novak, started" in header(pane) and "Ben Ortiz, started" in header(pane)
        await pilot.press("1", *EMMA, "c")
        await settle(pilot)
        assert "Not ended yet" not in header(pane)
        await pilot.press("escape", "f10")
        await settle(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Not ended yet" in header(pane))
        assert "Ben Ortiz, started" in header(pane) and "Emma" not in header(pane)


def test_sessions_left_open_are_named_latest_first_once_each():
    def left(rep: str, hour: int, year: int = 2026) -> CoachingSession:
        return CoachingSession(id=1, rep=rep, started_at=dt.datetime(year, 12, 3, hour, 5))

    today = dt.date(2026, 12, 3)
    assert no_session_text([], today) == NO_SESSION
    three = [left("Ann [b]Lee[/b]", 9), left("Bob", 10), left("Ann [b]Lee[/b]", 11)]
    assert no_session_text(three, today).endswith(
        "Not ended yet: Ann [b]Lee[/b], started Thu 03 Dec 11:05; "
        "Bob, started Thu 03 Dec 10:05. On the Roster, c on a rep resumes their session."
    )
    many = [left("Old", 8, 2025)] + [left(f"Rep {n}", n) for n in (9, 10, 11, 12)]
    assert no_session_text(many, today).endswith(
        "Rep 12, started Thu 03 Dec 12:05; Rep 11, started Thu 03 Dec 11:05; "
        "Rep 10, started Thu 03 Dec 10:05; and 2 more (History, * unfinished). "
        "On the Roster, c on a rep resumes their session."
    )
    assert "Old, started Wed 03 Dec 2025 08:05." in no_session_text([left("Old", 8, 2025)], today)


async def test_an_unfinished_session_resumes(demo_store):
    session = coaching.start_or_resume(demo_store, "Emma Novak", None)
    coaching.save_notes(demo_store, session.id, "typed before the line dropped")
    coaching.save_question(demo_store, session.id, "dollarizing.now", text="40 hours", asked=True)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        assert pane.state.session.id == session.id
        assert pane.query_one("#session-notes", TextArea).text == "typed before the line dropped"
        await pilot.press("j", "j")  # to "What is that measure now?"
        assert pane.query_one("#question-notes", TextArea).text == "40 hours"


async def test_a_session_resumed_the_next_day_times_only_what_was_coached(demo_store):
    """Emma's session ran from 09:00 to its last word at 09:20, and the app
    closed. Resumed at 08:00 the next day, its clock shows 20:00, not 23
    hours; `c` on Emma again in the same app takes up no pause."""
    session = coaching.start_or_resume(demo_store, "Emma Novak", None)
    demo_store.conn.execute(
        "UPDATE coaching_sessions SET started_at = ?, updated_at = ? WHERE id = ?",
        ("2026-11-26T09:00:00", "2026-11-26T09:20:00", session.id),
    )
    now = [dt.datetime(2026, 11, 27, 8, 0)]
    app = CoachApp(demo_store, today=TODAY, clock=lambda: now[0])
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        assert "Emma Novak  20:00  " in str(pane.query_one("#coach-header").render())
        now[0] += dt.timedelta(minutes=7)
        await pilot.press("1", "c")  # the roster, and Emma (still highlighted) again
        await settle(pilot)
        assert "Emma Novak  27:00  " in str(pane.query_one("#coach-header").render())
    (resumed,) = records.coaching_sessions(demo_store, session_id=session.id)
    assert resumed.paused == dt.timedelta(hours=22, minutes=40)


async def test_a_session_with_no_word_typed_keeps_its_time_when_resumed(demo_store):
    """A question marked and a rating given as the session starts, nothing
    typed, the rep talking until the app closes 40 minutes later: resumed 10
    minutes after that, the session has lasted 40 minutes, not none (its pause
    counts from when it was last open here, not from its last word)."""
    now = [dt.datetime.now().replace(microsecond=0)]  # the session starts now
    app = CoachApp(demo_store, today=TODAY, clock=lambda: now[0])
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        await pilot.press("j", "space", "k", "plus")
        await settle(pilot)
        now[0] = pane.state.session.started_at + dt.timedelta(minutes=40)
    now[0] += dt.timedelta(minutes=10)
    app = CoachApp(demo_store, today=TODAY, clock=lambda: now[0])
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        assert "Emma Novak  40:00  " in str(pane.query_one("#coach-header").render())


async def test_the_session_open_here_is_marked_so_every_minute(demo_store, monkeypatch):
    """A connection that drops loses no more than that of the session's time."""
    monkeypatch.setattr(coach_screen, "STILL_OPEN_EVERY", 0.05)
    now = [dt.datetime.now().replace(microsecond=0)]
    app = CoachApp(demo_store, today=TODAY, clock=lambda: now[0])
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        now[0] += dt.timedelta(minutes=5)
        marked = (now[0].isoformat(),)
        query = "SELECT updated_at FROM coaching_sessions WHERE id = ?"
        await wait_until(pilot, lambda: rows(demo_store, query, pane.state.session.id) == [marked])


async def test_the_clock_ticks_without_laying_out_the_screen_again(demo_store, monkeypatch):
    """Each second only the clock's digits change, in the same width: the
    header is drawn again, the screen not laid out again. A new focus can
    make the header wrap: that change is laid out."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        header = pane.query_one("#coach-header", Static)
        updates, update = [], header.update

        def recorded(content, *, layout=True):
            updates.append((str(content), layout))
            update(content, layout=layout)

        monkeypatch.setattr(header, "update", recorded)
        await wait_until(pilot, lambda: len(updates) >= 2)  # two seconds of the session
        (first, first_layout), (second, second_layout) = updates[:2]
        assert first != second and not first_layout and not second_layout
        await pilot.press("f")
        text, layout = updates[-1]
        assert "focus: " in text and layout


async def test_last_weeks_commitments_come_first_and_are_marked(demo_store):
    week1 = coaching.start_or_resume(demo_store, "Emma Novak", None)
    made = commitments.add_commitment(demo_store, week1.id, "Emma Novak", "Send the ROI sheet")
    coaching.end_session(demo_store, week1.id)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        table = pane.query_one("#commitments-table", DataTable)
        assert table.has_focus and table.row_count == 1
        await pilot.press("space")
        await settle(pilot)
        assert rows(demo_store, "SELECT status FROM commitments WHERE id = ?", made.id) == [
            ("kept",)
        ]
        assert str(table.get_cell_at((0, 0))) == "[kept]"
        await pilot.press("space", "space")
        await settle(pilot)
        assert rows(demo_store, "SELECT status FROM commitments WHERE id = ?", made.id) == [
            ("carried",)
        ]
        assert str(table.get_cell_at((0, 0))) == "[carried]"
        # shown whole: the column was as wide as "[ ]" and "Status" and cut it
        assert table.render_line(1).text.startswith(" [carried] ")
        await pilot.press("space")  # and round to open again
        await settle(pilot)
        assert str(table.get_cell_at((0, 0))) == "[ ]"
        assert rows(demo_store, "SELECT status FROM commitments WHERE id = ?", made.id) == [
            ("open",)
        ]


def shown_whole(pane: CoachPane) -> str:
    """What the right column's top says, its lines joined again."""
    return " ".join(
        line.strip() for line in str(pane.query_one("#question-text").render()).split("\n")
    )


PIPELINE = "Get the weekly pipeline report to finance before Friday"


async def test_the_commitment_highlighted_is_shown_whole_where_the_question_was(demo_store):
    """At 100 columns the lists cut a commitment to "Get the…": the right
    column shows the one highlighted whole, with who keeps it and when it is
    due, and puts the answer box away (it belongs to a question) until the
    checklist has the focus again."""
    week1 = coaching.start_or_resume(demo_store, "Emma Novak", None)
    made = commitments.add_commitment(demo_store, week1.id, "Emma Novak", PIPELINE, due=SOON)
    commitments.add_commitment(demo_store, week1.id, "Emma Novak", "Book the CFO", "manager")
    coaching.end_session(demo_store, week1.id)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        await settle(pilot)
        answer = pane.query_one("#question-notes", TextArea)
        assert app.focused.id == "commitments-table"
        assert shown_whole(pane) == f"Made {day(made.made_on)}: {PIPELINE} (Emma, due Fri 04 Dec)"
        assert not answer.display
        await pilot.press("j")
        await settle(pilot)
        assert shown_whole(pane) == f"Made {day(made.made_on)}: Book the CFO (me, no due date)"

        await pilot.press("tab")  # to the checklist, on an area's row: no question yet
        await settle(pilot)
        assert app.focused.id == "checklist-table" and not answer.display  # nothing to answer
        assert shown_whole(pane) == ""
        await pilot.press("j")  # its first question
        await settle(pilot)
        question = "Dollarizing: How does the prospect measure the problem today?"
        assert app.focused.id == "checklist-table" and shown_whole(pane) == question
        assert answer.display

        await pilot.press("a", *"Call the CFO about the Pinnacle renewal", "enter")
        await settle(pilot)
        assert shown_whole(pane) == question and answer.display  # listed, not highlighted
        await pilot.press("shift+tab")  # up to the commitments made now
        await settle(pilot)
        assert app.focused.id == "made-table" and not answer.display
        assert (
            shown_whole(pane)
            == "Made now: Call the CFO about the Pinnacle renewal (Emma, due Fri 04 Dec)"
        )

        await pilot.press("enter", "end", *" before the board", "enter")  # edited in place
        await settle(pilot)
        assert shown_whole(pane).startswith(
            "Made now: Call the CFO about the Pinnacle renewal before the board ("
        )

        await pilot.press("tab")  # the checklist again: its question, and its answer box
        await settle(pilot)
        assert shown_whole(pane) == question and answer.display


async def test_at_80x24_a_commitment_shown_whole_leaves_the_notes_their_lines(demo_store):
    """The answer box put away, a commitment has its room (five lines, then
    "…"); the session notes keep their six, and take what is typed."""
    week1 = coaching.start_or_resume(demo_store, "Emma Novak", None)
    long = ", and then ".join([PIPELINE] * 3)  # past five lines of 36 columns
    commitments.add_commitment(demo_store, week1.id, "Emma Novak", long, due=SOON)
    coaching.end_session(demo_store, week1.id)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await start_emma(pilot)
        await settle(pilot)
        shown, box = pane.query_one("#question-text"), pane.query_one("#session-notes")
        lines = str(shown.render()).split("\n")
        assert len(lines) == 5 == shown.region.height and lines[-1].endswith("…")
        assert shown_whole(pane).startswith("Made ")
        assert PIPELINE.replace(" ", "") in shown_whole(pane).replace(" ", "")
        room = pane.query_one("#coach-right").region
        assert box.region.intersection(room).height - 2 >= 6

        await pilot.press("n", *"Emma sends it Thursday")
        typed = "SELECT notes FROM coaching_sessions WHERE ended_at IS NULL"
        await wait_until(pilot, lambda: rows(demo_store, typed) == [("Emma sends it Thursday",)])
        assert shown_whole(pane).startswith("Made ")  # the notes may be about it


async def test_a_failed_write_keeps_the_text_and_retries(demo_store, monkeypatch):
    real = coaching.save_notes
    calls = {"n": 0}

    def flaky(store, session_id, text):
        calls["n"] += 1
        if calls["n"] == 1:
            raise sqlite3.OperationalError("disk I/O error")
        real(store, session_id, text)

    monkeypatch.setattr(coaching, "save_notes", flaky)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        await pilot.press("n", *"do not lose me")
        await wait_until(pilot, lambda: "NOT SAVED" in coach_status(pane))
        assert "disk I/O error" in coach_status(pane)
        assert pane.query_one("#session-notes", TextArea).text == "do not lose me"
        await wait_until(pilot, lambda: "saved" in coach_status(pane))  # the retry
        assert notes(demo_store) == "do not lose me"


async def test_deal_under_discussion_with_calculator_and_buying_influences(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        pane = await start_emma(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, DealDialog)
        await settle(pilot)
        options = app.screen.query_one("#deal-list")
        assert "stalled" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter", "tab")  # from what was learned to the calculator
        await pilot.press(*"12", "tab", *"3", "tab", *"50")
        cost = str(app.screen.query_one("#deal-cost").render())
        assert "= $7,800 a month, $93,600 a year" in cost
        app.screen.query_one("#who-economic", Input).value = "Dana CFO"
        await settle(pilot)
        await pilot.press("escape")  # closing writes what is not saved yet
        await settle(pilot)
        deal_id = pane.state.deal_id
        assert rows(
            demo_store, "SELECT people, hours, rate, per_month, per_year FROM deal_values"
        ) == [
            (12.0, 3.0, 50.0, 7800.0, 93600.0)  # 12 people x 3 h x 50 x 52 weeks
        ]
        assert rows(
            demo_store, "SELECT who, met, stance FROM buying_influences WHERE role = 'economic'"
        ) == [("Dana CFO", 0, "unknown")]
        assert rows(demo_store, "SELECT deal_id FROM session_deals") == [(deal_id,)]


async def test_history_lists_sessions_and_opens_one(demo_store):
    session = coaching.start_or_resume(demo_store, "Emma Novak", None)
    coaching.rate(demo_store, session.id, coaching.FocusArea.TARGETING, 2)
    coaching.end_session(demo_store, session.id)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press(*EMMA, "enter", "4")
        await settle(pilot)
        table = app.query_one("#history-table", DataTable)
        assert table.row_count == 1
        assert "Targeting" in str(app.query_one("#history-ratings").render())
        table.focus()
        await pilot.press("enter")
        assert isinstance(app.screen, SessionSummary)
        assert app.screen.heading == "Session (read-only)"
        await pilot.press("y")  # a past session copies for the CRM too
        assert "## Coaching session: Emma Novak" in app.clipboard


async def test_roster_shows_coaching_columns(demo_store):
    session = coaching.start_or_resume(demo_store, "Emma Novak", None)
    commitments.add_commitment(demo_store, session.id, "Emma Novak", "one")
    commitments.add_commitment(demo_store, session.id, "Emma Novak", "two")
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        table = app.query_one("#roster-table", DataTable)
        assert table.get_cell("Emma Novak", "commitments").plain == "2"
        ava = [table.get_cell("Ava Chen", key).plain for key in ("coached", "commitments")]
        assert ava == ["never", "0"]


def test_the_roster_says_when_a_rep_was_last_coached():
    said = [coached_text(days) for days in (None, 0, 1, 12)]
    assert said == ["never", "today", "1d ago", "12d ago"]


async def test_e_ctrl_g_y_and_c_from_review(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press(*EMMA, "enter", "c")  # c on the Review tab
        await settle(pilot)
        await pilot.press("enter")  # on from the brief
        pane = app.query_one(CoachPane)
        assert pane.state.session.rep == "Emma Novak"
        evidence = str(pane.query_one("#coach-evidence").render())
        assert evidence.startswith("Dollarizing: stalled deals")
        await pilot.press("j", "e", *"answer")
        assert app.focused.id == "question-notes"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert "- [x] How does the prospect measure the problem today? answer" in app.clipboard
        await pilot.press("ctrl+g")  # the other key for ending a session
        await settle(pilot)
        assert isinstance(app.screen, SessionSummary)


def test_value_questions_give_the_figure_when_the_calculator_is_empty(demo_store):
    cost = deal_work.save_deal_value(
        demo_store, "D1", None, None, None, {"worth": "$2,500 a month"}
    )
    assert cost == (2500.0, 30000.0)
    assert deal_work.deal_value(demo_store, "D1")["per_year"] == 30000.0


async def test_n_and_e_go_on_after_what_was_typed(demo_store):
    """Back in a session with notes and an answer, the new text follows them."""
    session = coaching.start_or_resume(demo_store, "Emma Novak", None)
    coaching.save_notes(demo_store, session.id, "Emma maps the buyers.\nThen the CFO.")
    coaching.save_question(demo_store, session.id, "dollarizing.measure", text="hours")
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_emma(pilot)
        await pilot.press("n", *" Friday", "escape", "j", "e", *" lost", "escape")
        await wait_until(
            pilot, lambda: rows(demo_store, "SELECT text FROM question_notes") == [("hours lost",)]
        )
        assert session_row(demo_store)[0][2] == "Emma maps the buyers.\nThen the CFO. Friday"


async def test_closing_the_summary_leaves_the_history_shown_whatever_came_under_it(demo_store):
    """The Coach tab clears as the session ends; a focus moved in it then
    brings it back (the tabs follow the focus), under the summary. Closing
    the summary shows the History, its table taking the keys."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        await pilot.press("n", *"Pinnacle first", "f10")
        await settle(pilot)
        assert isinstance(app.screen, SessionSummary)
        assert app.query_one("TabbedContent").active == "history"
        pane.query_one("#checklist-table", DataTable).focus()  # under the summary
        await settle(pilot)
        assert app.query_one("TabbedContent").active == "coach"
        await pilot.press("escape")
        await settle(pilot)
        assert app.query_one("TabbedContent").active == "history"
        assert app.focused is app.query_one("#history-table")


async def test_at_80x24_an_answer_has_lines_to_type_in_and_the_notes_keep_theirs(demo_store):
    """The session notes' box takes the room first (six lines); the answer's
    had none left at 80x24, its two borders alone, while it was typed."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await start_emma(pilot)
        await settle(pilot)  # the brief put away, the checklist laid out: on a busy machine, later
        answer, notes = pane.query_one("#question-notes"), pane.query_one("#session-notes")
        room = pane.query_one("#coach-right").region

        def lines_shown(editor) -> int:
            """Its lines inside the column, on the screen (its borders aside)."""
            return editor.region.intersection(room).height - 2

        assert lines_shown(notes) >= 6
        await pilot.press("j", "enter", *"hours lost per week")
        await settle(pilot)
        assert app.focused is answer and lines_shown(answer) >= 3
        assert lines_shown(notes) >= 3 and notes.region.bottom <= room.bottom
        await pilot.press("escape", "n")
        await settle(pilot)
        assert app.focused is notes and lines_shown(notes) >= 6


async def test_at_80x24_an_answer_left_shows_its_start_not_its_last_line(demo_store):
    """Typed over several lines then left, the answer's box shrinks: it showed
    the last line only, where the cursor was."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await start_emma(pilot)
        answer = pane.query_one("#question-notes", TextArea)
        lines = ["Tracks hours lost", "per rep each week", "in a spreadsheet", "no owner yet"]
        typed = [key for line in lines for key in (*line, "enter")][:-1]
        await pilot.press("j", "enter", *typed)
        await settle(pilot)
        assert answer.text == "\n".join(lines) and answer.scroll_offset.y > 0
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is not answer and answer.scroll_offset.y == 0


async def test_at_80x24_a_long_question_ends_in_an_ellipsis_on_its_last_line(demo_store):
    """The question above its answer has three lines at most: one cut there
    says so, where it once stopped mid-sentence with no sign."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await start_emma(pilot)
        checklist = pane.query_one("#checklist-table", DataTable)
        question = pane.query_one("#question-text")

        async def shown(key: str) -> list[str]:
            checklist.move_cursor(row=checklist.get_row_index(key))
            await settle(pilot)
            return str(question.render()).splitlines()

        long = await shown("messaging.pain-funnel")
        assert len(long) == 3 == question.region.height
        assert long[-1].endswith("…") and all(len(line) <= question.size.width for line in long)
        full = "Messaging: When the prospect names a problem, what do you ask next?"
        assert " ".join(line.strip() for line in long).startswith(full)
        assert await shown("dollarizing.target") == ["Dollarizing: What should it be?"]
        assert question.region.height == 1


async def test_a_new_session_shows_no_question_nor_answer_of_the_session_before(demo_store):
    """Emma's session ended on an area's row, her answer in the box: Farid's
    session, opening on an area's row too, showed her question and answer,
    and what was typed there was saved nowhere. No question is shown now, nor
    a box to type in, until one is highlighted."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        pane = await start_emma(pilot)
        await pilot.press("j", "enter", *"40 hours", "escape", "k", "f10")
        await settle(pilot)
        await pilot.press("escape", "1", "j", "c")  # the summary closed; Farid, next on the roster
        await settle(pilot)
        await pilot.press("escape")  # past his brief, on the checklist's first row: an area
        await settle(pilot)
        assert pane.state.session.rep == "Farid Haddad"
        answer = pane.query_one("#question-notes", TextArea)
        assert str(pane.query_one("#question-text").render()) == ""
        assert not answer.display and answer not in app.screen.focus_chain  # nowhere to type
        await pilot.press("j")  # his first question, and its box, empty
        await settle(pilot)
        assert answer.display and answer.text == ""
        question = str(pane.query_one("#question-text").render())
        assert question.startswith("Multi-stakeholder access: ")  # his focus, first
