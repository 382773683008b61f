"""Impact's many windows at once give each window's numbers exactly as the
team report computes them one window at a time, or step aside."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from coachtui.coaching.impact import ReportCache
from coachtui.review import windows
from coachtui.review.metrics import COLUMNS, METRICS, DealData, compute, prepare, teams_of
from coachtui.review.windows import fast_windows
from coachtui.settings import Settings
from coachtui.store.kept_frames import DEAL_SCHEMA

AS_OF = dt.date(2026, 6, 30)


def _maybe(rng: random.Random, value, share: float = 0.1):
    return None if rng.random() < share else value


def deal_data(seed: int, cents: bool = False, entered_before: int = 20) -> DealData:
    """Odd deals on purpose: undated, closed before created, entered before
    created (up to `entered_before` days) or after closing, no amount, reps
    with no manager or no deals."""
    rng = random.Random(seed)
    rows = []
    for n in range(600):
        created = AS_OF - dt.timedelta(days=rng.randrange(300))
        status = rng.choice(("open", "open", "won", "lost"))
        amount = rng.randrange(100, 50_000) + (rng.randrange(100) / 100 if cents else 0)
        rows.append(
            {
                "deal_id": f"D{n}",
                "rep": f"Rep {rng.randrange(12):02d}",
                "stage": {"open": "Proposal", "won": "Won", "lost": "Lost"}[status],
                "status": status,
                "amount": float(_maybe(rng, amount) or 0) or None,
                "currency": "USD",
                "created_date": _maybe(rng, created),
                "close_date": _maybe(rng, created + dt.timedelta(days=rng.randrange(-10, 150))),
                "stage_entered_date": _maybe(
                    rng, created + dt.timedelta(days=rng.randrange(-entered_before, 100)), 0.5
                ),
                "contacts": rng.randrange(1, 5),
            }
        )
    reps = pl.DataFrame(
        {
            "rep": [f"Rep {n:02d}" for n in range(14)],  # 12 and 13 own no deal
            "manager": [("Ann", "Bo", None)[n % 3] for n in range(14)],
        }
    )
    empty = {"deal_id": pl.String, "stage": pl.String, "entered_at": pl.Date}
    return DealData(
        deals=pl.DataFrame(rows, schema=DEAL_SCHEMA),
        reps=reps.filter(pl.col("rep") != "Rep 05"),  # a rep only the deals name
        history=pl.DataFrame(schema=empty),
        activities=pl.DataFrame(schema={"rep": pl.String, "date": pl.Date}),
    )


WINDOWS = [
    (AS_OF - dt.timedelta(days=d), days) for d in (0, 3, 40, 120, 200) for days in (1, 30, 90)
]


def assert_every_window_as_the_report_has_it(data: DealData) -> None:
    settings = Settings()
    chunks = fast_windows(prepare(data, settings), WINDOWS, settings)
    assert chunks is not None
    tables = pl.concat(list(chunks)).partition_by("window", maintain_order=True)
    for (as_of, days), table in zip(WINDOWS, tables, strict=True):
        table = table.drop("window")
        expected = compute(data, as_of, days, settings).reps.select(COLUMNS)
        assert table.schema == expected.schema
        assert table.sort("rep").to_dicts() == expected.to_dicts(), (as_of, days)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_window_as_the_report_has_it(seed, monkeypatch):
    monkeypatch.setattr(windows, "WINDOWS_AT_ONCE", 4)  # the last frame not full
    assert_every_window_as_the_report_has_it(deal_data(seed))


def test_one_team_as_the_report_has_it():
    """Every rep under one manager: the team's median won cycle is everyone's."""
    reps = pl.DataFrame({"rep": [f"Rep {n:02d}" for n in range(14)], "manager": "Ann"})
    assert_every_window_as_the_report_has_it(replace(deal_data(4), reps=reps))


@pytest.mark.parametrize("seed", [5, 6])
def test_stages_entered_long_before_the_deal_as_the_report_has_it(seed):
    """A stage entered months before the deal was created (a CRM's stage
    history can say so): the deal counts as stalled from its creation, not
    from the stage's start plus the least days."""
    assert_every_window_as_the_report_has_it(deal_data(seed, entered_before=300))


@pytest.mark.parametrize("lifted", [0.3, 0.0], ids=["some floors lift", "none"])
def test_spans_open_a_least_after_their_start_counted_one_by_one(lifted):
    """Each (window, rep) against a count span by span: spans from
    max(start + least, floor) until their end, a least for each window and
    team; with every least, some are open one day only, their window's last."""
    rng = np.random.default_rng(7)
    spans = 20_000
    rep = rng.integers(0, 6, spans)
    start = rng.integers(0, 60, spans)
    end = start + rng.integers(1, 30, spans)
    floor = np.where(rng.random(spans) < lifted, start + rng.integers(1, 30, spans), start)
    last_day = np.array([10, 25, 25, 40, 70, 55])
    least = rng.integers(1, 9, (len(last_day), 3))
    rep_team = np.array([0, 0, 1, 1, 2, 2])
    counted = windows._open_with_least(rep, start, floor, end, last_day, least, rep_team)
    last_day_only = set()
    for window, day in enumerate(last_day.tolist()):
        for r in range(6):
            k = least[window, rep_team[r]]
            began = np.maximum(start + k, floor)
            is_open = (rep == r) & (began <= day) & (day < end)
            assert counted[window, r] == is_open.sum(), (window, r)
            if (is_open & (end - start == k + 1)).any():  # one day open, that one
                last_day_only.add(k)
    assert last_day_only == set(least.ravel().tolist())


def test_spans_that_never_end_counted_one_by_one():
    """Spans from start + least on, days before 1970 (negative) included,
    against a count span by span."""
    rng = np.random.default_rng(8)
    spans = 5000
    rep = rng.integers(0, 6, spans)
    start = rng.integers(-60, 60, spans)
    last_day = np.array([-30, 0, 25, 25, 59])
    least = rng.integers(1, 40, (len(last_day), 3))
    rep_team = np.array([0, 0, 1, 1, 2, 2])
    counted = windows._lasting(rep, start, last_day, least, rep_team)
    for window, day in enumerate(last_day.tolist()):
        for r in range(6):
            expected = (rep == r) & (start + least[window, rep_team[r]] <= day)
            assert counted[window, r] == expected.sum(), (window, r)


def test_cents_are_left_to_the_report():
    data = deal_data(1, cents=True)
    assert fast_windows(prepare(data), WINDOWS) is None


def test_several_currencies_are_left_to_the_report():
    data = deal_data(1)
    deals = data.deals.with_columns(
        currency=pl.when(pl.col("rep") == "Rep 01").then(pl.lit("EUR")).otherwise("currency")
    )
    assert (
        fast_windows(prepare(DealData(deals, data.reps, data.history, data.activities)), WINDOWS)
        is None
    )


def without_won_deals(data: DealData, manager: str) -> DealData:
    """The data with no won deal of `manager`'s team: its stall threshold is
    every team's median cycle."""
    theirs = data.reps.filter(pl.col("manager") == manager).get_column("rep")
    kept = ~(pl.col("rep").is_in(theirs.implode()) & (pl.col("status") == "won"))
    return replace(data, deals=data.deals.filter(kept))


@pytest.mark.parametrize("rep", ["Rep 00", "Rep 01", "Rep 02", "Rep 05"])
def test_a_teams_numbers_alone_are_the_whole_reports(rep):
    """Rep 00 is Ann's, Rep 01 Bo's (no won deal), Rep 02 and Rep 05 (not
    in the reps file) have no manager: each team's rows, stall thresholds
    and currency computed from its own deals, window by window and many
    windows at once, are those of every team's report."""
    data, settings = without_won_deals(deal_data(5), "Bo"), Settings()
    team = teams_of(data.every_rep, [rep])
    assert team.height < data.every_rep.height
    part = prepare(data, settings, team)
    names = team.get_column("rep").implode()
    chunks = fast_windows(part, WINDOWS, settings)
    assert chunks is not None
    tables = pl.concat(list(chunks)).partition_by("window", maintain_order=True)
    for (as_of, days), table in zip(WINDOWS, tables, strict=True):
        whole = compute(data, as_of, days, settings)
        alone = compute(data, as_of, days, settings, part)
        expected = whole.reps.filter(pl.col("rep").is_in(names))
        assert alone.reps.to_dicts() == expected.to_dicts(), (as_of, days)
        assert table.drop("window").sort("rep").to_dicts() == expected.select(COLUMNS).to_dicts()
        managers = set(team.get_column("manager").to_list())
        assert alone.stall_thresholds == {
            m: t for m, t in whole.stall_thresholds.items() if m in managers
        }
        assert alone.currency == whole.currency


def test_a_teams_currency_is_that_of_every_deal():
    """Ann's team sells in dollars only, Bo's in euros too: no one currency."""
    data = deal_data(6)
    bo = pl.col("rep") == "Rep 01"
    data = replace(
        data,
        deals=data.deals.with_columns(
            currency=pl.when(bo).then(pl.lit("EUR")).otherwise("currency")
        ),
    )
    part = prepare(data, Settings(), teams_of(data.every_rep, ["Rep 00"]))
    assert compute(data, AS_OF, 90, Settings(), part).currency is None
    assert compute(data, AS_OF, 90, Settings()).currency is None


@pytest.mark.parametrize("first", ["Rep 00", "Rep 01"])
def test_each_asked_reps_team_median_once_a_window(first):
    """The numbers of reps of two teams asked one after the other in the same
    windows: each rep's row and their own team's medians, as the report's."""
    data, settings = deal_data(7), Settings()
    reports = ReportCache(data, settings)
    second = "Rep 01" if first == "Rep 00" else "Rep 00"
    for rep in (first, second):
        reports.prepare({window: {rep} for window in WINDOWS})
        for as_of, days in WINDOWS:
            report = compute(data, as_of, days, settings)
            mine, team = reports.values(rep, as_of, days, per_30_days=False)
            row = report.rep_row(rep)
            assert mine == {m: row[m] for m in METRICS}
            benchmark = report.benchmarks.filter(pl.col("manager") == row["manager"])
            assert team == {m: benchmark.get_column(m).item() for m in METRICS}
    medians = reports.teams().select("as_of", "days", "manager")  # of the two teams alone
    assert medians.height == 2 * len(WINDOWS) and not medians.is_duplicated().any()


def test_the_teams_of_one_team_or_of_nobody_are_every_team():
    reps = deal_data(5).every_rep
    assert teams_of(reps, ["Rep 00"]).height == 5  # Ann's: Rep 00, 03, 06, 09, 12
    one_team = reps.with_columns(manager=pl.lit("Ann"))
    assert teams_of(one_team, ["Rep 00"]) is None
    assert teams_of(reps, ["Nobody"]) is None


def test_what_numpy_freed_is_given_back_once_the_windows_are_counted(monkeypatch):
    """The running totals' grids and spans go back to the system before the
    windows' tables come (impact over 5,000 reps: ~90 MB the C library kept
    for itself, which polars' tables could not use)."""
    given_back = []
    monkeypatch.setattr(windows, "give_back_what_numpy_freed", lambda: given_back.append(1))
    chunks = fast_windows(prepare(deal_data(1)), WINDOWS)
    assert chunks is not None and not given_back  # counted only when first asked for
    next(chunks)
    assert given_back == [1]
    list(chunks)
    assert given_back == [1]
