"""What coachtui writes is safe to open: no formula runs in a spreadsheet, no
control character reaches a terminal, and the JSON is strict JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from coachtui.coaching import commitments
from coachtui.coaching import sessions as coaching
from coachtui.importing import ImportOptions, ImportRefused, import_file
from coachtui.text import csv_cell, strict_json
from tests.command_line import coachtui
from tests.conftest import TODAY

FORMULAS = ['=HYPERLINK("http://evil")', "+1 555", "-2+3", "@SUM(A1:A9)", "\tx", "\rx"]
# ESC, a C1 CSI (U+009B) and a right-to-left override, in a rep's name
HOSTILE_REP = "Eve\x1b[2J\x9b31m\u202eevil"
HOSTILE_SHOWN = "Eve^[[2J\\x9b31m\\u202eevil"
HUGE = "1" + "0" * 308  # 1e308: two of them add up to infinity


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_starts_like_a_formula_gets_a_quote(text):
    assert csv_cell(text).startswith("'")
    assert csv_cell("Ava =1") == "Ava =1" and csv_cell(-3.5) == -3.5 and csv_cell(None) is None


@pytest.fixture
def hostile(store, csv_file):
    deals = csv_file(
        "deal_id,rep,stage,amount,created_date\n"
        "D1,=cmd|' /C calc'!A0,Prospecting,-500,2026-11-01\n"
        f"D2,{HOSTILE_REP},Prospecting,{HUGE},2026-11-01\n"
        f"D3,{HOSTILE_REP},Prospecting,{HUGE},2026-11-02\n"
    )
    import_file(store, "deals", deals, ImportOptions(today=TODAY))
    session = coaching.start_or_resume(store, "=cmd|' /C calc'!A0", None)
    coaching.save_notes(store, session.id, "@SUM(1+1)*cmd|' /C calc'!A0")
    commitments.add_commitment(store, session.id, "=cmd|' /C calc'!A0", "+call the CFO \x1b[31m")
    coaching.end_session(store, session.id)
    return store


def test_the_metrics_csv_neutralises_formulas_and_keeps_numbers(hostile):
    out = coachtui("metrics", "--db", str(hostile.path), "--as-of", "2026-11-27", "--format", "csv")
    assert out.returncode == 0, out.stderr
    header, *reps = parsed(out.stdout)
    by_rep = {row[0]: dict(zip(header, row, strict=True)) for row in reps}
    attacker = by_rep["'=cmd|' /C calc'!A0"]
    assert attacker["open_pipeline"] == "-500.0"  # a number stays a number
    eve = by_rep[HOSTILE_SHOWN]
    assert eve["open_deals"] == "2" and eve["open_pipeline"] == ""  # infinity: no number
    assert "\x1b" not in out.stdout and "\x9b" not in out.stdout and "\u202e" not in out.stdout


def test_the_sessions_csv_neutralises_formulas(hostile):
    out = coachtui("export", "sessions", "--db", str(hostile.path), "--format", "csv")
    assert out.returncode == 0, out.stderr
    header, row = parsed(out.stdout)
    session = dict(zip(header, row, strict=True))
    assert session["rep"] == "'=cmd|' /C calc'!A0"
    assert session["notes"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert session["commitments"] == "'+call the CFO ^[[31m (rep, due -)"
    assert session["id"] == "1" and session["minutes"].isdigit()


def test_the_plain_table_shows_control_characters(hostile):
    out = coachtui("metrics", "--db", str(hostile.path), "--as-of", "2026-11-27")
    assert out.returncode == 0, out.stderr
    assert HOSTILE_SHOWN in out.stdout
    assert not {"\x1b", "\x9b", "\u202e"} & set(out.stdout)


def test_json_is_strict_and_carries_no_control_characters(hostile):
    def no_constants(name):
        raise AssertionError(f"{name} is not JSON")

    documents = []
    for command in (
        ("metrics", "--as-of", "2026-11-27", "--format", "json"),
        ("export", "sessions", "--format", "json"),
    ):
        out = coachtui(*command, "--db", str(hostile.path))
        assert out.returncode == 0, out.stderr
        assert not {"\x1b", "\x9b", "\u202e"} & set(out.stdout)
        documents.append(json.loads(out.stdout, parse_constant=no_constants))
    metrics, sessions = documents
    eve = next(rep for rep in metrics["reps"] if rep["rep"] == HOSTILE_REP)
    assert eve["open_pipeline"] is None  # infinity
    assert sessions["sessions"][0]["commitments"][0]["text"] == "+call the CFO \x1b[31m"


def test_strict_json_turns_what_is_not_a_number_into_null():
    text = strict_json({"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5], "c": "\x7f"})
    assert json.loads(text) == {"a": None, "b": [None, None, 1.5], "c": "\x7f"}
    assert "\x7f" not in text and "\\u007f" in text


def test_header_names_are_shown_with_their_control_characters(store, csv_file):
    path = csv_file("Deal ID,Own\x1b]0;pwned\x07er,Stage\nD1,Ava,Open\n")
    with pytest.raises(ImportRefused) as refused:
        import_file(store, "deals", path)
    assert "Columns seen: Deal ID, Own^[]0;pwned^Ger, Stage" in str(refused.value)
    summary = import_file(
        store, "deals", path, ImportOptions(mapping={"rep": "Own\x1b]0;pwned\x07er"})
    )
    assert "  rep                <- Own^[]0;pwned^Ger" in summary.mapping_lines()
