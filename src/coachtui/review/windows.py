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
from collections.abc import Iterator

import polars as pl

from coachtui.review.metrics import COLUMNS, Prepared, _finish, _money_sets
from coachtui.settings import Settings

# what the numbers of a window read of the deals
WINDOW_COLUMNS = ("rep", "status", "amount", "currency", "created_date", "close_date")
WINDOW_COLUMNS += ("stage_entered_date",)
_EPOCH = dt.date(1970, 1, 1)
_FAR = 1 << 40  # later than any day: a rep's days fit in 2 * _FAR
_NEVER = _FAR - 1
_EXACT = float(1 << 53)  # integers below it add exactly in any order


class _Running:
    """Running totals of weights over (rep, day) points: `upto(rep, day, name)`
    is the sum of the named weight over the rep's points on or before the day."""

    def __init__(self, points: pl.DataFrame, names: tuple[str, ...]) -> None:
        """points: rep (index), day, and the weights."""
        weights = [name for name in names if name != "n"]
        ordered = points.select(_key(pl.col("rep"), pl.col("day")).alias("key"), *weights)
        ordered = ordered.sort("key")
        self.keys = ordered.get_column("key")
        self.totals = {
            name: pl.concat([pl.Series([0], dtype=ordered.schema[name]), ordered[name].cum_sum()])
            for name in weights
        }  # "n", the count of points, is where the day falls: differences of it count

    def upto(self, rep: pl.Series, day: pl.Series, *names: str) -> list[pl.Series]:
        """Each named total, for every (rep, day): one search for all of them."""
        at = self.keys.search_sorted(_key(rep, day), side="right")
        return [
            at.cast(pl.Int64) if name == "n" else self.totals[name].gather(at) for name in names
        ]


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
) -> Iterator[pl.DataFrame] | None:
    """The windows' tables as `compute(...).reps` has them (window, then
    COLUMNS; `window` the index in `windows`), a few windows a frame, in
    their order; or None when the deals are not ones this can add exactly."""
    if not windows or prepared.reps.height == 0 or not _exact(prepared.deals):
        return None
    return _windows(prepared, windows, settings or Settings())


def _windows(
    prepared: Prepared, windows: list[tuple[dt.date, int]], settings: Settings
) -> Iterator[pl.DataFrame]:
    names = prepared.reps.get_column("rep")
    managers = prepared.reps.get_column("manager")
    teams = managers.unique(maintain_order=True)
    index = pl.DataFrame({"rep": names, "rep_n": pl.int_range(names.len(), eager=True)})
    team_of = pl.DataFrame({"manager": teams, "team": pl.int_range(teams.len(), eager=True)})
    deals = _day_numbers(prepared.deals, index, team_of)
    del prepared  # the deals as read weigh as much again
    R, W = names.len(), len(windows)
    at = pl.Series([(a - _EPOCH).days for a, _ in windows], dtype=pl.Int64)
    span = pl.Series([d for _, d in windows], dtype=pl.Int64)
    rep_team = managers.to_frame().join(team_of, on="manager", how="left", nulls_equal=True)
    least = pl.Series(_least_stalled(windows, deals, teams.len(), settings), dtype=pl.Int64)
    chunks = [(first, min(first + WINDOWS_AT_ONCE, W)) for first in range(0, W, WINDOWS_AT_ONCE)]

    def stall_queries(first: int, last: int) -> tuple[pl.Series, pl.Series, pl.Series]:
        q_window, q_rep = _queries(R, first, last)
        q_least = least.gather(q_window * teams.len() + rep_team["team"].gather(q_rep))
        return q_rep, at.gather(q_window), q_least

    stalled = _stalled(deals, least.unique().to_list(), chunks, stall_queries)
    new, ends, opened, shut = _running_totals(deals)
    del deals
    for (first, last), stalled_deals in zip(chunks, stalled, strict=True):
        q_window, q_rep = _queries(R, first, last)
        q_at = at.gather(q_window)
        q_from = q_at - span.gather(q_window)

        started, ended = (
            opened.upto(q_rep, q_at, "n", "amount"),
            shut.upto(q_rep, q_at, "n", "amount"),
        )
        new_deals, new_pipeline = _between(new, q_rep, q_at, q_from, "n", "amount")
        closing = ("won", "lost", "amount", "sized", "cycled", "cycle")
        won, lost, won_amount, sized, cycled, cycle = _between(ends, q_rep, q_at, q_from, *closing)
        yield _finished(
            pl.DataFrame(
                {
                    "window": q_window,
                    "rep": names.gather(q_rep),
                    "manager": managers.gather(q_rep),
                    "open_deals": started[0] - ended[0],
                    "open_pipeline": started[1] - ended[1],
                    "new_deals": new_deals,
                    "new_pipeline": new_pipeline,
                    "won_deals": won,
                    "lost_deals": lost,
                    "won_amount": won_amount,
                    "_sized": sized,
                    "_size_sum": won_amount,
                    "_cycled": cycled,
                    "_cycle_sum": cycle,
                    "stalled_deals": stalled_deals,
                }
            )
        )


def _running_totals(deals: pl.DataFrame) -> tuple[_Running, _Running, _Running, _Running]:
    """Deals created, won or lost, and opened and shut, by rep and day."""
    new = _Running(
        deals.filter(pl.col("created").is_not_null()).select(
            "rep", day=pl.col("created"), amount="money"
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
    opened = _Running(spans.select("rep", day="start", amount="money"), ("n", "amount"))
    shut = _Running(spans.select("rep", day="finish", amount="money"), ("n", "amount"))
    return new, ends, opened, shut


def _day_numbers(deals: pl.DataFrame, index: pl.DataFrame, team_of: pl.DataFrame) -> pl.DataFrame:
    """The deals as the running totals read them: rep and team numbers, days
    as numbers, the status as flags."""
    day = lambda c: pl.col(c).to_physical().cast(pl.Int64)  # noqa: E731
    return (
        deals.join(index, on="rep", how="left")
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


def _between(running: _Running, rep, at, since, *names: str) -> list[pl.Series]:
    """Each named total over since < day <= at."""
    upto, before = running.upto(rep, at, *names), running.upto(rep, since, *names)
    return [later - earlier for later, earlier in zip(upto, before, strict=True)]


WINDOWS_AT_ONCE = 40  # windows whose numbers are held at once (5,000 reps: 200,000 rows)


def _queries(reps: int, first: int, last: int) -> tuple[pl.Series, pl.Series]:
    """(window, rep) of every rep in each of the windows first..last, rep by
    rep: one rep's look-ups fall together in the running totals, which keeps
    them in the processor's cache."""
    n = pl.int_range(0, reps * (last - first), dtype=pl.Int64)
    queries = pl.select(window=first + n % (last - first), rep=n // (last - first))
    return queries.get_column("window"), queries.get_column("rep")


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


def _stalled(deals: pl.DataFrame, leasts: list[int], chunks, queries) -> list[pl.Series]:
    """Per chunk of windows, the open deals in their stage at least the least
    days on each query's day (`queries(first, last)`: rep, day, least): each
    deal counts over a span of days or two, from its stage's start plus the least.
    The spans for one least are made once, for every chunk."""
    stalled = [pl.zeros(len(queries(*c)[0]), dtype=pl.Int64, eager=True) for c in chunks]
    created, entered, close = pl.col("created"), pl.col("entered"), pl.col("close")
    for k in leasts:
        known = pl.col("open") & entered.is_not_null()
        span = lambda when, lo, hi: deals.filter(when).select("rep", lo=lo, hi=hi)  # noqa: E731
        spans = pl.concat(
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
        ).filter(pl.col("hi") > pl.col("lo"))
        starts = _Running(spans.select("rep", day="lo"), ("n",))
        ends = _Running(spans.select("rep", day="hi"), ("n",))
        del spans
        for n, chunk in enumerate(chunks):
            q_rep, q_at, q_least = queries(*chunk)
            chosen = q_least == k
            if not chosen.any():
                continue
            r, a = q_rep.filter(chosen), q_at.filter(chosen)
            counts = starts.upto(r, a, "n")[0] - ends.upto(r, a, "n")[0]
            stalled[n] = stalled[n].scatter(chosen.arg_true(), counts)
    return stalled


def _finished(table: pl.DataFrame) -> pl.DataFrame:
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
    return frame.select("window", *COLUMNS)
