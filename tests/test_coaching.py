"""Coaching sessions in a real store: resume, notes, ratings, the commitments cycle."""

from __future__ import annotations

import datetime as dt

import pytest

from coachtui.areas import FocusArea
from coachtui.coaching import commitments, deal_work, records
from coachtui.coaching import sessions as coaching
from coachtui.coaching.playbook import Playbook, load_playbook, shipped
from coachtui.coaching.statuses import CommitmentStatus
from coachtui.review.diagnosis import Focus
from coachtui.store import Store

FRIDAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("", dt.date(2026, 12, 4)),
        ("fri", dt.date(2026, 12, 4)),  # on a Friday, "fri" is next Friday
        ("Monday", dt.date(2026, 11, 30)),
        ("+3d", dt.date(2026, 11, 30)),
        ("+2w", dt.date(2026, 12, 11)),
        ("2027-01-15", dt.date(2027, 1, 15)),
    ],
)
def test_due_dates_as_typed(text, due):
    assert commitments.parse_due(text, FRIDAY) == due


def test_a_bad_due_date_says_what_works():
    with pytest.raises(ValueError, match="try fri"):
        commitments.parse_due("someday", FRIDAY)


def test_an_unfinished_session_resumes_with_everything_typed(db_path):
    with Store.open(db_path) as store:
        first = coaching.start_or_resume(store, "Ava", FocusArea.DOLLARIZING)
        coaching.save_notes(store, first.id, "Talked about the Acme deal")
        coaching.save_question(store, first.id, "dollarizing.measure", text="hours lost per week")
        coaching.save_question(store, first.id, "dollarizing.now", asked=True)
        coaching.rate(store, first.id, FocusArea.DOLLARIZING, 2)
        coaching.choose_focus(store, first.id, FocusArea.MULTI_STAKEHOLDER)
    with Store.open(db_path) as store:
        again = coaching.start_or_resume(store, "Ava", FocusArea.TARGETING)
        assert again.id == first.id
        assert again.notes == "Talked about the Acme deal"
        assert again.suggested_area == FocusArea.DOLLARIZING
        assert again.focus_area == FocusArea.MULTI_STAKEHOLDER
        assert records.question_notes(store, again.id) == {
            "dollarizing.measure": (False, "hours lost per week"),
            "dollarizing.now": (True, ""),
        }
        coaching.save_question(store, again.id, "dollarizing.now", text="40 h")
        assert records.question_notes(store, again.id)["dollarizing.now"] == (True, "40 h")
        assert records.ratings(store, again.id) == {FocusArea.DOLLARIZING: 2}
        with pytest.raises(ValueError):
            coaching.rate(store, again.id, FocusArea.TARGETING, 6)


def test_commitments_come_back_next_week(store):
    week1 = coaching.start_or_resume(store, "Ava", None)
    call = commitments.add_commitment(store, week1.id, "Ava", "Book the CFO meeting", due=FRIDAY)
    email = commitments.add_commitment(
        store, week1.id, "Ava", "Send the ROI sheet", owner="manager"
    )
    stay = commitments.add_commitment(store, week1.id, "Ava", "Map the buying group")
    commitments.add_commitment(store, week1.id, "Ben", "Someone else's")
    assert [c.text for c in records.commitments_made(store, week1.id)][:3] == [
        "Book the CFO meeting",
        "Send the ROI sheet",
        "Map the buying group",
    ]
    coaching.end_session(store, week1.id)

    week2 = coaching.start_or_resume(store, "Ava", None)
    assert week2.id != week1.id
    review = records.commitments_to_review(store, "Ava", week2.id)
    assert [c.text for c in review] == [
        "Book the CFO meeting",
        "Send the ROI sheet",
        "Map the buying group",
    ]
    commitments.review_commitment(store, call.id, "kept", week2.id)
    commitments.review_commitment(store, email.id, "missed", week2.id)
    commitments.review_commitment(store, stay.id, "carried", week2.id)
    assert [c.status for c in records.commitments_to_review(store, "Ava", week2.id)] == [
        "kept",
        "missed",
        "carried",
    ]
    coaching.end_session(store, week2.id)

    week3 = coaching.start_or_resume(store, "Ava", None)
    # kept and missed are settled; the carried one is open again
    assert [(c.text, c.status) for c in records.commitments_to_review(store, "Ava", week3.id)] == [
        ("Map the buying group", "open")
    ]


def test_the_live_session_opens_with_everything_said_so_far(db_path):
    too_little = Focus(FocusArea.INSUFFICIENT_DATA, 1.0, ("few deals",))
    dollarizing = Focus(FocusArea.DOLLARIZING, 0.5, ("small deals",))
    with Store.open(db_path) as store:
        earlier = coaching.start_or_resume(store, "Ava", None)
        promise = commitments.add_commitment(store, earlier.id, "Ava", "Book the CFO")
        coaching.end_session(store, earlier.id)
        live = coaching.open_live_session(store, "Ava", [too_little, dollarizing], ["D7"])
        # the first coaching area in the focus is suggested
        assert live.session.suggested_area == FocusArea.DOLLARIZING
        assert (live.focus, live.stalled) == ([too_little, dollarizing], ["D7"])
        assert [c.id for c in live.to_review] == [promise.id]
        coaching.save_question(store, live.session.id, "dollarizing.now", text="40 h")
        coaching.rate(store, live.session.id, FocusArea.DOLLARIZING, 2)
        made = commitments.add_commitment(store, live.session.id, "Ava", "Send the ROI")
        deal_work.discuss_deal(store, live.session.id, "D7")
    with Store.open(db_path) as store:
        again = coaching.open_live_session(store, "Ava", [], [])
    assert again.session.id == live.session.id
    assert again.notes == {"dollarizing.now": (False, "40 h")}
    assert again.ratings == {FocusArea.DOLLARIZING: 2}
    assert again.made == [made]
    assert again.deal_id == "D7"


def test_shipped_playbook_has_the_four_areas():
    playbook = shipped()
    assert [a.id for a in playbook.areas] == [
        FocusArea.TARGETING,
        FocusArea.MESSAGING,
        FocusArea.DOLLARIZING,
        FocusArea.MULTI_STAKEHOLDER,
    ]
    assert all(len(a.questions) >= 5 for a in playbook.areas)
    ordered = playbook.ordered([FocusArea.DOLLARIZING])
    assert ordered[0].id == FocusArea.DOLLARIZING
    assert len({q.id for a in playbook.areas for q in a.questions}) >= 20


def test_user_playbook_extends_or_replaces(tmp_path):
    path = tmp_path / "playbook.toml"
    path.write_text(
        '[[areas]]\nid = "targeting"\ntitle = "Targeting"\n'
        '[[areas.questions]]\nid = "territory"\n'
        'text = "Which accounts in your patch are untouched?"\n'
        '[[areas]]\nid = "messaging"\ntitle = "Our pitch"\nreplace = true\n'
        '[[areas.questions]]\nid = "pitch"\ntext = "Pitch me."\n'
    )
    playbook, problems = load_playbook(path)
    assert problems == []
    targeting = playbook.area(FocusArea.TARGETING)
    assert targeting.questions[-1].id == "territory"
    assert len(targeting.questions) == len(shipped().area(FocusArea.TARGETING).questions) + 1
    assert [q.id for q in playbook.area(FocusArea.MESSAGING).questions] == ["pitch"]


def test_a_broken_user_playbook_keeps_the_shipped_one(tmp_path):
    path = tmp_path / "playbook.toml"
    path.write_text('[[areas]]\nid = "closing"\ntitle = "Closing"\n')
    playbook, problems = load_playbook(path)
    assert playbook == shipped()
    assert "using the shipped playbook" in problems[0]
    assert isinstance(playbook, Playbook)


def test_the_focus_is_the_area_the_manager_chose_else_the_suggestion(store):
    session = coaching.start_or_resume(store, "Ava", FocusArea.MESSAGING)
    assert (session.focus_area, session.area) == (None, FocusArea.MESSAGING)
    coaching.choose_focus(store, session.id, FocusArea.TARGETING)
    (chosen,) = records.coaching_sessions(store, session_id=session.id)
    assert (chosen.focus_area, chosen.suggested_area, chosen.area) == (
        FocusArea.TARGETING,
        FocusArea.MESSAGING,
        FocusArea.TARGETING,
    )


def test_between_calls_space_marks_kept_then_missed_then_open_again():
    status = CommitmentStatus
    marks = [commitments.next_mark(s) for s in status]
    assert marks == [status.KEPT, status.MISSED, status.OPEN, status.KEPT]  # carried: as open


def test_a_commitment_is_marked_between_calls_edited_and_deleted(store):
    session = coaching.start_or_resume(store, "Ava", None)
    made = commitments.add_commitment(store, session.id, "Ava", "Book the CFO")
    other = commitments.add_commitment(store, session.id, "Ava", "Send the ROI sheet")
    coaching.end_session(store, session.id)

    commitments.mark_commitment(store, made.id, "kept")
    (kept,) = [c for c in records.commitments_made(store, session.id) if c.id == made.id]
    assert (kept.status, kept.marked_on) == (CommitmentStatus.KEPT, dt.date.today())
    assert [c.id for c in records.open_commitments(store, "Ava")] == [other.id]
    with pytest.raises(ValueError, match="only a session carries"):
        commitments.mark_commitment(store, other.id, "carried")
    commitments.mark_commitment(store, made.id, "open")
    assert {c.id for c in records.open_commitments(store)} == {made.id, other.id}

    commitments.edit_commitment(store, other.id, " Send the ROI sheet to Dana ", "manager", None)
    edited = next(c for c in records.commitments_made(store, session.id) if c.id == other.id)
    assert (edited.text, edited.owner, edited.due_date) == (
        "Send the ROI sheet to Dana",
        "manager",
        None,
    )
    for text, owner in (("  ", "rep"), ("Call", "the CFO")):
        with pytest.raises(ValueError):
            commitments.edit_commitment(store, other.id, text, owner, None)
    commitments.delete_commitment(store, made.id)
    assert [c.id for c in records.commitments_made(store, session.id)] == [other.id]


def test_the_deal_picker_lists_open_deals_stalled_first_by_name(ann):
    ann.conn.execute("UPDATE deals SET name = 'Pinnacle', account = 'Acme' WHERE deal_id = 'A1'")
    deals = deal_work.open_deals_for(ann, "Ann", ["A7"])
    # A7 is stalled; then the largest; A2 has no amount
    assert [(d.deal_id, d.stalled) for d in deals] == [("A7", True), ("A1", False), ("A2", False)]
    assert deals[1] == deal_work.OpenDeal(
        "A1", "Pinnacle", "Acme", "Prospecting", 1000.0, "USD", stalled=False
    )
    assert [d.title for d in deals] == ["A7", "Pinnacle (Acme)", "A2"]
    assert deal_work.open_deals_for(ann, "Nobody", []) == []


def test_the_next_session_knows_the_deals_discussed_last_time(ann):
    (first,) = records.coaching_sessions(ann, "Ann")
    deal_work.save_deal_notes(ann, first.id, "A1", "the CFO signs above 50k")
    # a later session that discussed no deal does not hide them
    between = coaching.start_or_resume(ann, "Ann", None)
    coaching.end_session(ann, between.id)
    ann.conn.execute(
        "UPDATE coaching_sessions SET started_at = '2026-06-08T09:00:00' WHERE id = ?",
        (between.id,),
    )
    live = coaching.open_live_session(ann, "Ann", [], [])
    assert live.new
    assert live.last_deals_on == dt.date(2026, 6, 1)
    assert [(d.title, d.notes) for d in live.last_deals] == [
        ("A1", "the CFO signs above 50k"),
        ("A3", ""),
    ]
    # resumed, the session is not new, and its own deals are not "last time"
    deal_work.discuss_deal(ann, live.session.id, "A7")
    again = coaching.open_live_session(ann, "Ann", [], [])
    assert not again.new
    assert [d.deal_id for d in again.last_deals] == ["A1", "A3"]
    # a rep never coached on a deal has none
    assert coaching.open_live_session(ann, "Bob", [], []).last_deals == []
    assert records.deals_discussed_last_time(ann, "Bob", 999) is None
