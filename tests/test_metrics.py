"""Every metric of docs/METRICS.md on a fixture worked out by hand.

The fixture (fixtures/metrics_deals.csv), as of 2026-06-30 with a 90-day
window, so a date is in the window when 2026-04-01 < d <= 2026-06-30:

Team Mia = Ann, Bob, Cat (Cat has no deals); Dan has no manager (his own team).
Stall threshold, Mia: won cycles in the window 40 (A3), 60 (A4), 0 (B3),
median 40, max(14, 60) = 60 days. Dan's team: 60 (D1), max(14, 90) = 90.

Ann: open A1, A2 (A7 is created after the as-of date) = 2, pipeline 1000 + 0.
     new A1, A4, A5 = 3, 1000 + 3000 + 2000 = 6000. won A3, A4 (A6 closed on
     2026-04-01, the first day outside) = 2, lost A5 = 1, won 8000, win rate
     2/3, average deal 4000, cycle (40 + 60) / 2 = 50, velocity
     2 * 2/3 * 4000 / 50 = 106.67. Stalled: A2, 121 days in stage > 60 (A1 has
     no stage date: 60 days since created, not over 60) = 1.
Bob: open B1 (EUR), B2 (USD): open pipeline mixes currencies, so null, with
     EUR 2000 and USD 4000. new B1, B2, B3 (B4 has no created date) = 3:
     EUR 2000, USD 10000. won B3 (cycle 0), lost B4: win rate 0.5, won 6000,
     average 6000, cycle 0 so velocity null. Stalled 0 (29 and 41 days).
Cat: zeros and nulls. Dan: open D2 (no dates: open, never stalled) = 1,
     pipeline 100; D1 won: new 1, 1000, win rate 1, cycle 60, velocity 16.67.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from coachtui.importing import ImportOptions, import_file
from coachtui.review.frames import read_deal_data
from coachtui.review.metrics import compute, stalled_deals, weekly_trends
from coachtui.settings import Currency, Settings, StallRule
from tests.command_line import coachtui
from tests.conftest import FIXTURES, TODAY

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def data(store):
    import_file(store, "reps", FIXTURES / "metrics_reps.csv", ImportOptions(today=TODAY))
    import_file(store, "deals", FIXTURES / "metrics_deals.csv", ImportOptions(today=TODAY))
    return read_deal_data(store)


def by_rep(report) -> dict[str, dict]:
    return {row["rep"]: row for row in report.reps.to_dicts()}


def test_per_rep_metrics(data):
    report = compute(data, AS_OF, 90)
    reps = by_rep(report)
    assert list(reps) == ["Ann", "Bob", "Cat", "Dan"]
    ann = reps["Ann"]
    assert (ann["open_deals"], ann["open_pipeline"]) == (2, 1000.0)
    assert (ann["new_deals"], ann["new_pipeline"]) == (3, 6000.0)
    assert (ann["won_deals"], ann["lost_deals"], ann["won_amount"]) == (2, 1, 8000.0)
    assert ann["win_rate"] == pytest.approx(2 / 3)
    assert ann["avg_deal_size"] == 4000.0
    assert ann["avg_cycle_days"] == 50.0
    assert ann["sales_velocity"] == pytest.approx(2 * (2 / 3) * 4000 / 50)
    assert ann["stalled_deals"] == 1

    bob = reps["Bob"]
    assert (bob["open_deals"], bob["open_pipeline"]) == (2, None)
    assert (bob["open_pipeline_EUR"], bob["open_pipeline_USD"]) == (2000.0, 4000.0)
    assert (bob["new_deals"], bob["new_pipeline"]) == (3, None)
    assert (bob["new_pipeline_EUR"], bob["new_pipeline_USD"]) == (2000.0, 10000.0)
    assert (bob["won_deals"], bob["lost_deals"], bob["won_amount"]) == (1, 1, 6000.0)
    assert (bob["win_rate"], bob["avg_deal_size"], bob["avg_cycle_days"]) == (0.5, 6000.0, 0.0)
    assert bob["sales_velocity"] is None
    assert bob["stalled_deals"] == 0

    assert reps["Cat"] == {
        "rep": "Cat",
        "manager": "Mia",
        "open_deals": 0,
        "open_pipeline": 0.0,
        "new_deals": 0,
        "new_pipeline": 0.0,
        "won_deals": 0,
        "lost_deals": 0,
        "won_amount": 0.0,
        "win_rate": None,
        "avg_deal_size": None,
        "avg_cycle_days": None,
        "sales_velocity": None,
        "stalled_deals": 0,
        "new_pipeline_EUR": None,
        "new_pipeline_USD": None,
        "open_pipeline_EUR": None,
        "open_pipeline_USD": None,
    }
    dan = reps["Dan"]
    assert dan["manager"] is None
    assert (dan["open_deals"], dan["open_pipeline"], dan["new_deals"], dan["new_pipeline"]) == (
        1,
        100.0,
        1,
        1000.0,
    )
    assert (dan["win_rate"], dan["avg_cycle_days"], dan["stalled_deals"]) == (1.0, 60.0, 0)
    assert dan["sales_velocity"] == pytest.approx(1000 / 60)
    assert report.currency_columns == [
        "new_pipeline_EUR",
        "new_pipeline_USD",
        "open_pipeline_EUR",
        "open_pipeline_USD",
    ]


def test_stall_thresholds_and_team_benchmarks(data):
    report = compute(data, AS_OF, 90)
    assert report.stall_thresholds == {"Mia": 60.0, None: 90.0}
    mia = report.team_benchmark("Mia")
    assert mia["open_deals"] == 2  # median of 2, 2, 0
    assert mia["open_pipeline"] == 500.0  # Bob's null is ignored: median of 1000 and 0
    assert mia["win_rate"] == pytest.approx((2 / 3 + 0.5) / 2)
    assert mia["avg_deal_size"] == 5000.0
    assert mia["avg_cycle_days"] == 25.0
    assert mia["sales_velocity"] == pytest.approx(2 * (2 / 3) * 4000 / 50)
    assert mia["stalled_deals"] == 0
    assert report.team_benchmark(None)["open_deals"] == 1


def test_stall_threshold_falls_back_to_all_teams_then_30_days(data):
    # as of 2027, no team has a won deal in the window: 30 days for everyone
    late = compute(data, dt.date(2027, 6, 30), 90)
    assert late.stall_thresholds == {"Mia": 30.0, None: 30.0}
    # a 30-day window from 2026-06-30 holds D1 (Dan, cycle 60) and A4 (Mia, 60)... so
    # narrow it to keep only D1: Mia borrows the median of every team's deals
    narrow = compute(data, AS_OF, 15)
    assert narrow.stall_thresholds == {"Mia": 90.0, None: 90.0}
    custom = compute(data, AS_OF, 90, Settings(stall=StallRule(min_days=100)))
    assert custom.stall_thresholds == {"Mia": 100.0, None: 100.0}


def test_conversion_without_history(data):
    report = compute(data, AS_OF, 90)

    def rates(rep):
        return [
            (s["from"], s["to"], s["reached_from"], s["reached_to"], s["rate"])
            for s in report.conversion[rep]
        ]

    assert rates("Ann") == [
        ("Prospecting", "Qualification", 3, 1, pytest.approx(1 / 3)),
        ("Qualification", "Proposal", 1, 1, 1.0),
        ("Proposal", "won", 1, 1, 1.0),
    ]
    assert rates("Bob") == [
        ("Prospecting", "Qualification", 3, 2, pytest.approx(2 / 3)),
        ("Qualification", "Proposal", 2, 1, 0.5),
        ("Proposal", "won", 1, 1, 1.0),
    ]
    assert [s["rate"] for s in report.conversion["Cat"]] == [None, None, None]
    # one rep's, read alone, as every rep's has them; none for a rep not there
    fresh = compute(data, AS_OF, 90)
    reps = [*fresh.reps.get_column("rep"), "Nobody"]

    def each_rep():
        return [(fresh.rep_row(r), fresh.rep_signals(r), fresh.conversion_of(r)) for r in reps]

    alone = each_rep()
    assert "conversion" not in fresh.__dict__  # read off the frames, one rep at a time
    fresh.every_rep_at_once()
    assert each_rep() == alone and alone[-1] == ({}, {}, [])
    ann_row, ann_signals, ann_steps = alone[0]
    assert ann_row["rep"] == ann_signals["rep"] == "Ann" and ann_steps == report.conversion["Ann"]


def test_conversion_with_history(store, csv_file):
    import_file(
        store,
        "deals",
        csv_file(
            "deal_id,rep,stage,created_date,close_date\n"
            "H1,Eve,Closed Lost,2026-05-01,2026-06-01\n"  # history: S1, S2, S3, lost: reached S3
            "H2,Eve,S1,2026-05-02,\n"  # history shows S2, current S1: reached S2
            "H3,Eve,Closed Won,2026-05-03,2026-06-02\n"  # no history: reached all
            "H4,Eve,Closed Lost,2026-05-04,2026-06-03\n"  # no history: S1 only
            "H5,Eve,S2,2026-05-05,\n"  # no history: S1, S2
            "H6,Eve,S3,2026-05-06,\n",
            name="deals.csv",
        ),
        ImportOptions(today=TODAY),
    )
    import_file(
        store,
        "history",
        csv_file(
            "deal_id,stage,entered_at\n"
            "H1,S1,2026-05-01\nH1,S2,2026-05-10\nH1,S3,2026-05-20\nH1,Closed Lost,2026-06-01\n"
            "H2,S2,2026-05-10\nH2,S1,2026-05-20\n",
            name="history.csv",
        ),
        ImportOptions(today=TODAY),
    )
    # order by first appearance in the deals file: S1, S2, S3 (H6 brings S3 in)
    report = compute(read_deal_data(store), AS_OF, 90)
    steps = report.conversion["Eve"]
    assert [(s["from"], s["to"], s["reached_from"], s["reached_to"]) for s in steps] == [
        ("S1", "S2", 6, 5),  # S2 or later: H1, H2 (by history), H3 (won), H5, H6
        ("S2", "S3", 5, 3),  # S3 or later: H1 (by history), H3, H6
        ("S3", "won", 3, 1),  # won: H3
    ]


def test_conversion_rates_into_one_currency(data):
    settings = Settings(currency=Currency(base="USD", rates={"EUR": 1.5}))
    bob = by_rep(compute(data, AS_OF, 90, settings))["Bob"]
    assert bob["open_pipeline"] == 2000 * 1.5 + 4000
    assert bob["new_pipeline"] == 2000 * 1.5 + 10000


def test_metrics_csv_and_json_from_the_command_line(data, store):
    out = coachtui("metrics", "--db", str(store.path), "--as-of", "2026-06-30", "--format", "csv")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == (
        "rep,manager,open_deals,open_pipeline,new_deals,new_pipeline,won_deals,lost_deals,"
        "won_amount,win_rate,avg_deal_size,avg_cycle_days,sales_velocity,stalled_deals,"
        "new_pipeline_EUR,new_pipeline_USD,open_pipeline_EUR,open_pipeline_USD"
    )
    assert lines[1] == (
        "Ann,Mia,2,1000.0,3,6000.0,2,1,8000.0,0.6666666666666666,4000.0,50.0,"
        "106.66666666666666,1,,,,"
    )
    assert lines[2] == "Bob,Mia,2,,3,,1,1,6000.0,0.5,6000.0,0.0,,0,2000.0,10000.0,2000.0,4000.0"
    assert lines[3] == "Cat,Mia,0,0.0,0,0.0,0,0,0.0,,,,,0,,,,"
    assert lines[4].startswith("Dan,,1,100.0,1,1000.0,1,0,1000.0,1.0,1000.0,60.0,16.66666666")

    out = coachtui(
        "metrics",
        "--db",
        str(store.path),
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
        "--manager",
        "Mia",
    )
    document = json.loads(out.stdout)
    assert (document["as_of"], document["days"]) == ("2026-06-30", 90)
    assert [r["rep"] for r in document["reps"]] == ["Ann", "Bob", "Cat"]
    assert document["reps"][2]["focus"] == [
        {
            "area": "insufficient_data",
            "evidence": document["reps"][2]["focus"][0]["evidence"],
            "score": 0.0,
        }
    ]
    assert document["reps"][0]["conversion"][0] == {
        "from": "Prospecting",
        "to": "Qualification",
        "reached_from": 3,
        "reached_to": 1,
        "rate": 1 / 3,
    }
    assert document["teams"] == [{"manager": "Mia", "benchmark": document["teams"][0]["benchmark"]}]
    assert document["teams"][0]["benchmark"]["avg_deal_size"] == 5000.0


def test_metrics_command_errors(data, store):
    out = coachtui("metrics", "--db", str(store.path), "--rep", "Anne")
    assert out.returncode == 2
    assert "no rep named 'Anne'; closest: Ann" in out.stderr
    out = coachtui("metrics", "--db", str(store.path), "--as-of", "30/06/2026")
    assert out.returncode == 2
    assert "not a date" in out.stderr


def test_table_says_which_money_is_in_several_currencies(data, store):
    out = coachtui("metrics", "--db", str(store.path), "--as-of", "2026-06-30")
    assert out.returncode == 0, out.stderr
    assert "median (Mia)" in out.stdout
    assert "Bob: open pipeline in several currencies: €2,000 + $4,000" in out.stdout
    assert "Bob: new pipeline in several currencies: €2,000 + $10,000" in out.stdout


def test_weekly_trends_and_stalled_deals(data):
    report = compute(data, AS_OF, 90)
    trends = weekly_trends(data, "Ann", AS_OF)
    # week 0 is (2026-06-23, 2026-06-30]: nothing created; A4 won on 06-14 is week 2
    assert len(trends["new_pipeline"]) == 12
    assert trends["won_amount"][-3] == 3000.0  # A4, 16 days before: third week from the end
    assert trends["win_rate"][-3] == 1.0
    # A1 created 2026-05-01 (60 days before: week 8), A5 04-20 (week 10), A4 04-15 (week 10)
    assert trends["new_pipeline"][-9] == 1000.0
    assert trends["new_pipeline"][-11] == 5000.0
    stalled = stalled_deals(data, report, "Ann")
    assert stalled.select("deal_id", "days_in_stage").rows() == [("A2", 121.0)]


def test_a_team_without_a_stall_threshold_falls_back_to_the_setting(data):
    import dataclasses

    report = dataclasses.replace(compute(data, AS_OF, 90), stall_thresholds={})
    # A2 has been 121 days in its stage
    after_100_days = Settings(stall=StallRule(fallback_days=100))
    assert stalled_deals(data, report, "Ann", after_100_days).get_column("deal_id").to_list() == [
        "A2"
    ]
    after_200_days = Settings(stall=StallRule(fallback_days=200))
    assert stalled_deals(data, report, "Ann", after_200_days).height == 0


def test_a_reps_main_currency_is_the_one_the_trends_sum(data):
    from coachtui.review.metrics import rep_currencies

    # Bob: B2 and B3 in USD, B1 in EUR, B4 without a currency
    assert rep_currencies(data, "Bob") == ["USD", "EUR"]
    converted = Settings(currency=Currency(base="USD", rates={"EUR": 1.1}))
    assert rep_currencies(data, "Bob", converted) == ["USD"]
    assert rep_currencies(data, "Dan") == []
    # the trends sum the main currency only: B2's 4,000 USD, not B1's 2,000 EUR
    # (B3, created 04-02, is 12 weeks back: before the first week shown)
    assert sum(weekly_trends(data, "Bob", AS_OF)["new_pipeline"]) == 4_000.0


def test_every_metric_is_shown_one_way_everywhere():
    from coachtui.review.metrics import METRICS
    from coachtui.text import metric_text

    assert {metric: metric_text(metric, 12_345.0, "USD") for metric in METRICS} == {
        "open_deals": "12,345",
        "open_pipeline": "$12,345",
        "new_deals": "12,345",
        "new_pipeline": "$12,345",
        "won_deals": "12,345",
        "lost_deals": "12,345",
        "won_amount": "$12,345",
        "win_rate": "1234500%",
        "avg_deal_size": "$12,345",
        "avg_cycle_days": "12345d",
        "sales_velocity": "$12,345",
        "stalled_deals": "12,345",
    }
    assert metric_text("open_pipeline", 12_345.0, "USD", short=True) == "$12k"
    assert metric_text("win_rate", None) == "-"


def test_a_past_report_counts_the_deals_open_on_that_day(data):
    """As of 2026-05-01 (window 2026-01-31 < d <= 2026-05-01), worked by hand.

    Ann: A1 (created that day), A2 (open), and A4 and A5, created in April and
    won or lost only after that day = 4 deals, 1000 + 0 + 3000 + 2000 = 6000.
    Days in stage: A2 entered Proposal on 03-01, 61 days; A4 and A5 closed
    later, so their created dates stand in (16 and 11 days); A1 0 days.
    Mia's stall threshold: won cycles closed in the window 40 (A3), 455 (A6),
    0 (B3), median 40, max(14, 60) = 60: A2 is stalled (61 > 60), 1 deal.
    Bob: only B4 (no created date, lost on 06-30, after that day) = 1 deal,
    no amount; with neither a stage date nor a created date it never stalls.
    """
    report = compute(data, dt.date(2026, 5, 1), 90)
    reps = by_rep(report)
    ann, bob = reps["Ann"], reps["Bob"]
    assert (ann["open_deals"], ann["open_pipeline"], ann["stalled_deals"]) == (4, 6000.0, 1)
    assert (bob["open_deals"], bob["open_pipeline"], bob["stalled_deals"]) == (1, 0.0, 0)
    stalled = stalled_deals(data, report, "Ann")
    assert stalled.select("deal_id", "days_in_stage").rows() == [("A2", 61.0)]


def test_days_in_stage_as_of_a_day_before_the_stage_was_entered(data):
    """B2 entered Qualification on 05-20: as of 06-30 that date counts (41
    days); as of 05-18 it is not known yet, so its created date (05-15)
    stands in: 3 days."""
    from coachtui.review.metrics import days_in_stage, open_as_of

    def days(as_of):
        deals = data.deals.filter(pl.col("deal_id") == "B2")
        return deals.filter(open_as_of(as_of)).select(days_in_stage(as_of)).item()

    assert days(dt.date(2026, 6, 30)) == 41.0
    assert days(dt.date(2026, 5, 18)) == 3.0


def table_lines(store, columns: str, *options: str) -> list[str]:
    out = coachtui(
        "metrics",
        "--db",
        str(store.path),
        "--as-of",
        "2026-06-30",
        *options,
        env={"COLUMNS": columns},
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_the_table_fits_the_terminal_and_says_how_to_see_the_rest(demo_store):
    """$COLUMNS, else the terminal, else 80: the key columns, words whole."""
    lines = table_lines(demo_store, "80")
    assert max(map(len, lines)) <= 80
    header = " ".join(lines[2:4]).split()
    assert lines[3].split()[0] == "Rep" and lines[3].split()[-1] == "Focus"
    assert {"Open", "New", "pipeline", "Win", "rate", "Cycle"} <= set(header)
    assert any("Targeting" in line.split() for line in lines)  # never Ta / rgeting
    assert "--wide shows every column, --format csv gives them all" in " ".join(lines)
    wide = table_lines(demo_store, "80", "--wide")
    assert max(map(len, wide)) > 150 and "Velocity/day" in wide[2]
    assert "--wide" not in " ".join(wide)
    for columns in ("100", "120"):
        assert max(map(len, table_lines(demo_store, columns))) <= int(columns)
