"""The pre-call brief on the metrics fixture (tests/test_metrics.py), by hand.

Ann's last session ended 2026-06-01 on Dollarizing (suggested), rated 2/5;
the brief is as of 2026-06-30 over 90 days.

Then (as of 06-01, 03-03 < d <= 06-01): open A1, A2 and A4 (won only on
06-14) = 3, 1000 + 0 + 3000 = 4000; new A1, A4, A5 = 3, 6000; won A3 and A6
(closed 04-10 and 04-01) = 2, 14999, lost A5 = 1; win rate 2/3; average deal
7499.5; cycle (40 + 455) / 2 = 247.5; velocity 3 * 2/3 * 7499.5 / 247.5;
stall threshold max(14, 1.5 * 40) = 60, A2 92 days in stage: 1 stalled.
Now (as of 06-30): the numbers of test_per_rep_metrics.

Open commitments: "Book the CFO" due 06-26 (overdue), "Call Lee" due 07-03,
"Send the ROI sheet" with no due date; "Demo" was kept. Stalled now: A2, 121
days in Proposal. Discussed: A1 (open) and A3 (won in April: left out).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coachtui.cli import main
from coachtui.coaching import brief, commitments, records
from coachtui.coaching import sessions as coaching
from coachtui.importing import ImportOptions, import_file
from coachtui.review.frames import read_deal_data
from coachtui.review.metrics import METRICS
from coachtui.review.team import review_team_from
from coachtui.settings import Settings
from coachtui.text import strict_json
from tests.conftest import FIXTURES, TODAY

AS_OF = dt.date(2026, 6, 30)


def ann_brief(store, as_of=AS_OF):
    data = read_deal_data(store)
    team = review_team_from(data, as_of, 90)
    return brief.build_brief(store, data, team, "Ann", Settings())


def test_the_brief_as_data(ann):
    document = ann_brief(ann).as_dict()
    assert (document["rep"], document["manager"], document["as_of"], document["days"]) == (
        "Ann",
        "Mia",
        "2026-06-30",
        90,
    )
    assert document["last_session"] == {
        "date": "2026-06-01",
        "focus_area": None,
        "suggested_area": "dollarizing",
        "ratings": {"dollarizing": 2},
        "minutes": 30,
    }
    changes = {c["metric"]: (c["then"], c["now"]) for c in document["changes"]}
    assert list(changes) == list(METRICS)
    assert changes["open_deals"] == (3, 2)
    assert changes["open_pipeline"] == (4000.0, 1000.0)
    assert changes["new_deals"] == (3, 3)
    assert changes["won_amount"] == (14999.0, 8000.0)
    assert changes["avg_deal_size"] == (7499.5, 4000.0)
    assert changes["avg_cycle_days"] == (247.5, 50.0)
    assert changes["stalled_deals"] == (1, 1)
    then, now = changes["sales_velocity"]
    assert then == pytest.approx(3 * (2 / 3) * 7499.5 / 247.5)
    assert now == pytest.approx(2 * (2 / 3) * 4000 / 50)

    assert [(c["text"], c["due_date"], c["overdue"]) for c in document["commitments"]] == [
        ("Book the CFO", "2026-06-26", True),
        ("Call Lee", "2026-07-03", False),
        ("Send the ROI sheet", None, False),
    ]
    assert document["commitments"][0]["owner"] == "rep"
    assert document["stalled_deals"] == [
        {
            "deal_id": "A2",
            "name": None,
            "account": None,
            "stage": "Proposal",
            "days_in_stage": 121.0,
            "amount": None,
            "currency": "USD",
        }
    ]
    (discussed,) = document["deals_discussed"]
    assert (discussed["deal_id"], discussed["cost_of_inaction_year"]) == ("A1", 2 * 5 * 100 * 52)
    assert [(i["role"], i["met"]) for i in discussed["influences"]] == [
        ("economic", False),
        ("coach", True),
    ]
    (impact,) = document["impact"]
    assert (impact["area"], impact["start"], impact["after_days"]) == (
        "dollarizing",
        "2026-06-01",
        29,
    )


def test_the_brief_as_text_fits_80_columns_and_names_what_matters(ann):
    text = brief.as_text(ann_brief(ann))
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "\x1b" not in text and "[" not in text
    for expected in (
        "Brief: Ann, manager Mia, 90 days to Tue 30 Jun 2026",
        "Mon 01 Jun 2026: Dollarizing (suggested), 30 min",
        "OVERDUE Book the CFO (rep, due Fri 26 Jun)",
        "A2: Proposal for 121 days, -",
        "cycle: 248d -> 50d",
        "A1: cost of inaction $4,333 a month, $52,000 a year",
        "Economic buyer: Dana, not met, unknown",
        "Dollarizing since Mon 01 Jun: 1 session;",
    ):
        assert expected in text, expected
    assert "Coach: Lee" not in text  # met already: the brief lists who is not yet met


def test_the_brief_as_markdown_reads_as_plain_text(ann):
    text = brief.as_markdown(ann_brief(ann))
    assert text.startswith("## Brief: Ann, manager Mia")
    assert "### Open commitments\n\n- OVERDUE Book the CFO (rep, due Fri 26 Jun)" in text
    assert "### Focus\n\n1. Too little data: " in text and "- 1." not in text  # numbered
    assert "\\" not in text


def test_no_session_yet(store):
    import_file(store, "deals", FIXTURES / "metrics_deals.csv", ImportOptions(today=TODAY))
    document = ann_brief(store).as_dict()
    assert (document["last_session"], document["changes"], document["impact"]) == (None, [], [])
    assert "no session yet" in brief.as_text(ann_brief(store))


def test_one_reps_focus_is_the_one_the_whole_team_diagnosis_gives(demo_store):
    """A brief diagnoses its rep alone: the same focus as the team's diagnosis."""
    data = read_deal_data(demo_store)
    alone = review_team_from(data, TODAY, 90)
    reps = alone.report.reps.get_column("rep").to_list()
    one_by_one = {rep: alone.focus_of(rep) for rep in reps}
    assert "focus" not in alone.__dict__  # nobody diagnosed the whole team
    assert one_by_one == review_team_from(data, TODAY, 90).focus
    assert alone.focus_of("Nobody") == []


def test_a_reps_brief_from_their_team_alone_is_the_whole_teams(demo_store, capsys):
    """`coachtui brief REP` reads the rep's team only (Dana's or Marcus's six
    reps): every rep's brief is the one computed with every team."""
    data = read_deal_data(demo_store)
    everyone = review_team_from(data, TODAY, 90)
    reps = everyone.report.reps.get_column("rep").to_list()
    assert len(set(everyone.report.reps.get_column("manager"))) == 2
    window = ["--db", str(demo_store.path), "--as-of", TODAY.isoformat(), "--format", "json"]
    for rep in reps:
        assert main(["brief", rep, *window]) == 0
        alone = json.loads(capsys.readouterr().out)
        whole = brief.build_brief(demo_store, data, everyone, rep, Settings())
        assert alone == json.loads(strict_json(whole.as_dict())), rep


def test_the_brief_says_how_last_time_went_and_what_moved_the_area_coached_first(ann):
    """Ann's last session made four commitments: "Demo" kept, three still open
    (listed under Open commitments). Of what moved since (see above), the
    Dollarizing metrics come first, each better or worse for Ann herself."""
    text = brief.as_text(ann_brief(ann))
    section = text[text.index("Last session") : text.index("Open commitments")]
    assert section.splitlines() == [
        "Last session",
        "  Mon 01 Jun 2026: Dollarizing (suggested), 30 min",
        "  ratings: Dollarizing 2/5",
        "  commitments made then: 1 kept, 3 still open",
        "    kept: Demo (rep)",
        "",
        "What changed since the last session",
        "  90-day figures at the last session (Mon 01 Jun) and now (Tue 30 Jun)",
        "  cycle: 248d -> 50d, better",
        "  average deal: 7,500 -> 4,000, worse",
        # 3 x 2/3 x 7,499.5 / 247.5 = 60.6, then 2 x 2/3 x 4,000 / 50 = 106.7
        "  velocity a day: 61 -> 107, better",
        "  open deals: 3 -> 2",  # won deals leave it too: neither better nor worse
        "  open pipeline: 4,000 -> 1,000",
        "  won: 14,999 -> 8,000, worse",
        "",
    ]


@pytest.mark.parametrize(
    ("metric", "then", "now", "said"),
    [
        ("win_rate", 0.200, 0.209, "win rate: 20% -> 21%, flat"),  # within 5% of 0.209
        ("win_rate", 0.200, 0.211, "win rate: 20% -> 21%, better"),
        ("avg_cycle_days", 60, 50, "cycle: 60d -> 50d, better"),  # lower is better
        ("lost_deals", 4, 6, "lost deals: 4 -> 6, worse"),
        ("open_pipeline", 9000, 1000, "open pipeline: 9,000 -> 1,000"),
        ("won_amount", None, 1000, "won: - -> 1,000"),
    ],
)
def test_a_change_is_better_worse_or_flat_for_the_rep_alone(metric, then, now, said):
    assert brief._change_line(brief.Change(metric, then, now), None) == said


def test_the_brief_names_the_earlier_commitments_the_last_session_marked(ann):
    """Ann's next session marked "Call Lee" missed and carried "Book the CFO",
    and made none: the brief says so, not only that nothing was made."""
    made = {c.text: c.id for c in records.open_commitments(ann, "Ann")}
    later = coaching.start_or_resume(ann, "Ann", None)
    commitments.review_commitment(ann, made["Call Lee"], "missed", later.id)
    commitments.review_commitment(ann, made["Book the CFO"], "carried", later.id)
    coaching.end_session(ann, later.id)
    ann.conn.execute(
        "UPDATE coaching_sessions SET started_at = '2026-06-15T09:00:00', "
        "ended_at = '2026-06-15T09:20:00', updated_at = '2026-06-15T09:20:00' WHERE id = ?",
        (later.id,),
    )
    text = brief.as_text(ann_brief(ann))
    section = text[text.index("Last session") : text.index("Open commitments")]
    assert section.splitlines()[:6] == [
        "Last session",
        "  Mon 15 Jun 2026: no focus, 20 min",  # none suggested, none chosen
        "  earlier commitments marked then:",
        "    missed: Call Lee (rep)",
        "    carried: Book the CFO (rep)",
        "  no commitment made",
    ]
