"""`coachtui brief`, `impact` and `commitments` as a user runs them: real processes
on the `ann` fixture (tests/conftest.py, worked by hand in tests/test_brief.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from coachtui.areas import FocusArea
from coachtui.coaching import commitments
from coachtui.coaching import sessions as coaching
from coachtui.text import day
from tests.command_line import coachtui

AS_OF = ("--as-of", "2026-06-30")


def run(store, *args: str) -> str:
    result = coachtui(*args, "--db", str(store.path))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_brief_as_json_text_and_for_a_whole_team(ann):
    document = json.loads(run(ann, "brief", "Ann", *AS_OF, "--format", "json"))
    assert (document["rep"], document["last_session"]["date"]) == ("Ann", "2026-06-01")
    team = json.loads(run(ann, "brief", "--manager", "Mia", *AS_OF, "--format", "json"))
    assert [b["rep"] for b in team["briefs"]] == ["Ann", "Bob", "Cat"]
    assert team["briefs"][0] == document
    everyone = run(ann, "brief", "--all", *AS_OF)
    assert [line for line in everyone.splitlines() if line.startswith("Brief: ")] == [
        "Brief: Ann, manager Mia, 90 days to Tue 30 Jun 2026",
        "Brief: Bob, manager Mia, 90 days to Tue 30 Jun 2026",
        "Brief: Cat, manager Mia, 90 days to Tue 30 Jun 2026",
        "Brief: Dan, 90 days to Tue 30 Jun 2026",
    ]


def test_brief_refuses_an_unknown_rep_or_no_rep(ann):
    unknown = coachtui("brief", "Anne", "--db", str(ann.path))
    assert unknown.returncode == 2
    assert "no rep named 'Anne'; closest: Ann" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    nobody = coachtui("brief", "--db", str(ann.path))
    assert (nobody.returncode, nobody.stderr.strip()) == (
        2,
        "coachtui: name one rep, or give --all or --manager NAME",
    )
    both = coachtui("brief", "Ann", "--all", "--db", str(ann.path))
    assert (both.returncode, both.stderr.strip()) == (
        2,
        "coachtui: name one rep, or give --all or --manager NAME: not both",
    )


def test_impact_in_three_formats(ann):
    document = json.loads(run(ann, "impact", *AS_OF, "--format", "json"))
    assert (document["as_of"], document["days"]) == ("2026-06-30", 90)
    (entry,) = document["impact"]
    assert (entry["rep"], entry["area"], entry["too_early"]) == ("Ann", "dollarizing", False)
    table = list(csv.reader(io.StringIO(run(ann, "impact", *AS_OF, "--format", "csv"))))
    assert table[0] == [
        "rep",
        "area",
        "start",
        "sessions",
        "after_days",
        "too_early",
        "metric",
        "before",
        "after",
        "team_before",
        "team_after",
        "change",
        "vs_team",
    ]
    assert len(table) == 1 + 12
    cycle = next(row for row in table if row[6] == "avg_cycle_days")
    assert cycle[:6] == ["Ann", "dollarizing", "2026-06-01", "1", "29", "false"]
    assert float(cycle[7]) == entry["metrics"]["avg_cycle_days"]["before"]
    text = run(ann, "impact", *AS_OF)
    assert text.startswith("Ann\n  Dollarizing since Mon 01 Jun: 1 session;")


def test_impact_says_why_it_has_nothing_to_show(ann):
    unknown = coachtui("impact", "--rep", "Anne", "--db", str(ann.path))
    assert (unknown.returncode, unknown.stderr) == (
        2,
        "coachtui: no rep named 'Anne'; closest: Ann\n",
    )
    nothing_yet = run(ann, "impact", "--rep", "Bob", *AS_OF)
    assert nothing_yet == "no coaching session with Bob has ended yet\n"
    before = run(ann, "impact", "--rep", "Ann", "--as-of", "2026-05-15")  # hers ended 01 Jun
    assert before == "no coaching session with Ann ended by Fri 15 May\n"
    session = coaching.start_or_resume(ann, "Bob", None)  # nothing below the team: no area
    coaching.end_session(ann, session.id)  # today
    assert run(ann, "impact", "--rep", "Bob") == (
        f"1 session with Bob ended by {day(dt.date.today())}, none on a coaching area: "
        "impact follows the numbers of the area a session works on (chosen in it)\n"
    )


def test_impact_as_csv_is_safe_in_a_spreadsheet(ann):
    session = coaching.start_or_resume(ann, "=HYPERLINK(1)", None)
    coaching.choose_focus(ann, session.id, FocusArea.TARGETING)
    coaching.end_session(ann, session.id)  # today: after the window of AS_OF
    table = list(
        csv.reader(io.StringIO(run(ann, "impact", "--rep", "=HYPERLINK(1)", "--format", "csv")))
    )
    assert len(table) == 1 + 12
    assert {tuple(row[:2]) for row in table[1:]} == {("'=HYPERLINK(1)", "targeting")}
    assert [row[7] for row in table[1:]] == [""] * 12  # no deals: no numbers


def test_commitments_overdue_first_and_safe_in_a_spreadsheet(ann):
    session = coaching.start_or_resume(ann, "=HYPERLINK(1)", None)
    commitments.add_commitment(ann, session.id, "=HYPERLINK(1)", "+1 call")
    listed = json.loads(run(ann, "commitments", *AS_OF, "--format", "json"))["commitments"]
    assert [(c["rep"], c["text"], c["overdue"]) for c in listed] == [
        ("Ann", "Book the CFO", True),
        ("Ann", "Call Lee", False),
        ("=HYPERLINK(1)", "+1 call", False),
        ("Ann", "Send the ROI sheet", False),
    ]
    overdue = run(ann, "commitments", *AS_OF, "--overdue", "--format", "csv")
    assert overdue.splitlines() == [
        "rep,text,owner,due_date,overdue,made_on",
        f"Ann,Book the CFO,rep,2026-06-26,true,{listed[0]['made_on']}",
    ]
    spreadsheet = run(ann, "commitments", *AS_OF, "--format", "csv")
    assert "'=HYPERLINK(1),'+1 call," in spreadsheet
    assert run(ann, "commitments", *AS_OF, "--rep", "Ann").splitlines()[0] == (
        "OVERDUE Ann: Book the CFO (rep, due Fri 26 Jun)"
    )


def test_numbers_as_of_more_than_a_week_after_the_last_import_say_so(ann):
    """Ann's deals imported on 30 Jun: numbers as of 07 Jul need no word (a
    weekly export), as of 08 Jul they know nothing of a week of the CRM: every
    command says so on its error output, and prints its numbers all the same."""
    ann.conn.execute("UPDATE import_log SET imported_at = '2026-06-30T08:00:00'")
    ann.conn.execute(  # a reps file imported since: the deals are as old
        "INSERT INTO import_log (imported_at, kind, file) "
        "VALUES ('2026-07-08T08:00:00', 'reps', 'reps.csv')"
    )
    stale = "coachtui: warning: the deals were last imported on Tue 30 Jun 2026, 8 days"
    for command in (["metrics"], ["brief", "Ann"], ["impact"]):
        for as_of, said in (("2026-07-07", False), ("2026-07-08", True)):
            result = coachtui(*command, "--as-of", as_of, "--db", str(ann.path))
            assert result.returncode == 0 and result.stdout, result.stderr
            assert result.stderr.startswith(stale) is said, (command, as_of, result.stderr)
