"""Every rep's metrics over many windows at once, for coaching impact.

`compute` flags every deal for one window; impact needs hundreds of windows
(one before and one after each coaching start), each for the whole team (its
median). Here every count and sum is read off running totals per rep over
the days the windows read (their last days, and the days before their
first): the deals created by a day, closed by a day, open on a day (a deal
is open over a span of days, so the deals open on a day are those whose
span started by it less those whose span ended by it).

The numbers are those of `compute`, exactly: counts are whole numbers, and
sums are exact when every amount is a whole number (then any order of adding
gives the same float). `fast_windows` says None when the deals are not such
(cents, several currencies, an unknown status); the caller then computes each
window on its own.

The running totals are numpy's: `bincount` adds the deals into a rep-by-day
grid in one pass, which polars has no one call for (a group-by is ten times
slower here), and a window's numbers are then read off the grid by index.
Stalled deals depend on each team's stall threshold in each window: they
are counted by searches in the deals' spans sorted by rep and day, the
spans that never end once for every threshold, the others a threshold at
a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import polars as pl

from coachtui.allocator import give_back_what_numpy_freed
from coachtui.review.metrics import (
    COLUMNS,
    Everyone,
    Prepared,
    _finish,
    _money_sets,
    looked_up,
)
from coachtui.settings import Settings

# what the numbers of a window read of the deals
WINDOW_COLUMNS = ("rep", "status", "amount", "currency", "created_date", "close_date")
WINDOW_COLUMNS += ("stage_entered_date",)
_EPOCH = dt.date(1970, 1, 1)
_FAR = 1 << 30  # later than any day, and its negative earlier: days fit in 32 bits
_NEVER = _FAR - 1
_EXACT = float(1 << 53)  # integers below it add exactly in any order
WINDOWS_AT_ONCE = 40  # windows a frame (5,000 reps: 200,000 rows)


class _Days:
    """The days the windows read, and running totals per rep up to each: a
    grid of (day read, rep) cells, a point (rep, day) adding into the first
    day read on or after its day."""

    def __init__(self, reps: int, at: np.ndarray, since: np.ndarray) -> None:
        """at, since: each window's last day and the day before its first."""
        self.reps = reps
        self.days = np.unique(np.concatenate([at, since]))
        self.at = np.searchsorted(self.days, at)
        self.since = np.searchsorted(self.days, since)
        # the first day read on or after each day from the first read to the
        # last: one look-up a point, where a search would take ten
        first, last = int(self.days[0]), int(self.days[-1])
        self._first_read = np.searchsorted(self.days, np.arange(first - 1, last + 2))
        self._first_read[0] = 0  # before the first read
        self._bounds = (first - 1, last + 1)

    def _cells(self, rep: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The cell of each point read at all (not after the last day read),
        and which points those are."""
        read = self._first_read[np.clip(day, *self._bounds) - self._bounds[0]]
        kept = read < len(self.days)
        return read[kept] * self.reps + rep[kept], kept

    def _totals(self, added: np.ndarray, taken: np.ndarray | None = None) -> np.ndarray:
        """(day read, rep) -> the running total of what each cell `added`
        (`_add`'s), less what it `taken`: summed in `added`'s own memory."""
        if taken is not None:
            added -= taken
        grid = added.reshape(len(self.days), self.reps)
        return np.cumsum(grid, axis=0, out=grid)

    def _add(self, cell: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
        """What each cell adds up: how many points, or their weights."""
        return np.bincount(cell, weight, minlength=len(self.days) * self.reps)

    def between(self, points: pl.DataFrame, *weights: str) -> list[np.ndarray]:
        """(window, rep) -> each weight's sum ("count": how many) over the
        rep's points (rep, day) in the window."""
        cell, kept = self._cells(_array(points, "rep"), _array(points, "day"))
        sums = []
        for weight in weights:
            totals = self._totals(self._add(cell, _weight(points, weight, kept)))
            sums.append(_kept_as(totals[self.at] - totals[self.since], points, weight))
        return sums

    def within(self, spans: pl.DataFrame, *weights: str) -> list[np.ndarray]:
        """(window, rep) -> each weight's sum ("count": how many) over the
        rep's spans (rep, start, end) open on the window's last day: started
        by it and not ended by it."""
        started, started_kept = self._cells(_array(spans, "rep"), _array(spans, "start"))
        ended, ended_kept = self._cells(_array(spans, "rep"), _array(spans, "end"))
        return [
            _kept_as(
                self._totals(
                    self._add(started, _weight(spans, weight, started_kept)),
                    self._add(ended, _weight(spans, weight, ended_kept)),
                )[self.at],
                spans,
                weight,
            )
            for weight in weights
        ]


def _array(frame: pl.DataFrame, name: str) -> np.ndarray:
    return frame.get_column(name).to_numpy()


def _weight(points: pl.DataFrame, weight: str, kept: np.ndarray) -> np.ndarray | None:
    return None if weight == "count" else _array(points, weight)[kept]


def _kept_as(sums: np.ndarray, points: pl.DataFrame, weight: str) -> np.ndarray:
    """Counts as 32-bit whole numbers, money as it is: hundreds of windows of
    thousands of reps are held at once."""
    if weight == "count" or points.schema[weight].is_integer():
        return sums.astype(np.int32)
    return sums


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
    team_number = {m: n for n, m in enumerate(managers.unique(maintain_order=True).to_list())}
    index = pl.DataFrame(
        {"rep": names, "rep_n": pl.int_range(names.len(), eager=True, dtype=pl.Int32)}
    )
    rep_team = np.array([team_number[manager] for manager in managers.to_list()], dtype=np.int64)
    deals, everyone = _day_numbers(prepared.deals, index, rep_team), prepared.everyone
    del prepared  # the deals as read weigh as much again
    at = np.array([(as_of - _EPOCH).days for as_of, _ in windows], dtype=np.int64)
    days = _Days(names.len(), at, at - np.array([d for _, d in windows], dtype=np.int64))
    least = _least_stalled(windows, deals, len(team_number), settings, everyone)
    # the stalled first: what counting them holds is gone before the other numbers come
    numbers = {"stalled_deals": _stalled(deals, days, least, rep_team)} | _numbers(deals, days)
    del deals
    give_back_what_numpy_freed()  # the grids and spans counted: gone
    for first in range(0, len(windows), WINDOWS_AT_ONCE):
        chosen = slice(first, min(first + WINDOWS_AT_ONCE, len(windows)))
        size = chosen.stop - first  # window by window, each for every rep
        yield _finished(
            pl.DataFrame(
                {
                    "window": np.repeat(np.arange(first, chosen.stop), names.len()),
                    "rep": pl.concat([names] * size),
                    "manager": pl.concat([managers] * size),
                    **{name: matrix[chosen].ravel() for name, matrix in numbers.items()},
                }
            )
        )


def _numbers(deals: pl.DataFrame, days: _Days) -> dict[str, np.ndarray]:
    """(window, rep) -> each count and sum of `_finished`'s table but the stalled."""
    created = deals.filter(pl.col("created").is_not_null()).select(
        "rep", "money", day=pl.col("created")
    )
    won_cycle = pl.col("won") & pl.col("created").is_not_null()
    closed = deals.filter(pl.col("close").is_not_null() & (pl.col("won") | pl.col("lost")))
    closed = closed.select(
        "rep",
        day=pl.col("close"),
        won=pl.col("won").cast(pl.Int32),
        lost=pl.col("lost").cast(pl.Int32),
        amount=pl.when("won").then("money").otherwise(0.0),
        sized=pl.col("sized").cast(pl.Int32),
        cycled=won_cycle.cast(pl.Int32),
        cycle=pl.when(won_cycle).then("cycle").otherwise(0.0),
    )
    # open on a day: from created (or always) until closed (or never)
    spans = deals.select(
        "rep",
        "money",
        start=pl.col("created").fill_null(-_NEVER),
        end=pl.when("open").then(_NEVER).otherwise(pl.col("close").fill_null(-_FAR)),
    ).filter(pl.col("end") > pl.col("start"))
    open_deals, open_pipeline = days.within(spans, "count", "money")
    new_deals, new_pipeline = days.between(created, "count", "money")
    closing = ("won", "lost", "amount", "sized", "cycled", "cycle")
    won, lost, amount, sized, cycled, cycle = days.between(closed, *closing)
    return {
        "open_deals": open_deals,
        "open_pipeline": open_pipeline,
        "new_deals": new_deals,
        "new_pipeline": new_pipeline,
        "won_deals": won,
        "lost_deals": lost,
        "won_amount": amount,
        "_sized": sized,
        "_size_sum": amount,
        "_cycled": cycled,
        "_cycle_sum": cycle,
    }


def _day_numbers(deals: pl.DataFrame, index: pl.DataFrame, rep_team: np.ndarray) -> pl.DataFrame:
    """The deals as the running totals read them: rep and team numbers, days
    as numbers, the status as flags."""
    day = lambda c: pl.col(c).to_physical()  # noqa: E731  (days since 1970, 32 bits)
    return (
        deals.with_columns(looked_up(deals, "rep", index, "rep_n"))
        .select(
            pl.col("rep_n").alias("rep"),
            team=pl.lit(pl.Series(rep_team, dtype=pl.Int32)).gather(pl.col("rep_n")),
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


def _least_stalled(
    windows, deals: pl.DataFrame, teams: int, settings: Settings, everyone: Everyone | None
) -> np.ndarray:
    """(window, team) -> the least whole days in stage that count as stalled:
    more than max(min, multiplier * the median won cycle), the team's, else
    everyone's (`everyone`'s when the deals are some teams'), else the fallback."""
    rule = settings.stall
    won = deals.filter(
        pl.col("won") & pl.col("close").is_not_null() & pl.col("cycle").is_not_null()
    )
    won = won.select("close", "cycle", "team").sort("close")
    when, cycle = won.get_column("close").to_numpy(), won.get_column("cycle").to_numpy()
    by_team = _TeamMedians(won, teams) if teams > 1 or everyone is not None else None
    least = np.empty((len(windows), teams), dtype=np.int64)
    for n, (as_of, days) in enumerate(windows):
        at = (as_of - _EPOCH).days
        lo, hi = np.searchsorted(when, [at - days, at], side="right")
        if everyone is not None:
            overall = everyone.median_cycle(as_of, days)
        else:
            overall = float(np.median(cycle[lo:hi])) if hi > lo else None
        medians = np.full(teams, np.nan if overall is None else overall)
        if by_team is not None:  # else every team in one: everyone's
            by_team.closed_within(at - days, at, medians)
        threshold = np.maximum(float(rule.min_days), medians * rule.cycle_multiplier)
        threshold[np.isnan(medians)] = float(rule.fallback_days)
        least[n] = np.floor(threshold) + 1
    return least


class _TeamMedians:
    """Each team's median won cycle over the deals closed in a window: the
    won deals sorted by (team, cycle) once, a window's then found in order."""

    def __init__(self, won: pl.DataFrame, teams: int) -> None:
        won = won.sort("team", "cycle")
        self.close = won.get_column("close").to_numpy()
        self.cycle = won.get_column("cycle").to_numpy()
        self.bounds = np.searchsorted(won.get_column("team").to_numpy(), np.arange(teams + 1))

    def closed_within(self, after: int, until: int, medians: np.ndarray) -> None:
        """Set `medians` of the teams with won deals closed after `after`,
        until `until`: the middle one in cycle order, or the mean of the two."""
        within = (self.close > after) & (self.close <= until)
        seen = np.concatenate([[0], np.cumsum(within)])  # those within before each
        before = seen[self.bounds[:-1]]
        count = seen[self.bounds[1:]] - before
        some = np.flatnonzero(count)
        before, count = before[some], count[some]
        # the first place where the (k + 1)-th one within is counted
        lower = np.searchsorted(seen, before + (count - 1) // 2 + 1) - 1
        upper = np.searchsorted(seen, before + count // 2 + 1) - 1
        medians[some] = (self.cycle[lower] + self.cycle[upper]) / 2


def _stalled(
    deals: pl.DataFrame, days: _Days, least: np.ndarray, rep_team: np.ndarray
) -> np.ndarray:
    """(window, rep) -> the open deals in their stage at least `least[window,
    team]` whole days on the window's last day: each deal counts over a span
    of days or two, from its stage's start plus the least (but not before it
    was created) until the span ends.

    A span from an open deal's stage start (or creation) never ends; when it
    starts once the deal was created, `_lasting` counts it for every least
    at once. The others (a stage entered before the deal was created, the
    time before an open deal's stage, won and lost deals) count through
    `_open_with_least`, a least at a time."""
    created, entered, close = pl.col("created"), pl.col("entered"), pl.col("close")
    known = pl.col("open") & entered.is_not_null()
    span = lambda when, start, end, floor=-_NEVER: deals.filter(when).select(  # noqa: E731
        "rep", start=start, floor=floor, end=end
    )
    spans = pl.concat(
        [
            # open, stage entered: from entered + k, once created
            span(known, entered, _NEVER, created.fill_null(-_NEVER)),
            # open, before the stage was entered: from created + k until entered
            span(known & created.is_not_null(), created, entered),
            # open, stage not known: from created + k
            span(pl.col("open") & entered.is_null() & created.is_not_null(), created, _NEVER),
            # won or lost later: from created + k until closed
            span(~pl.col("open") & close.is_not_null() & created.is_not_null(), created, close),
        ],
        how="vertical_relaxed",
    )
    rep, start, floor, end = (_array(spans, name) for name in spans.columns)
    last_day = days.days[days.at]  # each window's
    lasting = (end == _NEVER) & (floor <= start)
    stalled = _lasting(rep[lasting], start[lasting], last_day, least, rep_team)
    others = ~lasting
    stalled += _open_with_least(
        rep[others], start[others], floor[others], end[others], last_day, least, rep_team
    )
    return stalled


def _lasting(
    rep: np.ndarray,
    start: np.ndarray,
    last_day: np.ndarray,
    least: np.ndarray,
    rep_team: np.ndarray,
) -> np.ndarray:
    """(window, rep) -> the rep's spans that never end open on the window's
    last day, each from start + `least[window, their team]`: those started
    by that day less the least. Counted by searches in the spans' (rep,
    start) sorted, a window at a time (its reps in order, so the searches go
    in order): memory for the spans, whatever the days the leasts ask for."""
    started = _keys(rep)
    started += start  # in place: a million spans weigh 8 MB a copy
    started = _sorted(started)
    reps = _keys(np.arange(len(rep_team)))
    before = np.searchsorted(started, reps - _FAR)  # where each rep's spans begin
    stalled = np.empty((len(last_day), len(rep_team)), dtype=np.int32)
    for window, day in enumerate(last_day.tolist()):
        by = reps + (day - least[window, rep_team])
        stalled[window] = np.searchsorted(started, by, "right") - before
    return stalled


_DAY = 1 << 32  # a rep's days in a key of (rep, day)


def _sorted(keys: np.ndarray) -> np.ndarray:
    """Whole-number keys in order: polars sorts on every core, numpy on one
    (600,000 int64 keys: their order in 20 ms against 65 ms)."""
    return pl.Series(keys).sort().to_numpy()


def _order(keys: np.ndarray) -> np.ndarray:
    """The positions of whole-number keys in their order (`_sorted`'s)."""
    return pl.Series(keys).arg_sort().to_numpy()


def _keys(rep: np.ndarray) -> np.ndarray:
    """Each rep's key of (rep, day), less the day: key + day sorts by both."""
    return rep.astype(np.int64) * _DAY + _FAR


def _open_with_least(
    rep: np.ndarray,
    start: np.ndarray,
    floor: np.ndarray,
    end: np.ndarray,
    last_day: np.ndarray,
    least: np.ndarray,
    rep_team: np.ndarray,
) -> np.ndarray:
    """(window, rep) -> the rep's spans open on the window's last day, each
    from max(start + least, floor) until its end, `least[window, their team]`.

    A span whose floor lifts its start counts as the span from its start
    less the days before its floor: (start, end) less (start, min(floor,
    end)), each open from start + least, as `_open_after_least` counts them."""
    counted = _open_after_least(rep, start, end, last_day, least, rep_team)
    lifted = floor > start
    if lifted.any():
        before_floor = np.minimum(floor, end)[lifted]
        counted -= _open_after_least(
            rep[lifted], start[lifted], before_floor, last_day, least, rep_team
        )
    return counted


def _open_after_least(
    rep: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    last_day: np.ndarray,
    least: np.ndarray,
    rep_team: np.ndarray,
) -> np.ndarray:
    """(window, rep) -> the rep's spans open on the window's last day, each
    from start + `least[window, their team]` until its end.

    A least at a time, from the least up, for the (window, rep) that have
    it: of the spans longer than the least, those open on a day are those
    started by that day less the least, less those ended by the day (each
    started by then), counted by searches in the spans' (rep, start) and
    (rep, end) sorted once. At each least the spans too short to be open
    then are dropped for good."""
    stalled = np.zeros((len(last_day), len(rep_team)), dtype=np.int32)
    key, length = _keys(rep), end - start
    longer = length > least.min()
    if not longer.any():
        return stalled
    key, start, end, length = key[longer], start[longer], end[longer], length[longer]
    started, ended = key + start, key + end
    by_start, by_end = _order(started), _order(ended)
    started, started_length = started[by_start], length[by_start]
    ended, ended_length = ended[by_end], length[by_end]
    # each rep's windows by their last day: the searches then go in order
    in_day_order = np.argsort(last_day, kind="stable")
    leasts, rank = np.unique(least[in_day_order], return_inverse=True)
    # (rep, window) -> the rank of its least, in the smallest type: numpy
    # sorts integers of 8 or 16 bits by radix, ten times faster
    asked = rank.reshape(least.shape).astype(np.min_scalar_type(len(leasts)))[:, rep_team].T
    order = np.argsort(asked.ravel(), kind="stable")
    each = np.cumsum(np.bincount(asked.ravel(), minlength=len(leasts)))[:-1]
    # (rep, window) -> the key of the window's last day among the rep's
    days = _keys(np.arange(len(rep_team)))[:, None] + last_day[in_day_order]
    counts = np.zeros(asked.shape, dtype=np.int32)
    for k, pairs in zip(leasts.tolist(), np.split(order, each), strict=True):
        still = started_length > k
        started, started_length = started[still], started_length[still]
        still = ended_length > k
        ended, ended_length = ended[still], ended_length[still]
        day = days.flat[pairs]
        counts.flat[pairs] = np.searchsorted(started, day - k, "right") - np.searchsorted(
            ended, day, "right"
        )
    stalled[in_day_order] = counts.T
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
