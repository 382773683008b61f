"""Search over every session's notes, answers, commitments and deal notes,
and `coachtui export sessions --search`."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coachtui.coaching import sessions as coaching
from coachtui.coaching.search import LINE_WIDTH, search
from tests.command_line import coachtui_here
from tests.test_transfer import coach_richly

AVA = "Ava [bold]Chen[/]"


@pytest.fixture
def rich(store):
    return coach_richly(store)


def found(store, text: str) -> list[tuple[str, str, str, str]]:
    """(rep, date, kind, line) of each hit."""
    return [(h.rep, f"{h.started_at:%Y-%m-%d}", h.kind, h.line) for h in search(store, text)]


def test_notes_answers_commitments_and_deal_notes_are_found_newest_first(rich):
    assert found(rich, "legal") == [
        ("Ben", "2026-11-25", "notes", "Legal has not called back"),
        ("Ben", "2026-11-18", "commitment", "Call Acme legal"),
    ]
    assert found(rich, "cio") == [("Ben", "2026-11-25", "answer", "new CIO in May")]
    assert found(rich, "budget") == [(AVA, "2026-11-20", "answer", "Budget owner unclear")]
    assert found(rich, "security") == [
        ("Ben", "2026-11-25", "deal", "B1: security review blocks the pilot")
    ]
    assert found(rich, "fleet") == [
        (AVA, "2026-11-20", "deal", "Fleet | renewal: renewal slips to Q2 without a business case")
    ]


def test_a_word_matches_the_start_of_words_in_any_case_and_all_words_must_be_there(rich):
    assert found(rich, "PROCURE") == [("Ben", "2026-11-25", "notes", "Pilot stuck in procurement")]
    assert sorted(kind for *_, kind, _line in found(rich, "pilot")) == [
        "commitment",
        "deal",
        "notes",
    ]
    assert [kind for *_, kind, _line in found(rich, "pilot security")] == ["deal"]
    assert [date for _rep, date, *_ in found(rich, "cfo")] == [
        "2026-11-27",
        "2026-11-20",
        "2026-11-20",
    ]


def test_a_hit_shows_its_line_plain_and_trimmed_around_the_match(store):
    session = coaching.start_or_resume(store, "Ava", None)
    long_line = "word " * 40 + "needle " + "hay " * 40
    coaching.save_notes(store, session.id, f"first line\n{long_line}\n\x1b[31mred\tbudget")
    ((*_, line),) = found(store, "needle")
    assert line.startswith("…") and line.endswith("…")
    assert len(line) == LINE_WIDTH + 2 and "needle" in line
    assert found(store, "budget")[0][-1] == "^[[31mred budget"
    # far into a short line: from a little before it, so the History's column shows it
    coaching.save_notes(store, session.id, "Week 2: Emma brought the Pinnacle numbers and the CFO")
    assert found(store, "cfo")[0][-1] == "…Pinnacle numbers and the CFO"


@pytest.mark.parametrize(
    "line",
    [
        "Follow-up-items-from-the-quarterly-business-review-pricing-legal-procurement-"
        "security-implementation-timeline-and-the-cfo-signoff",  # no space before it
        "x" * 150 + ",cfo,budget",
        "see https://crm.example.com/" + "a" * 90 + " then the cfo said yes",
    ],
)
def test_a_hit_far_into_a_line_with_no_space_near_it_still_shows_the_match(store, line):
    session = coaching.start_or_resume(store, "Ava", None)
    coaching.save_notes(store, session.id, line)
    ((*_, shown),) = found(store, "cfo")
    assert "cfo" in shown and shown.index("cfo") <= 2 * 20 + 1  # near the start


def test_the_search_follows_the_notes_as_they_change(store):
    session = coaching.start_or_resume(store, "Ava", None)
    coaching.save_notes(store, session.id, "renewal at risk")
    assert len(search(store, "renewal")) == 1
    coaching.save_notes(store, session.id, "expansion next year")
    assert search(store, "renewal") == []
    assert len(search(store, "expansion")) == 1


PUNCTUATION = ["", "   ", '"', "*", "-", "^", ":", "(", ")", "'", "{}", '"*"', "-*", "+"]


@pytest.mark.parametrize("text", PUNCTUATION)
def test_punctuation_alone_finds_nothing_and_around_a_word_changes_nothing(rich, text):
    assert search(rich, text) == []
    assert search(rich, f"{text}cfo{text}") == search(rich, "cfo")


OPERATORS = ["AND", "OR", "NOT", "NEAR(", "NEAR(cfo met, 2)", "text:cfo", "cfo*", "AND OR ("]


@pytest.mark.parametrize("text", OPERATORS)
def test_the_words_of_search_syntax_are_only_words(rich, text):
    """Never an error; next to a word they narrow its hits like any other word."""
    assert search(rich, "NEAR(") == search(rich, "AND") == []
    assert set(search(rich, f"cfo {text}")) <= set(search(rich, "cfo"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_any_text_searches_without_an_error(rich, text):
    search(rich, text)


def _exported_starts(store, *options: str) -> list[str]:
    out = coachtui_here("export", "sessions", "--db", str(store.path), "--format", "json", *options)
    assert out.returncode == 0, out.stderr
    return [session["started_at"] for session in json.loads(out.stdout)["sessions"]]


def test_export_search_gives_the_sessions_with_a_hit(rich):
    assert _exported_starts(rich, "--search", "legal") == [
        "2026-11-18T15:00:00",
        "2026-11-25T10:00:00",
    ]
    assert _exported_starts(rich, "--search", "cfo", "--since", "2026-11-21") == [
        "2026-11-27T09:00:00"
    ]
    assert _exported_starts(rich, "--search", "legal", "--rep", AVA) == []
    assert _exported_starts(rich, "--search", "-") == []
