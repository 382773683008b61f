"""Every rep's metrics over many windows at once, for coaching impact.

`compute` flags every deal for one window; impact needs hundreds of windows
(one before and one after each coaching start), each for the whole team (its
median). Here every count and sum is a difference of running totals over the
deals sorted once per rep: the deals created by a day, closed by a day, open
on a day (a deal is open over a span of days, so the deals open on a day are
those whose span started by it less those whose span ended by it).

The numbers are those of `compute`, exactly: counts are whole numbers, and
sums are exact when every amount is a whole number (then any order of adding
gives the same float). `fast_windows` says None when the deals are not such
(cents, several currencies, an unknown status); the caller then computes each
window on its own.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from coachtui.review.metrics import COLUMNS, Prepared, _finish, _money_sets
from coachtui.settings import Settings

_EPOCH = dt.date(1970, 1, 1)
_FAR = 1 << 40  # later than any day: a rep's days fit in 2 * _FAR
_NEVER = _FAR - 1
_EXACT = float(1 << 53)  # integers below it add exactly in any order


class _Running:
    """Running totals of weights over (rep, day) points: `upto(rep, day, name)`
    is the sum of the named weight over the rep's points on or before the day."""

    def __init__(self, points: pl.DataFrame, names: tuple[str, ...]) -> None:
        """points: rep (index), day, and the weights."""
        ordered = points.select(_key(pl.col("rep"), pl.col("day")).alias("key"), *names).sort("key")
        self.keys = ordered.get_column("key")
        self.totals = {
            name: pl.concat([pl.Series([0], dtype=ordered.schema[name]), ordered[name].cum_sum()])
            for name in names
        }

    def upto(self, rep: pl.Series, day: pl.Series, name: str) -> pl.Series:
        at = self.keys.search_sorted(_key(rep, day), side="right")
        return self.totals[name].gather(at)


def _key(rep, day):
    return rep * (2 * _FAR) + (day + _FAR)


def _exact(deals: pl.DataFrame) -> bool:
    """Whether every sum adds whole numbers in one currency, every status known."""
    status = deals.get_column("status")
    amount = deals.get_column("amount").cast(pl.Float64).drop_nulls()
    return (
        status.null_count() == 0
        and bool(status.is_in(["open", "won", "lost"]).all())
        and deals.get_column("currency").drop_nulls().n_unique() <= 1
        and bool((amount == amount.round(0)).all())
        and float(amount.abs().sum()) < _EXACT
    )


def fast_windows(
    prepared: Prepared, windows: list[tuple[dt.date, int]], settings: Settings | None = None
) -> list[pl.DataFrame] | None:
    """Each window's table (rep, manager, METRICS) as `compute(...).reps` has
    them, or None when the deals are not ones this can add exactly."""
    settings = settings or Settings()
    if not windows or prepared.reps.height == 0 or not _exact(prepared.deals):
        return None
    names = prepared.reps.get_column("rep")
    managers = prepared.reps.get_column("manager")
    teams = managers.unique(maintain_order=True)
    index = pl.DataFrame({"rep": names, "rep_n": pl.int_range(names.len(), eager=True)})
    team_of = pl.DataFrame({"manager": teams, "team": pl.int_range(teams.len(), eager=True)})
    day = lambda c: pl.col(c).to_physical().cast(pl.Int64)  # noqa: E731
    deals = (
        prepared.deals.join(index, on="rep", how="left")
        .join(team_of, on="manager", how="left", nulls_equal=True)
        .select(
            pl.col("rep_n").alias("rep"),
            "team",
            created=day("created_date"),
            close=day("close_date"),
            entered=day("stage_entered_date"),
            open=pl.col("status") == "open",
            won=pl.col("status") == "won",
            lost=pl.col("status") == "lost",
            money=pl.col("amount").cast(pl.Float64).fill_null(0),
            sized=pl.col("amount").is_not_null() & (pl.col("status") == "won"),
        )
        .with_columns(cycle=(pl.col("close") - pl.col("created")).cast(pl.Float64))
    )
    R, W = names.len(), len(windows)
    at = pl.Series([(a - _EPOCH).days for a, _ in windows], dtype=pl.Int64)
    span = pl.Series([d for _, d in windows], dtype=pl.Int64)
    queries = pl.select(n=pl.int_range(R * W, dtype=pl.Int64)).select(
        window=pl.col("n") // R, rep=pl.col("n") % R
    )
    q_window = queries.get_column("window")
    q_rep, q_at = queries.get_column("rep"), at.gather(q_window)
    q_from = q_at - span.gather(q_window)

    def between(running: _Running, name: str) -> pl.Series:  # A - D < day <= A
        return running.upto(q_rep, q_at, name) - running.upto(q_rep, q_from, name)

    def on_day(starts: _Running, ends: _Running, name: str) -> pl.Series:
        return starts.upto(q_rep, q_at, name) - ends.upto(q_rep, q_at, name)

    one = pl.lit(1, pl.Int64)
    new = _Running(
        deals.filter(pl.col("created").is_not_null()).select(
            "rep", day=pl.col("created"), n=one, amount="money"
        ),
        ("n", "amount"),
    )
    won_cycle = pl.col("won") & pl.col("created").is_not_null()
    ends = _Running(
        deals.filter(pl.col("close").is_not_null() & (pl.col("won") | pl.col("lost"))).select(
            "rep",
            day=pl.col("close"),
            won=pl.col("won").cast(pl.Int64),
            lost=pl.col("lost").cast(pl.Int64),
            amount=pl.when("won").then("money").otherwise(0.0),
            sized=pl.col("sized").cast(pl.Int64),
            cycled=won_cycle.cast(pl.Int64),
            cycle=pl.when(won_cycle).then("cycle").otherwise(0.0),
        ),
        ("won", "lost", "amount", "sized", "cycled", "cycle"),
    )
    # open on a day: from created (or always) until closed (or never)
    spans = deals.select(
        "rep",
        "money",
        start=pl.col("created").fill_null(-_NEVER),
        finish=pl.when("open").then(_NEVER).otherwise(pl.col("close").fill_null(-_FAR)),
    ).filter(pl.col("finish") > pl.col("start"))
    opened = _Running(spans.select("rep", day="start", n=one, amount="money"), ("n", "amount"))
    shut = _Running(spans.select("rep", day="finish", n=one, amount="money"), ("n", "amount"))
    least = _least_stalled(windows, deals, teams.len(), settings)
    rep_team = (
        names.to_frame()
        .join(index, on="rep")
        .with_columns(
            team=managers.to_frame().join(team_of, on="manager", how="left", nulls_equal=True)[
                "team"
            ]
        )["team"]
    )
    q_least = pl.Series(least, dtype=pl.Int64).gather(
        q_window * teams.len() + rep_team.gather(q_rep)
    )
    sized, cycled = between(ends, "sized"), between(ends, "cycled")
    table = pl.DataFrame(
        {
            "window": q_window,
            "rep": names.gather(q_rep),
            "manager": managers.gather(q_rep),
            "open_deals": on_day(opened, shut, "n"),
            "open_pipeline": on_day(opened, shut, "amount"),
            "new_deals": between(new, "n"),
            "new_pipeline": between(new, "amount"),
            "won_deals": between(ends, "won"),
            "lost_deals": between(ends, "lost"),
            "won_amount": between(ends, "amount"),
            "_sized": sized,
            "_size_sum": between(ends, "amount"),
            "_cycled": cycled,
            "_cycle_sum": between(ends, "cycle"),
            "stalled_deals": _stalled(deals, q_least, q_rep, q_at),
        }
    )
    return _tables(table)


def _least_stalled(windows, deals: pl.DataFrame, teams: int, settings: Settings) -> list[int]:
    """(window, team), flattened -> the least whole days in stage that count as
    stalled: more than max(min, multiplier * the median won cycle), the team's,
    else everyone's, else the fallback."""
    rule = settings.stall
    won = deals.filter(
        pl.col("won") & pl.col("close").is_not_null() & pl.col("cycle").is_not_null()
    )
    won = won.select("close", "cycle", "team").sort("close")
    when = won.get_column("close")
    least = []
    for as_of, days in windows:
        at = (as_of - _EPOCH).days
        lo, hi = when.search_sorted(pl.Series([at - days, at]), side="right").to_list()
        chosen = won.slice(lo, hi - lo)
        overall = chosen.get_column("cycle").median()
        per_team = dict(chosen.group_by("team").agg(pl.col("cycle").median()).iter_rows())
        for team in range(teams):
            median = per_team.get(team, overall)
            if median is None:
                threshold = float(rule.fallback_days)
            else:
                threshold = max(float(rule.min_days), median * rule.cycle_multiplier)
            least.append(math.floor(threshold) + 1)
    return least


def _stalled(deals: pl.DataFrame, least: pl.Series, q_rep: pl.Series, q_at: pl.Series) -> pl.Series:
    """Open deals in their stage at least `least` days on the query's day: each
    deal counts over a span of days or two, from its stage's start plus the least."""
    stalled = pl.Series([0] * len(q_rep), dtype=pl.Int64)
    created, entered, close = pl.col("created"), pl.col("entered"), pl.col("close")
    for k in least.unique().to_list():
        known = pl.col("open") & entered.is_not_null()
        span = lambda when, lo, hi: deals.filter(when).select("rep", lo=lo, hi=hi)  # noqa: E731
        spans = (
            pl.concat(
                [
                    # open, stage entered: from entered + k (once created)
                    span(known, pl.max_horizontal(entered + k, created.fill_null(-_NEVER)), _NEVER),
                    # open, before the stage was entered: from created + k until entered
                    span(known & created.is_not_null(), created + k, entered),
                    # open, stage not known: from created + k
                    span(
                        pl.col("open") & entered.is_null() & created.is_not_null(),
                        created + k,
                        _NEVER,
                    ),
                    # won or lost later: from created + k until closed
                    span(
                        ~pl.col("open") & close.is_not_null() & created.is_not_null(),
                        created + k,
                        close,
                    ),
                ]
            )
            .filter(pl.col("hi") > pl.col("lo"))
            .with_columns(n=pl.lit(1, pl.Int64))
        )
        starts = _Running(spans.select("rep", "n", day="lo"), ("n",))
        ends = _Running(spans.select("rep", "n", day="hi"), ("n",))
        chosen = least == k
        r, a = q_rep.filter(chosen), q_at.filter(chosen)
        counts = starts.upto(r, a, "n") - ends.upto(r, a, "n")
        stalled = stalled.scatter(chosen.arg_true(), counts)
    return stalled


def _tables(table: pl.DataFrame) -> list[pl.DataFrame]:
    """The running totals as `compute` finishes them: means, rates, velocity."""
    counts = ("open_deals", "new_deals", "won_deals", "lost_deals", "stalled_deals")
    frame = table.with_columns(
        pl.col(*counts).cast(pl.UInt32),
        pl.when(pl.col("_sized") > 0)
        .then(pl.col("_size_sum") / pl.col("_sized"))
        .alias("avg_deal_size"),
        pl.when(pl.col("_cycled") > 0)
        .then(pl.col("_cycle_sum") / pl.col("_cycled"))
        .alias("avg_cycle_days"),
        *(pl.lit(0).alias(f"{m}__currencies") for m in _money_sets()),
    )
    frame = _finish(frame).with_columns(pl.col(*counts).cast(pl.Int64))
    frame = frame.select("window", *COLUMNS)
    return [part.drop("window") for part in frame.partition_by("window", maintain_order=True)]
