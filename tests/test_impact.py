"""Coaching impact on the metrics fixture (tests/test_metrics.py), worked by hand.

Ann was coached on Dollarizing in sessions ended 2026-05-01 and 2026-06-01,
and on Targeting in one ended 2026-06-25; a session ended 2026-07-10 is after
the as-of date 2026-06-30 and does not count. Window 90 days.

Dollarizing: start 05-01, after = min(05-01 + 90, 06-30) = 06-30, 60 days.
Before (01-31 < d <= 05-01), Ann: won A3 (cycle 40) and A6 (455), cycle
247.5, average deal (5000 + 9999) / 2 = 7499.5, open A1 A2 A4 A5 = 4, win
rate 1, velocity 4 * 1 * 7499.5 / 247.5; new A1 A3 A4 A5 = 4, per 30 days
4 * 30 / 90. Bob: won B3 (cycle 0, 6000), so velocity null; new B3 = 1.
Cat has nothing. Team (medians): cycle (247.5 + 0) / 2 = 123.75, average
deal (7499.5 + 6000) / 2 = 6749.75, new deals 1 -> 1 * 30 / 90.
After (05-01 < d <= 06-30), Ann: won A4 (cycle 60, 3000), lost A5; open
A1 A2; velocity 2 * 0.5 * 3000 / 60 = 50; stall threshold max(14, 1.5 *
60) = 90, A2 is 121 days in stage: stalled 1 (before too: 61 > 60). No new
deals. Bob: B1, B2 open, new 2 (EUR and USD), lost B4; nothing won. Team:
cycle 60, average deal 3000, velocity 50, new deals median of 0, 2, 0 = 0.

Cycle: -187.5 for Ann, -63.75 for the team: -123.75 beyond the team (better).
Average deal: -4499.5 against -3749.75: -749.75 (worse). Velocity: Ann is
the team's only value both times, so the same change: 0 (flat). New deals
per 30 days: 4/3 -> 0 against 1/3 -> 0: -1.

Targeting: start 06-25, 5 days after it: too early.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coachtui.areas import FocusArea
from coachtui.cli import main
from coachtui.coaching import impact, records, sessions
from coachtui.coaching.impact import (
    IMPACT_TABLE,
    CoachedSession,
    MetricChange,
    coached,
    coached_in,
    coaching_impact,
    impact_table,
)
from coachtui.importing import ImportOptions, import_file
from coachtui.review.frames import read_deal_data
from coachtui.review.metrics import METRICS
from tests.conftest import FIXTURES, TODAY

AS_OF = dt.date(2026, 6, 30)
DOLLARIZING, TARGETING = FocusArea.DOLLARIZING, FocusArea.TARGETING


@pytest.fixture
def data(store):
    import_file(store, "reps", FIXTURES / "metrics_reps.csv", ImportOptions(today=TODAY))
    import_file(store, "deals", FIXTURES / "metrics_deals.csv", ImportOptions(today=TODAY))
    return read_deal_data(store)


SESSIONS = [
    CoachedSession("Ann", DOLLARIZING, dt.date(2026, 6, 1)),
    CoachedSession("Ann", TARGETING, dt.date(2026, 6, 25)),
    CoachedSession("Ann", DOLLARIZING, dt.date(2026, 5, 1)),
    CoachedSession("Ann", TARGETING, dt.date(2026, 7, 10)),
]


def test_impact_before_and_after_against_the_team(data):
    dollarizing, targeting = coaching_impact(data, SESSIONS, AS_OF, 90)
    assert (dollarizing.rep, dollarizing.area, dollarizing.start) == (
        "Ann",
        DOLLARIZING,
        dt.date(2026, 5, 1),
    )
    assert (dollarizing.sessions, dollarizing.after_days, dollarizing.too_early) == (2, 60, False)
    assert set(dollarizing.metrics) == set(METRICS)

    cycle = dollarizing.metrics["avg_cycle_days"]
    assert (cycle.before, cycle.after, cycle.team_before, cycle.team_after) == (
        247.5,
        60.0,
        123.75,
        60.0,
    )
    assert (cycle.change, cycle.vs_team) == (-187.5, -123.75)

    size = dollarizing.metrics["avg_deal_size"]
    assert (size.before, size.after, size.team_before, size.team_after) == (
        7499.5,
        3000.0,
        6749.75,
        3000.0,
    )
    assert size.vs_team == pytest.approx(-749.75)

    velocity = dollarizing.metrics["sales_velocity"]
    assert velocity.before == pytest.approx(4 * 7499.5 / 247.5)
    assert velocity.team_before == velocity.before
    assert (velocity.after, velocity.team_after, velocity.vs_team) == (50.0, 50.0, 0.0)

    stalled = dollarizing.metrics["stalled_deals"]
    assert (stalled.before, stalled.after, stalled.change, stalled.vs_team) == (1, 1, 0, 0)

    new = dollarizing.metrics["new_deals"]
    # exactly as Python divides: a last digit off would make a flat change "better"
    assert (new.before, new.team_before) == (4 * 30 / 90, 1 * 30 / 90)
    assert (new.after, new.team_after) == (0.0, 0.0)
    assert new.vs_team == pytest.approx(-1.0)

    assert [(name, m.direction(name)) for name, m in dollarizing.headlines()] == [
        ("avg_cycle_days", "better"),
        ("stalled_deals", "flat"),
        ("avg_deal_size", "worse"),
        ("sales_velocity", "flat"),
    ]

    assert (targeting.area, targeting.start, targeting.sessions) == (
        TARGETING,
        dt.date(2026, 6, 25),
        1,
    )
    assert (targeting.after_days, targeting.too_early) == (5, True)
    new = targeting.metrics["new_deals"]
    assert new.before is not None
    assert (new.after, new.team_after, new.change, new.vs_team) == (None, None, None, None)


def test_impact_as_json(data):
    (dollarizing, _) = coaching_impact(data, SESSIONS, AS_OF, 90)
    entry = dollarizing.as_dict()
    assert list(entry) == [
        "rep",
        "area",
        "start",
        "sessions",
        "after_days",
        "too_early",
        "metrics",
    ]
    assert (entry["area"], entry["start"]) == ("dollarizing", "2026-05-01")
    assert list(entry["metrics"]["win_rate"]) == [
        "before",
        "after",
        "team_before",
        "team_after",
        "change",
        "vs_team",
    ]


def test_no_session_by_the_as_of_date_means_no_impact(data):
    assert coaching_impact(data, SESSIONS, dt.date(2026, 4, 30), 90) == []
    table = impact_table(data, SESSIONS, dt.date(2026, 4, 30), 90)
    assert table.height == 0
    assert "".join(impact.impact_csv(table)) == ",".join(IMPACT_TABLE) + "\n"  # the header alone


def test_impact_as_the_screens_show_it(data):
    """History's rows and Review's line, from the numbers worked above."""
    from coachtui.coaching.impact import coached_line, impact_rows, signed

    dollarizing, targeting = coaching_impact(data, SESSIONS, AS_OF, 90)
    assert impact_rows(dollarizing) == [
        # cycle 247.5 -> 60; the team 123.75 -> 60: -63.75, and -123.75 beyond
        ("cycle", "248d", "60d", "-64d", "-124d", "better"),
        ("stalled deals", "1", "1", "0", "0", "flat"),
        # 7499.5 -> 3000; the team 6749.75 -> 3000: -3749.75, and -749.75 beyond
        ("average deal", "7.5k", "3.0k", "-3.7k", "-750", "worse"),
        # 121.2 -> 50 for Ann and the team alike
        ("velocity a day", "121", "50", "-71", "0", "flat"),
    ]
    assert coached_line(dollarizing) == (
        "coached on Dollarizing since Fri 01 May: cycle 248d -> 60d, team 124d -> 60d: "
        "better than the team"
    )
    # too early: the numbers before only. As of 06-25 over 90 days (03-27 < d
    # <= 06-25): new A1, A4, A5 = 3 and 6000, per 30 days 1 and 2000; won A3,
    # A4, A6 and lost A5: 75%
    assert [row[1:] for row in impact_rows(targeting)] == [
        ("1", "-", "-", "-", "too early"),
        ("2.0k", "-", "-", "-", "too early"),
        ("75%", "-", "-", "-", "too early"),
    ]
    assert [signed("avg_cycle_days", v) for v in (0.4, -0.4, 0.6, None)] == ["0d", "0d", "+1d", "-"]
    assert [signed("win_rate", v) for v in (0.1, -0.004)] == ["+10 pts", "0 pts"]
    assert coached_line(targeting) == (
        "coached on Targeting since Thu 25 Jun: too early to compare (5 days after, 14 needed)"
    )


def test_sessions_before_any_deal_is_imported_have_no_numbers(store):
    """A manager may coach before importing the CRM: impact says nothing, and
    does not fail."""
    (entry,) = coaching_impact(read_deal_data(store), SESSIONS[2:3], AS_OF, 90)
    assert (entry.rep, entry.area, entry.too_early) == ("Ann", DOLLARIZING, False)
    assert {change.before for change in entry.metrics.values()} == {None}
    assert {change.vs_team for change in entry.metrics.values()} == {None}


def test_one_reps_impact_from_their_team_alone_is_the_whole_teams(demo_store, capsys, monkeypatch):
    """`coachtui impact --rep` reads the rep's team only: each coached rep's
    entries, in one of the sample's two teams, are those of every rep's impact."""
    for rep, area, ended in (
        ("Emma Novak", DOLLARIZING, "2026-08-20"),
        ("Grace Liu", TARGETING, "2026-09-15"),
        ("Grace Liu", DOLLARIZING, "2026-10-28"),
    ):
        session = sessions.start_or_resume(demo_store, rep, area)
        sessions.end_session(demo_store, session.id)
        demo_store.conn.execute(
            "UPDATE coaching_sessions SET started_at = ?, ended_at = ? WHERE id = ?",
            (f"{ended}T09:00:00", f"{ended}T09:40:00", session.id),
        )
    window = ["--db", str(demo_store.path), "--as-of", TODAY.isoformat(), "--format", "json"]
    assert main(["impact", *window]) == 0
    everyone = json.loads(capsys.readouterr().out)["impact"]
    for rep in ("Emma Novak", "Grace Liu"):
        assert main(["impact", "--rep", rep, *window]) == 0
        alone = json.loads(capsys.readouterr().out)["impact"]
        assert alone and alone == [entry for entry in everyone if entry["rep"] == rep]
    # as CSV, a row a metric of each entry, the same written a few rows at a time
    window[-1] = "csv"
    assert main(["impact", *window]) == 0
    table = capsys.readouterr().out
    monkeypatch.setattr(impact, "CSV_SLICE_ROWS", 7)
    assert main(["impact", *window]) == 0
    assert capsys.readouterr().out == table
    assert len(table.splitlines()) == 1 + len(everyone) * len(METRICS)


def test_the_sessions_impact_reads_are_those_it_would_make_whole(store):
    """`coached_in` reads what `coached` makes of the whole sessions: ended
    ones only, on the manager's area else the suggested one (an empty one
    is none), oldest started first, every rep's or one's."""
    messaging, targeting = FocusArea.MESSAGING, FocusArea.TARGETING
    for rep, suggested, chosen, started, ended in (
        ("Ann", DOLLARIZING, None, "2026-06-02T09:00:00", "2026-06-02T09:30:00"),
        ("Bob", None, messaging, "2026-05-01T23:30:00+02:00", "2026-05-02T00:10:00+02:00"),
        ("Ann", targeting, messaging, "2026-04-01T09:00:00", "2026-04-01T10:00:00"),
        ("Ann", DOLLARIZING, None, "2026-07-01T09:00:00", None),  # not ended
        ("Bob", None, None, "2026-03-01T09:00:00", "2026-03-01T09:30:00"),  # no area
        ("Bob", "", "", "2026-03-02T09:00:00", "2026-03-02T09:30:00"),  # none either
    ):
        session = sessions.start_or_resume(store, rep, suggested or None)
        store.conn.execute(
            "UPDATE coaching_sessions SET started_at = ?, ended_at = ?, focus_area = ?, "
            "suggested_area = ? WHERE id = ?",
            (started, ended, chosen, suggested, session.id),
        )
    coached_before = [
        CoachedSession("Ann", messaging, dt.date(2026, 4, 1)),
        CoachedSession("Bob", messaging, dt.date(2026, 5, 2)),
        CoachedSession("Ann", DOLLARIZING, dt.date(2026, 6, 2)),
    ]
    assert coached_in(store) == coached(records.coaching_sessions(store)) == coached_before
    for rep in ("Ann", "Bob", "Cleo"):
        theirs = [session for session in coached_before if session.rep == rep]
        assert coached_in(store, rep) == coached(records.coaching_sessions(store, rep)) == theirs


@pytest.mark.parametrize(
    ("before", "after", "team_before", "team_after", "metric", "said"),
    [
        (10.7, 9.5, 10.5, 9.277, "lost_deals", "flat"),  # 0.02 beyond the team: noise
        (0.42, 0.44, 0.40, 0.40, "win_rate", "flat"),  # 2 points of win rate on 44%
        (10.7, 9.5, 10.5, 10.5, "lost_deals", "better"),  # 1.2 fewer lost: 11% of its size
        (7500.0, 3000.0, 7500.0, 3750.0, "avg_deal_size", "worse"),  # 750 of 7,500
        (10_000.0, 20_000.0, 500_000.0, 500_000.0, "won_amount", "better"),  # the rep's own size
        (0.05, 0.07, 0.40, 0.40, "win_rate", "better"),  # 2 points on the rep's 7%
        (0.0, 0.0, 0.0, 0.0, "win_rate", "flat"),
    ],
)
def test_a_change_beyond_the_team_within_a_twentieth_of_the_reps_figure_is_flat(
    before, after, team_before, team_after, metric, said
):
    vs_team = (after - before) - (team_after - team_before)
    change = MetricChange(before, after, team_before, team_after, after - before, vs_team)
    assert change.direction(metric) == said
