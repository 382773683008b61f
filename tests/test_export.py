"""`coachtui export sessions` against golden files (regenerate on purpose with
UPDATE_GOLDEN=1 and read the diff)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

import pytest

from coachtui.areas import FocusArea
from coachtui.coaching import commitments, deal_work, export, records
from coachtui.coaching import sessions as coaching
from coachtui.coaching.playbook import shipped
from tests.command_line import coachtui_here
from tests.conftest import rows

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def coached(store):
    return coach_ava_and_ben(store)


def coach_ava_and_ben(store):
    """Two sessions with Ava (the second unfinished) and one with Ben."""
    first = coaching.start_or_resume(store, "Ava [bold]Chen[/]", FocusArea.DOLLARIZING)
    coaching.save_notes(store, first.id, "Acme: 12 people *lose* 3h a week\nCFO not met yet")
    coaching.save_question(store, first.id, "dollarizing.measure", text="hours lost", asked=True)
    coaching.save_question(store, first.id, "dollarizing.now", asked=True)
    coaching.rate(store, first.id, FocusArea.DOLLARIZING, 2)
    coaching.rate(store, first.id, FocusArea.TARGETING, 4)
    cfo = commitments.add_commitment(
        store, first.id, "Ava [bold]Chen[/]", "Book the CFO", due=dt.date(2026, 11, 27)
    )
    commitments.add_commitment(
        store, first.id, "Ava [bold]Chen[/]", "Send ROI | sheet", owner="manager"
    )
    store.conn.execute(
        "INSERT INTO deals (deal_id, rep, stage, status, name, account, currency) "
        "VALUES ('D7', 'Ava [bold]Chen[/]', 'Proposal', 'open', 'Fleet | renewal', 'Acme', 'EUR')"
    )
    deal_work.discuss_deal(store, first.id, "D7")
    deal_work.save_deal_value(
        store, "D7", 12, 3, 50, {"measure": "hours lost", "now": "3h a week each", "target": " "}
    )
    deal_work.save_influence(store, "D7", "economic", "Dana *CFO*", False, "unknown")
    deal_work.save_influence(store, "D7", "coach", "Lee", True, "supportive")
    deal_work.save_deal_notes(store, first.id, "D7", "renewal slips to Q2 without a business case")
    deal_work.discuss_deal(store, first.id, "D9")  # not in the CRM data: named by its id
    coaching.end_session(store, first.id)
    second = coaching.start_or_resume(store, "Ava [bold]Chen[/]", FocusArea.MULTI_STAKEHOLDER)
    commitments.review_commitment(store, cfo.id, "kept", second.id)
    coaching.save_notes(store, second.id, "Met the CFO")
    ben = coaching.start_or_resume(store, "Ben", None)
    coaching.end_session(store, ben.id)
    times = {
        first.id: ("2026-11-20T09:00:00", "2026-11-20T09:31:10", "2026-11-20T09:31:10"),
        second.id: ("2026-11-27T09:00:00", None, "2026-11-27T09:12:00"),
        ben.id: ("2026-11-18T15:00:00", "2026-11-18T15:25:00", "2026-11-18T15:25:00"),
    }
    for session_id, (started, ended, updated) in times.items():
        store.conn.execute(
            "UPDATE coaching_sessions SET started_at = ?, ended_at = ?, updated_at = ? "
            "WHERE id = ?",
            (started, ended, updated, session_id),
        )
    store.conn.execute(
        "UPDATE commitments SET created_at = (SELECT started_at FROM coaching_sessions s "
        "WHERE s.id = session_id), marked_at = CASE WHEN marked_at IS NULL THEN NULL "
        "ELSE '2026-11-27T09:05:00' END"
    )
    store.conn.execute("UPDATE session_deals SET added_at = '2026-11-20T09:10:00'")
    return store


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_export_matches_the_golden_file(coached, fmt):
    out = coachtui_here("export", "sessions", "--db", str(coached.path), "--format", fmt)
    assert out.returncode == 0, out.stderr
    golden = GOLDEN / f"sessions.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out.stdout, encoding="utf-8")
    assert out.stdout == golden.read_text(encoding="utf-8")


def test_export_filters_by_rep_and_date(coached):
    out = coachtui_here(
        "export", "sessions", "--db", str(coached.path), "--format", "csv", "--rep", "Ben"
    )
    assert [row[1] for row in csv.reader(io.StringIO(out.stdout))][1:] == ["Ben"]
    out = coachtui_here(
        "export", "sessions", "--db", str(coached.path), "--format", "csv", "--since", "2026-11-19"
    )
    assert [row[2] for row in csv.reader(io.StringIO(out.stdout))][1:] == [
        "2026-11-20T09:00:00",
        "2026-11-27T09:00:00",
    ]
    assert rows(coached, "SELECT COUNT(*) FROM coaching_sessions") == [(3,)]


def test_one_session_is_collected_by_its_id(coached):
    everything = records.sessions(coached, shipped())
    ben = next(s for s in everything if s.session.rep == "Ben")
    assert records.sessions(coached, shipped(), session_id=ben.session.id) == [ben]


@pytest.mark.parametrize(
    ("question", "answer", "said"),
    [
        ("What is it now?", "40 hours", "What is it now? 40 hours"),  # not "now?: 40"
        ("Budget owner", "unclear", "Budget owner: unclear"),  # a question kept by its id
        ("What is it now?", "", "What is it now?"),
    ],
)
def test_a_question_and_its_answer_read_as_one_line(question, answer, said):
    from coachtui.coaching.export import asked_and_answered

    assert asked_and_answered(question, answer) == said


def test_an_answer_over_several_lines_stays_in_its_list_item(store):
    """Its second line began at the left edge: a paragraph of its own in
    Markdown, out of the checklist (and likewise what was learned of a deal)."""
    session = coaching.start_or_resume(store, "Ava", FocusArea.DOLLARIZING)
    coaching.save_question(
        store, session.id, "dollarizing.measure", text="hours\n- lost", asked=True
    )
    deal_work.discuss_deal(store, session.id, "D1")
    deal_work.save_deal_notes(store, session.id, "D1", "CFO signs\nafter the board")
    (record,) = records.sessions(store, shipped(), "Ava")
    text = export.as_markdown([record], escaped=False)
    assert "- [x] How does the prospect measure the problem today? hours\n  - lost\n" in text
    assert "  - learned: CFO signs\n    after the board\n" in text
