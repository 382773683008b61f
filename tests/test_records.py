"""Sessions read back from a real file as typed records: the checklist, the
ratings, the commitments made and reviewed, the kept rate and the statuses."""

from __future__ import annotations

import datetime as dt

import pytest

from coachtui.areas import FocusArea
from coachtui.coaching import commitments, deal_work, records
from coachtui.coaching import sessions as coaching
from coachtui.coaching.overview import RepCoaching, coaching_overview
from coachtui.coaching.playbook import shipped
from coachtui.coaching.records import (
    ChecklistItem,
    CoachingSession,
    Commitment,
)
from coachtui.coaching.statuses import CommitmentStatus
from coachtui.store import Store
from tests.conftest import rows

OPEN, KEPT, MISSED, CARRIED = CommitmentStatus


def at(store: Store, session_id: int, started: str, ended: str | None, updated: str) -> None:
    store.conn.execute(
        "UPDATE coaching_sessions SET started_at = ?, ended_at = ?, updated_at = ? WHERE id = ?",
        (started, ended, updated, session_id),
    )


@pytest.fixture
def two_weeks(db_path):
    """Ava's first session (ended), her second (running, reviewing the first),
    and Ben's; written through the coaching functions, then the file is closed."""
    with Store.open(db_path) as store:
        first = coaching.start_or_resume(store, "Ava", FocusArea.DOLLARIZING)
        coaching.save_notes(store, first.id, "Acme loses 3h a week")
        coaching.save_question(store, first.id, "dollarizing.measure", text="hours", asked=True)
        coaching.save_question(store, first.id, "retired.question", text="old note")
        coaching.rate(store, first.id, FocusArea.TARGETING, 4)
        coaching.rate(store, first.id, FocusArea.DOLLARIZING, 2)
        cfo = commitments.add_commitment(
            store, first.id, "Ava", "Book the CFO", due=dt.date(2026, 11, 27)
        )
        roi = commitments.add_commitment(store, first.id, "Ava", "Send the ROI", owner="manager")
        map_ = commitments.add_commitment(store, first.id, "Ava", "Map the buyers")
        coaching.end_session(store, first.id)
        second = coaching.start_or_resume(store, "Ava", None)
        commitments.review_commitment(store, cfo.id, "kept", second.id)
        commitments.review_commitment(store, roi.id, CommitmentStatus.MISSED, second.id)
        commitments.review_commitment(store, map_.id, "carried", second.id)
        ben = coaching.start_or_resume(store, "Ben", None)
        coaching.end_session(store, ben.id)
        at(store, first.id, "2026-11-20T09:00:00", "2026-11-20T09:31:10", "2026-11-20T09:31:10")
        at(store, second.id, "2026-11-27T09:00:00", None, "2026-11-27T09:12:00")
        at(store, ben.id, "2026-11-18T15:00:00", "2026-11-18T15:25:00", "2026-11-18T15:25:00")
    return db_path


def test_a_session_is_read_with_everything_said_in_it(two_weeks):
    with Store.open(two_weeks) as store:
        ben, first, second = records.sessions(store, shipped())
    assert [s.session.rep for s in (ben, first, second)] == ["Ben", "Ava", "Ava"]
    assert first.session == CoachingSession(
        id=1,
        rep="Ava",
        started_at=dt.datetime(2026, 11, 20, 9, 0),
        ended_at=dt.datetime(2026, 11, 20, 9, 31, 10),
        updated_at=dt.datetime(2026, 11, 20, 9, 31, 10),
        focus_area=None,  # the manager did not overrule the suggestion
        suggested_area=FocusArea.DOLLARIZING,
        notes="Acme loses 3h a week",
    )
    assert first.session.area is FocusArea.DOLLARIZING
    assert first.session.finished and first.session.minutes == 31
    assert first.checklist == (
        ChecklistItem(
            "dollarizing.measure",
            FocusArea.DOLLARIZING,
            "How does the prospect measure the problem today?",
            True,
            "hours",
        ),
        # a question the playbook no longer has keeps its notes, under its id
        ChecklistItem("retired.question", None, "retired.question", False, "old note"),
    )
    assert list(first.ratings.items()) == [(FocusArea.DOLLARIZING, 2), (FocusArea.TARGETING, 4)]
    assert [(c.text, c.owner, c.due_date, c.status) for c in first.commitments] == [
        ("Book the CFO", "rep", dt.date(2026, 11, 27), KEPT),
        ("Send the ROI", "manager", None, MISSED),
        ("Map the buyers", "rep", None, CARRIED),
    ]
    assert first.reviewed == ()
    assert [(c.text, c.status) for c in second.reviewed] == [
        ("Book the CFO", KEPT),
        ("Send the ROI", MISSED),
        ("Map the buyers", CARRIED),
    ]
    # unfinished: as long as until the last thing typed
    assert not second.session.finished and second.session.minutes == 12
    assert (second.checklist, second.ratings, second.commitments) == ((), {}, ())


def test_a_session_resumed_later_leaves_the_time_it_was_open_nowhere_out(two_weeks):
    """Ava's second session was last typed in at 09:12 and left open; taken up
    again the next morning, its length goes on from 12 minutes, not from 23
    hours. The app showing it already takes it up with no pause."""
    next_morning = dt.datetime(2026, 11, 28, 8, 0)
    with Store.open(two_weeks) as store:
        same = coaching.start_or_resume(store, "Ava", None)  # open here: no pause
        assert (same.paused, same.minutes) == (dt.timedelta(0), 12)
        resumed = coaching.start_or_resume(store, "Ava", None, resumed_at=next_morning)
        assert resumed.id == same.id and resumed.updated_at == next_morning
        assert resumed.paused == dt.timedelta(hours=22, minutes=48)
        assert resumed.minutes == 12
        assert resumed.lasted(next_morning + dt.timedelta(minutes=5)) == dt.timedelta(minutes=17)
        coaching.start_or_resume(store, "Ava", None, resumed_at=next_morning)  # no time since
        at(store, same.id, "2026-11-27T09:00:00", "2026-11-28T08:20:00", "2026-11-28T08:20:00")
    with Store.open(two_weeks) as store:  # kept in the file
        (ended,) = records.coaching_sessions(store, session_id=same.id)
    assert ended.finished and ended.minutes == 32


def test_sessions_are_picked_by_rep_date_or_id(two_weeks):
    with Store.open(two_weeks) as store:
        playbook = shipped()
        ava = records.sessions(store, playbook, rep="Ava")
        since = records.sessions(store, playbook, since=dt.date(2026, 11, 19))
        (one,) = records.sessions(store, playbook, session_id=ava[1].session.id)
        assert records.unfinished_session(store, "Ava") == ava[1].session
        assert records.unfinished_session(store, "Ben") is None
    assert [s.session.started_at.day for s in ava] == [20, 27]
    assert [s.session.started_at.day for s in since] == [20, 27]
    assert one == ava[1]


def test_the_kept_rate_counts_kept_against_kept_and_missed(two_weeks):
    """Of the commitments the sessions made, however marked since: in the
    session after or between calls."""
    with Store.open(two_weeks) as store:
        ben, first, second = records.sessions(store, shipped())
        assert records.kept_rate([first]) == (1, 2)  # carried is not settled yet
        assert records.kept_rate([ben, first, second]) == (1, 2)
        assert records.kept_rate([second]) == (0, 0)  # made none
        (carried,) = [c for c in first.commitments if c.status is CARRIED]
        commitments.mark_commitment(store, carried.id, "kept")  # between calls
        assert records.kept_rate(records.sessions(store, shipped(), "Ava")) == (2, 3)
    assert records.kept_rate([]) == (0, 0)


def test_the_session_as_plain_data_keeps_the_export_keys(two_weeks):
    with Store.open(two_weeks) as store:
        _ben, first, _second = records.sessions(store, shipped())
    data = first.as_dict()
    assert list(data) == [
        "id",
        "rep",
        "started_at",
        "ended_at",
        "minutes",
        "finished",
        "focus_area",
        "suggested_area",
        "notes",
        "checklist",
        "ratings",
        "commitments",
        "reviewed_commitments",
        "deals",
    ]
    assert data["started_at"] == "2026-11-20T09:00:00"
    assert data["checklist"][1] == {
        "area": "",
        "question": "retired.question",
        "asked": False,
        "notes": "old note",
    }
    made = data["commitments"][0]
    assert {k: made[k] for k in ("text", "owner", "due_date", "status")} == {
        "text": "Book the CFO",
        "owner": "rep",
        "due_date": "2026-11-27",
        "status": "kept",
    }
    # made in the first session, marked when the second looked at it
    assert made["made_on"] == made["marked_on"] == dt.date.today().isoformat()


def test_space_steps_through_the_statuses_and_back_to_open():
    assert [status.value for status in CommitmentStatus] == ["open", "kept", "missed", "carried"]
    assert [s.following for s in CommitmentStatus] == [KEPT, MISSED, CARRIED, OPEN]


def test_what_the_manager_types_is_checked_before_it_is_written(store):
    session = coaching.start_or_resume(store, "Ava", None)
    for bad in (0, 6):
        with pytest.raises(ValueError, match="1 to 5"):
            coaching.rate(store, session.id, FocusArea.TARGETING, bad)
    with pytest.raises(ValueError, match="needs some text"):
        commitments.add_commitment(store, session.id, "Ava", "   ")
    made = commitments.add_commitment(store, session.id, "Ava", "  Book the CFO ")
    assert made == Commitment(
        id=made.id,
        session_id=session.id,
        rep="Ava",
        text="Book the CFO",
        made_on=dt.date.today(),
    )
    with pytest.raises(ValueError):
        commitments.review_commitment(store, made.id, "done", session.id)
    assert rows(store, "SELECT COUNT(*) FROM ratings") == [(0,)]
    assert rows(store, "SELECT text, status FROM commitments") == [("Book the CFO", "open")]


def test_a_commitment_carried_is_open_again_and_recorded_as_carried_by_its_session(two_weeks):
    """Ava's second session carries "Map the buyers": once it ends, the
    commitment is open again (the next session reviews it), and the session's
    record still says it carried it, after a third session keeps it too."""
    with Store.open(two_weeks) as store:
        second = records.unfinished_session(store, "Ava")
        coaching.end_session(store, second.id)
        (map_,) = [c for c in records.open_commitments(store, "Ava") if c.text == "Map the buyers"]
        third = coaching.start_or_resume(store, "Ava", None)
        assert map_ in records.commitments_to_review(store, "Ava", third.id)
        commitments.review_commitment(store, map_.id, "kept", third.id)
        coaching.end_session(store, third.id)
        reviewed = {
            s.session.id: [(c.text, c.status) for c in s.reviewed]
            for s in records.sessions(store, shipped(), rep="Ava")
        }
    assert reviewed[second.id] == [
        ("Book the CFO", KEPT),
        ("Send the ROI", MISSED),
        ("Map the buyers", CARRIED),
    ]
    assert reviewed[third.id] == [("Map the buyers", KEPT)]


def test_the_summary_shows_what_the_record_holds(two_weeks):
    from coachtui.screens.dialogs.summary import summary_text

    with Store.open(two_weeks) as store:
        _ben, first, second = records.sessions(store, shipped())
    assert summary_text(first).plain == (
        "Ava  ·  2026-11-20  ·  31 min\n\n"
        "Areas covered: Dollarizing\n"
        "Ratings: Dollarizing 2/5, Targeting 4/5\n\n"
        "Checklist\n"
        "  [x] How does the prospect measure the problem today?\n"
        "      hours\n"
        "  [ ] retired.question\n"
        "      old note\n\n"
        "Commitments\n"
        "  - Book the CFO (rep, due 2026-11-27)\n"
        "  - Send the ROI (manager)\n"
        "  - Map the buyers (rep)\n\n"
        "Notes\n"
        "Acme loses 3h a week\n"
    )
    assert summary_text(second).plain == (
        "Ava  ·  2026-11-27  ·  12 min\n\n"
        "Areas covered: none marked\n"
        "Ratings: none\n\n"
        "Commitments\n"
        "  - none\n\n"
        "Last commitments\n"
        "  - kept: Book the CFO\n"
        "  - missed: Send the ROI\n"
        "  - carried: Map the buyers\n"
    )


def test_the_roster_overview_counts_days_since_coached_and_open_commitments(two_weeks):
    with Store.open(two_weeks) as store:
        ava = records.unfinished_session(store, "Ava")
        commitments.add_commitment(store, ava.id, "Cleo", "Owed to a rep never coached")
        coaching.end_session(store, ava.id)  # the carried commitment is open again
        overview = coaching_overview(store, dt.date(2026, 11, 30))
    assert overview == {
        "Ava": RepCoaching(days_since_coached=3, open_commitments=1),
        "Ben": RepCoaching(days_since_coached=12, open_commitments=0),
        "Cleo": RepCoaching(days_since_coached=None, open_commitments=1),
    }
    days, open_, overdue = overview["Ben"]  # the roster unpacks it
    assert (days, open_, overdue) == (12, 0, 0)


def test_the_roster_overview_counts_the_open_commitments_past_their_due_date(two_weeks):
    with Store.open(two_weeks) as store:
        ava = records.unfinished_session(store, "Ava")
        for text, due in (("late", "2026-11-28"), ("due today", "2026-11-30"), ("later", None)):
            commitments.add_commitment(
                store, ava.id, "Ava", text, due=due and dt.date.fromisoformat(due)
            )
        kept = commitments.add_commitment(
            store, ava.id, "Ava", "kept late", due=dt.date(2026, 11, 1)
        )
        commitments.mark_commitment(store, kept.id, "kept")
        overview = coaching_overview(store, dt.date(2026, 11, 30))
    # still open: "late", "due today", "later", and "Map the buyers" (carried in
    # the running session: still owed); overdue: only "late" (the kept one is done)
    assert overview["Ava"] == RepCoaching(3, 4, 1)
    assert overview["Ben"].overdue_commitments == 0


def test_session_counts_say_how_many_ended_and_by_when(two_weeks):
    """Ava: one ended on 20 Nov, one running; Ben: one ended on 18 Nov. An
    end written as empty text (an old file) is no end."""
    with Store.open(two_weeks) as store:
        assert records.session_counts(store, dt.date(2026, 11, 30)) == (3, 2, 2)
        assert records.session_counts(store, dt.date(2026, 11, 19)) == (3, 2, 1)
        assert records.session_counts(store, dt.date(2026, 11, 19), "Ava") == (2, 1, 0)
        store.conn.execute("UPDATE coaching_sessions SET ended_at = '' WHERE rep = 'Ben'")
        assert records.session_counts(store, dt.date(2026, 11, 30), "Ben") == (1, 0, 0)
        assert [s.rep for s in records.coaching_sessions(store, unfinished=True)] == ["Ben", "Ava"]
        assert records.unfinished_session(store, "Ben") is not None
        assert records.session_counts(store, dt.date(2026, 11, 30), "Nobody") == (0, 0, 0)


def test_one_commitment_is_read_as_it_stands_and_overdue_ones_come_first(two_weeks):
    with Store.open(two_weeks) as store:
        ava = records.unfinished_session(store, "Ava")
        soon = commitments.add_commitment(store, ava.id, "Ava", "soon", due=dt.date(2026, 12, 2))
        late = commitments.add_commitment(store, ava.id, "Ava", "late", due=dt.date(2026, 11, 1))
        never = commitments.add_commitment(store, ava.id, "Ava", "no date")
        commitments.mark_commitment(store, soon.id, "missed")
        assert records.commitment(store, soon.id).status is MISSED
        assert records.commitment(store, soon.id).marked_on == dt.date.today()
        assert records.commitment(store, 999) is None
        listed = records.overdue_first(
            [records.commitment(store, c.id) for c in (never, soon, late)], dt.date(2026, 11, 30)
        )
    assert [c.text for c in listed] == ["late", "soon", "no date"]


def test_the_summary_lists_the_deals_discussed_with_their_grid_and_what_was_learned(ann):
    from coachtui.screens.dialogs.summary import summary_text

    (session,) = records.coaching_sessions(ann, "Ann")
    deal_work.save_deal_notes(ann, session.id, "A1", "Dana signs\nafter the board")
    answers = {"measure": "orders re-keyed", "now": " 40 a week ", "target": "", "years": "150k"}
    deal_work.save_deal_value(ann, "A1", 2, 5, 100, answers)
    ann.conn.execute("UPDATE deals SET name = 'Pinnacle', account = 'Acme' WHERE deal_id = 'A2'")
    deal_work.discuss_deal(ann, session.id, "A2")  # named as the CRM has it now
    (record,) = records.sessions(ann, shipped(), "Ann")
    text = summary_text(record).plain
    deals = text[text.index("Deals discussed") : text.index("Last commitments")]
    # 2 people x 5 hours x 100 a week: 52,000 a year, 4,333 a month
    assert deals == (
        "Deals discussed (cost, answers and buyers as they stand now)\n"
        "  - A1: cost of inaction $4,333 a month, $52,000 a year\n"
        "    How is the problem measured? orders re-keyed\n"
        "    What is it now? 40 a week\n"
        "    What is that worth over 2 to 3 years? 150k\n"
        "    Economic buyer: Dana, not met, unknown\n"
        "    Coach: Lee, met, supportive\n"
        "    learned: Dana signs\n"
        "      after the board\n"
        "  - A3: cost of inaction not worked out\n"
        "    no buying influences named\n"
        "  - Pinnacle (Acme): cost of inaction not worked out\n"
        "    no buying influences named\n\n"
    )


SAID = {
    "notes": lambda store, s, earlier: coaching.save_notes(store, s, "Acme first"),
    "answer": lambda store, s, earlier: coaching.save_question(store, s, "targeting.trigger", "x"),
    "mark": lambda store, s, earlier: coaching.save_question(
        store, s, "targeting.trigger", asked=True
    ),
    "rating": lambda store, s, earlier: coaching.rate(store, s, FocusArea.TARGETING, 3),
    "commitment": lambda store, s, earlier: commitments.add_commitment(store, s, "Ava", "Call"),
    "review": lambda store, s, earlier: commitments.review_commitment(store, earlier, "kept", s),
    "deal": lambda store, s, earlier: deal_work.discuss_deal(store, s, "D1"),
    "focus": lambda store, s, earlier: coaching.choose_focus(store, s, FocusArea.MESSAGING),
}


@pytest.mark.parametrize("said", [None, *SAID, "five minutes"])
def test_a_session_is_discarded_only_when_nothing_was_said_or_marked_in_it(db_path, said):
    with Store.open(db_path) as store:
        earlier = coaching.start_or_resume(store, "Ava", None)
        made = commitments.add_commitment(store, earlier.id, "Ava", "Map the buyers")
        coaching.end_session(store, earlier.id)
        session = coaching.start_or_resume(store, "Ava", None)
        coaching.save_notes(store, session.id, "  \n")  # blank notes and a blank answer
        coaching.save_question(store, session.id, "targeting.icp-fit", text=" ")
        if said in SAID:
            SAID[said](store, session.id, made.id)
        minutes = 4 if said != "five minutes" else 5  # of talk, nothing written: kept
        removed = coaching.discard_if_empty(
            store, session.id, session.started_at + dt.timedelta(minutes=minutes, seconds=59)
        )
        left = rows(store, "SELECT id FROM coaching_sessions ORDER BY id")
        answers = rows(
            store, "SELECT COUNT(*) FROM question_notes WHERE session_id = ?", session.id
        )
    assert removed is (said is None)
    assert left == ([(earlier.id,)] if said is None else [(earlier.id,), (session.id,)])
    if said is None:
        assert answers == [(0,)]  # its blank answer went with it


def test_a_session_gone_already_is_not_discarded_twice(store):
    """F10 discarded it; the app closing a moment later finds no row: nothing to do."""
    session = coaching.start_or_resume(store, "Ava", None)
    assert coaching.discard_if_empty(store, session.id, session.started_at)
    assert not coaching.discard_if_empty(store, session.id, session.started_at)


def test_the_summary_leaves_out_questions_unmarked_again_with_no_answer(two_weeks):
    from coachtui.screens.dialogs.summary import summary_text

    with Store.open(two_weeks) as store:
        ((first_id,),) = rows(store, "SELECT MIN(id) FROM coaching_sessions")
        coaching.save_question(store, first_id, "targeting.trigger", text=" ", asked=True)
        coaching.save_question(store, first_id, "targeting.trigger", asked=False)
        _ben, first, _second = records.sessions(store, shipped())
    assert "targeting.trigger" in [item.question_id for item in first.checklist]  # exported
    text = summary_text(first).plain
    assert "What event made" not in text and "How does the prospect measure" in text


def test_the_checklist_is_in_the_playbooks_order_and_questions_it_lost_come_last(store):
    session = coaching.start_or_resume(store, "Ava", FocusArea.DOLLARIZING)
    for question in (
        "dollarizing.gap-value",
        "a.retired",
        "targeting.trigger",
        "dollarizing.measure",
    ):
        coaching.save_question(store, session.id, question, asked=True)
    (record,) = records.sessions(store, shipped(), "Ava")
    assert [item.question_id for item in record.checklist] == [
        "targeting.trigger",  # the playbook's first area
        "dollarizing.measure",
        "dollarizing.gap-value",
        "a.retired",
    ]


@pytest.mark.parametrize(
    ("stored", "in_dialog", "in_record"),
    [
        (
            '{"now": 40, "measure": "tickets", "target": null}',
            {"measure": "tickets"},
            (("measure", "tickets"),),
        ),
        # on one line in the record, as the dialog's boxes have it
        ('{"now": "40 a\\nweek"}', {"now": "40 a\nweek"}, (("now", "40 a week"),)),
        ("null", {}, ()),
        ("[1, 2]", {}, ()),
        ("not json", {}, ()),
    ],
)
def test_a_deals_answers_damaged_in_the_database_read_as_none(ann, stored, in_dialog, in_record):
    """Not what the deal dialog writes; the dialog, the summary and the exports
    still open on the deal."""
    ann.conn.execute("UPDATE deal_values SET answers = ? WHERE deal_id = 'A1'", (stored,))
    assert deal_work.deal_value(ann, "A1")["answers"] == in_dialog
    (record,) = records.sessions(ann, shipped(), "Ann")
    assert record.deals[0].value_answers == in_record
