"""Coaching impact: did the numbers move where we coached, beyond the team's own change?

For a rep and a coaching area, the start is the day of the first ended
session on that area. The rep's metrics over the window before it are set
against those over the days since (at most one window), and the rep's change
against the team's change over the same two windows, so that what the whole
team shared (a good quarter, a price rise) is not taken for the coaching.
The numbers say what changed while coaching, not that the coaching caused it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace

import polars as pl

from coachtui.areas import COACHING_AREAS, FocusArea
from coachtui.coaching import records
from coachtui.coaching.records import CoachingSession
from coachtui.review.kept_numbers import KeptNumbers
from coachtui.review.metrics import (
    BETTER_WHEN,
    METRICS,
    UP,
    DealData,
    Prepared,
    Report,
    compute,
    prepare,
)
from coachtui.settings import Settings
from coachtui.store import Store
from coachtui.text import METRIC_NAMES, counted, csv_cell, day, metric_text

# compared per 30 days: they count or sum over a window, and the two windows differ
PER_30_DAYS = ("new_deals", "new_pipeline", "won_deals", "lost_deals", "won_amount")
TOO_EARLY_DAYS = 14
# each area's own metrics, first wherever its impact or changes are shown
HEADLINES: dict[FocusArea, tuple[str, ...]] = {
    FocusArea.TARGETING: ("new_deals", "new_pipeline", "win_rate"),
    FocusArea.MESSAGING: ("new_deals", "win_rate"),
    FocusArea.DOLLARIZING: ("avg_cycle_days", "stalled_deals", "avg_deal_size", "sales_velocity"),
    FocusArea.MULTI_STAKEHOLDER: ("win_rate", "avg_deal_size", "lost_deals"),
}


@dataclass(frozen=True)
class CoachedSession:
    """An ended session, as impact reads it: whose, on which area, which day."""

    rep: str
    area: FocusArea
    ended_on: dt.date


FLAT_SHARE = 0.05  # a change beyond the team's this small, against the rep's figure, is noise


@dataclass(frozen=True)
class MetricChange:
    before: float | None
    after: float | None
    team_before: float | None
    team_after: float | None
    change: float | None
    vs_team: float | None

    def as_dict(self) -> dict:
        """As `dataclasses.asdict` has it, without its deep copies (numbers only)."""
        return {name: getattr(self, name) for name in _CHANGE_FIELDS}

    def direction(self, metric: str) -> str:
        """better, worse or flat beyond the team's own change in `metric`; "no data" without
        it. Flat within FLAT_SHARE of the rep's own figure (the larger of
        before and after): lost deals 10.7 -> 9.5 a month against the team's
        10.5 -> 9.3 read as "worse" for 0.02. The team's figure is no measure:
        a rep far below it, as the ones coached are, would change nothing."""
        if self.vs_team is None:
            return "no data"
        return direction(self.vs_team, (self.before, self.after), metric)


def direction(change: float, figures: tuple[float | None, ...], metric: str) -> str:
    """better, worse (`BETTER_WHEN` the metric), or flat within FLAT_SHARE of the
    larger of `figures`, the rep's own: for a change beyond the team's (impact)
    and a rep's own (the brief)."""
    size = max(abs(value) for value in figures if value is not None)
    if abs(change) <= FLAT_SHARE * size:
        return "flat"
    return "better" if (change > 0) == (BETTER_WHEN[metric] == UP) else "worse"


_CHANGE_FIELDS = tuple(f.name for f in fields(MetricChange))


@dataclass(frozen=True)
class AreaImpact:
    rep: str
    area: FocusArea
    start: dt.date
    sessions: int
    after_days: int
    too_early: bool
    metrics: dict[str, MetricChange]

    def headlines(self) -> list[tuple[str, MetricChange]]:
        """(metric, change) of the area's own metrics."""
        return [(name, self.metrics[name]) for name in HEADLINES[self.area]]

    def as_dict(self) -> dict:
        return {
            "rep": self.rep,
            "area": self.area.value,
            "start": self.start.isoformat(),
            "sessions": self.sessions,
            "after_days": self.after_days,
            "too_early": self.too_early,
            "metrics": {name: change.as_dict() for name, change in self.metrics.items()},
        }


def _minus(later: float | None, earlier: float | None) -> float | None:
    return None if later is None or earlier is None else later - earlier


Window = tuple[dt.date, int]  # its last day (as of), its length in days
_WINDOW = {"as_of": pl.Date, "days": pl.Int64}


class ReportCache:
    """Each rep's metrics and the team benchmarks for each window, each window
    computed once: the briefs of a whole team and the impact of every rep
    share them. Only the numbers asked for are kept, as frames (`rows`,
    `teams`), not the reports: impact over a year of sessions needs hundreds
    of windows, and only the asked reps' teams' medians: with hundreds of
    teams, a window's reps are in a few."""

    def __init__(
        self,
        data: DealData,
        settings: Settings,
        prepared: Callable[[], Prepared] | None = None,
        kept: KeptNumbers | None = None,
    ) -> None:
        """`prepared`: gives `prepare(data, settings, reps)`, for some teams'
        numbers only, when first needed. `kept`: where the numbers computed
        are kept for the next command, and read from."""
        self.data, self.settings = data, settings
        self._given, self._prepared = prepared, None
        self._kept = kept
        self._reports: dict[Window, Report] = {}
        self._asked: dict[Window, set[str]] = {}
        self._teams_kept: set[tuple[Window, str | None]] = set()  # (window, manager)
        self._rows: list[pl.DataFrame] = []
        self._teams: list[pl.DataFrame] = []
        if kept is not None:
            self._remember(kept.windows())

    def knowing(self, report: Report) -> ReportCache:
        """The cache, with the numbers of a report computed already (the team's)."""
        self._reports[(report.as_of, report.days)] = report
        return self

    def prepare(self, wanted: dict[Window, set[str]]) -> None:
        """Compute each window once for all the reps asked for in it: the
        windows no report has yet all at once where the deals allow."""
        missing = {key: reps - self._asked.get(key, set()) for key, reps in wanted.items()}
        missing = {key: reps for key, reps in missing.items() if reps}
        fresh = [key for key in missing if key not in self._reports]
        chunks = None
        if len(fresh) > 1:
            from coachtui.review.windows import fast_windows  # numpy: only to compute

            chunks = fast_windows(self._prepared_now() or self._lean(), fresh, self.settings)
        if chunks is None:  # each window from its own report
            fresh = []
        asked = [(key, missing[key]) for key in fresh]
        for chunk in chunks or ():
            self._keep_all(chunk, asked)
        for key in missing.keys() - set(fresh):  # a report's table: a chunk of one window
            self._keep_all(self._report(key).reps.with_columns(window=0), [(key, missing[key])])
        if missing and self._kept is not None:
            self._kept.keep_windows(self._parts())

    def _parts(self) -> dict[str, pl.DataFrame]:
        """What is kept for the next command: `_remember` reads it back."""
        asked = [(*key, rep) for key, reps in self._asked.items() for rep in sorted(reps)]
        return {
            "rows": self.rows(),
            "teams": self.teams(),
            "asked": pl.DataFrame(asked, schema=_WINDOW | {"rep": pl.String}, orient="row"),
        }

    def _remember(self, parts: dict[str, pl.DataFrame] | None) -> None:
        if parts is None:
            return
        self._rows, self._teams = [parts["rows"]], [parts["teams"]]
        for as_of, days, rep in parts["asked"].iter_rows():
            self._asked.setdefault((as_of, days), set()).add(rep)
        teams = parts["teams"].select("as_of", "days", "manager").iter_rows()
        self._teams_kept = {((as_of, days), manager) for as_of, days, manager in teams}

    def _prepared_now(self) -> Prepared | None:
        """The deals prepared: as given, or for a report computed already."""
        if self._prepared is None and self._given is not None:
            self._prepared = self._given()
        return self._prepared

    def _lean(self) -> Prepared:
        """Every team's deals with only the columns the numbers read: a million deals weigh."""
        from coachtui.review.windows import WINDOW_COLUMNS

        lean = replace(self.data, deals=self.data.deals.select(WINDOW_COLUMNS))
        return prepare(lean, self.settings)

    def _report(self, key: Window) -> Report:
        if key not in self._reports:
            self._prepared = self._prepared_now() or prepare(self.data, self.settings)
            self._reports[key] = compute(self.data, *key, self.settings, self._prepared)
        return self._reports[key]

    def _keep_all(self, chunk: pl.DataFrame, asked: list[tuple[Window, set[str]]]) -> None:
        """Keep the asked reps' rows of the windows of a chunk (their index in
        `asked` in `window`), and their teams' medians (as Report.benchmarks
        has them) in those windows, each (window, team) once."""
        windows = chunk.get_column("window").unique().to_list()
        index = pl.DataFrame(
            [(n, *asked[n][0]) for n in windows],
            schema={"window": chunk.schema["window"]} | _WINDOW,
            orient="row",
        )
        wanted = pl.DataFrame(
            [(n, rep) for n in windows for rep in sorted(asked[n][1])],
            schema={"window": chunk.schema["window"], "rep": pl.String},
            orient="row",
        )
        chunk = chunk.select("window", "rep", "manager", *METRICS)
        chosen = chunk.join(wanted, on=["window", "rep"], how="semi")
        self._rows.append(index.join(chosen, on="window").drop("window"))
        teams = [
            (n, manager)
            for n, manager in chosen.select("window", "manager").unique().iter_rows()
            if (asked[n][0], manager) not in self._teams_kept
        ]
        if teams:
            new = pl.DataFrame(teams, schema=chunk.select("window", "manager").schema, orient="row")
            theirs = chunk  # every team of every window, as often with one team
            if len(teams) < len(windows) * chunk.get_column("manager").n_unique():
                theirs = chunk.join(new, on=["window", "manager"], how="semi", nulls_equal=True)
            medians = theirs.group_by("window", "manager").agg(pl.col(METRICS).median())
            self._teams.append(index.join(medians, on="window").drop("window"))
        self._teams_kept.update((asked[n][0], manager) for n, manager in teams)
        for n in windows:
            key, reps = asked[n]
            self._asked.setdefault(key, set()).update(reps)

    def rows(self) -> pl.DataFrame:
        """as_of, days, rep, manager and the metrics of every rep asked for."""
        self._rows = [_together(self._rows, ("rep", "manager"))]
        return self._rows[0]

    def teams(self) -> pl.DataFrame:
        """as_of, days, manager and each metric's median over the manager's team."""
        self._teams = [_together(self._teams, ("manager",))]
        return self._teams[0]

    def values(
        self, rep: str, as_of: dt.date, days: int, per_30_days: bool = True
    ) -> tuple[dict, dict]:
        """The rep's metrics and the team's benchmark, counts per 30 days unless
        asked otherwise."""
        self.prepare({(as_of, days): {rep}})
        here = (pl.col("as_of") == as_of) & (pl.col("days") == days)
        row = next(self.rows().filter(here & (pl.col("rep") == rep)).iter_rows(named=True), {})
        manager = pl.col("manager")
        mine = manager.is_null() if row.get("manager") is None else manager == row["manager"]
        team = next(self.teams().filter(here & mine).iter_rows(named=True), {})
        if not per_30_days:
            return {m: row.get(m) for m in METRICS}, {m: team.get(m) for m in METRICS}
        return _per_30_days(row, days), _per_30_days(team, days)


def _together(frames: list[pl.DataFrame], names: tuple[str, ...]) -> pl.DataFrame:
    if not frames:
        schema = _WINDOW | dict.fromkeys(names, pl.String) | dict.fromkeys(METRICS, pl.Float64)
        return pl.DataFrame(schema=schema)
    return pl.concat(frames, how="vertical_relaxed")


def _per_30_days(values: dict, window: int) -> dict:
    """Every metric, the counts and sums over `window` days as per 30 days."""
    return {
        name: (
            values[name] * 30 / window
            if name in PER_30_DAYS and values.get(name) is not None
            else values.get(name)
        )
        for name in METRICS
    }


CSV_SLICE_ROWS = 20_000  # impact_csv's
IMPACT_TABLE = ("rep", "area", "start", "sessions", "after_days", "too_early", "metric")
IMPACT_TABLE += _CHANGE_FIELDS
_SIDES = ("before", "after", "team_before", "team_after")


def coached_areas(sessions: Iterable[CoachedSession], as_of: dt.date, days: int) -> pl.DataFrame:
    """One row per (rep, area) coached in a session ended by `as_of`: rep,
    area, start (the first session's day), sessions, end (the after window's
    last day: at most `days` after the start), after_days, too_early."""
    ended = [
        (s.rep, s.area.value, s.ended_on)
        for s in sessions
        if s.ended_on <= as_of and s.area in COACHING_AREAS
    ]
    schema = {"rep": pl.String, "area": pl.String, "ended_on": pl.Date}
    end = pl.min_horizontal(pl.col("start").dt.offset_by(f"{days}d"), pl.lit(as_of))
    return (
        pl.DataFrame(ended, schema=schema, orient="row")
        .group_by("rep", "area")
        .agg(start=pl.col("ended_on").min(), sessions=pl.len().cast(pl.Int64))
        .with_columns(end=end)
        .with_columns(after_days=(pl.col("end") - pl.col("start")).dt.total_days())
        .with_columns(too_early=pl.col("after_days") < TOO_EARLY_DAYS)
        .sort("rep", "start", "area")
    )


def impact_windows(coached: pl.DataFrame, days: int) -> dict[Window, set[str]]:
    """The windows whose numbers the impact of `coached` (`coached_areas`)
    reads, with the reps it reads in each: before each start and after it."""
    wanted: dict[Window, set[str]] = {}
    for rep, start, end, after_days, too_early in coached.select(
        "rep", "start", "end", "after_days", "too_early"
    ).iter_rows():
        wanted.setdefault((start, days), set()).add(rep)
        if not too_early:
            wanted.setdefault((end, after_days), set()).add(rep)
    return wanted


def impact_table(
    data: DealData,
    sessions: Iterable[CoachedSession],
    as_of: dt.date,
    days: int,
    settings: Settings | None = None,
    reports: ReportCache | None = None,
) -> pl.DataFrame:
    """One row per (rep, area, metric) coached in a session ended by `as_of`
    (IMPACT_TABLE), sorted by rep, then start, then area, the metrics in
    METRICS order: the numbers before and after the start, the team's, the
    rep's change and the change beyond the team's."""
    coached = coached_areas(sessions, as_of, days).with_row_index("row")
    reports = reports or ReportCache(data, settings or Settings())
    reports.prepare(impact_windows(coached, days))
    rows, teams = reports.rows(), reports.teams()
    # a column of its own, not a literal: polars divides by a literal as it
    # multiplies by its inverse, a last digit off Python's `n * 30 / days`
    coached = coached.with_columns(pl.Series("days", [days] * coached.height, pl.Int64))
    after = coached.filter(~pl.col("too_early"))
    wide = coached.join(
        _window_numbers(coached, rows, teams, "start", "days", "before"), on="row", how="left"
    ).join(_window_numbers(after, rows, teams, "end", "after_days", "after"), on="row", how="left")
    head = pl.col(IMPACT_TABLE[:6])
    long = []
    for order, metric in enumerate(METRICS):
        before, after, team_before, team_after = (pl.col(f"{side}:{metric}") for side in _SIDES)
        numbers = [before, after, team_before, team_after]
        change = after - before
        long.append(
            wide.select(
                "row",
                head,
                metric=pl.lit(metric),
                order=pl.lit(order),
                **{side: n.cast(pl.Float64) for side, n in zip(_SIDES, numbers, strict=True)},
                change=change.cast(pl.Float64),
                vs_team=(change - (team_after - team_before)).cast(pl.Float64),
            )
        )
    return pl.concat(long).sort("row", "order").select(IMPACT_TABLE)


def _window_numbers(
    coached: pl.DataFrame, rows: pl.DataFrame, teams: pl.DataFrame, at: str, length: str, side: str
) -> pl.DataFrame:
    """row, and each metric of the rep and of the rep's team over the window
    of `length` days ending `at`, counts per 30 days: `before:metric` and
    `team_before:metric` for the side "before"."""
    window = ["as_of", "days"]
    mine = coached.select("row", "rep", at, length).join(
        rows, left_on=["rep", at, length], right_on=["rep", *window], how="left"
    )
    team = mine.select("row", "manager", at, length).join(
        teams,
        left_on=["manager", at, length],
        right_on=["manager", *window],
        how="left",
        nulls_equal=True,
    )

    def per_30_days(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
        return frame.select(
            "row",
            *(
                (pl.col(m) * 30 / pl.col(length) if m in PER_30_DAYS else pl.col(m)).alias(
                    f"{prefix}{side}:{m}"
                )
                for m in METRICS
            ),
        )

    return per_30_days(mine, "").join(per_30_days(team, "team_"), on="row", how="left")


def coaching_impact(
    data: DealData,
    sessions: Iterable[CoachedSession],
    as_of: dt.date,
    days: int,
    settings: Settings | None = None,
    reports: ReportCache | None = None,
) -> list[AreaImpact]:
    """One entry per (rep, area) coached in a session ended by `as_of`, sorted
    by rep, then start, then area: `impact_table`, an entry a (rep, area)."""
    rows = impact_table(data, sessions, as_of, days, settings, reports).rows()
    entries = []
    for first in range(0, len(rows), len(METRICS)):
        entry = rows[first : first + len(METRICS)]
        rep, area, start, sessions_held, after_days, too_early = entry[0][:6]
        metrics = {row[6]: MetricChange(*row[7:]) for row in entry}
        entries.append(
            AreaImpact(rep, FocusArea(area), start, sessions_held, after_days, too_early, metrics)
        )
    return entries


def impact_csv(table: pl.DataFrame) -> Iterator[str]:
    """`impact_table` as CSV, a slice of rows at a time: rep names safe in a
    spreadsheet, numbers unrounded, null (and a number that is not finite)
    as an empty cell. In slices, not as one text: a team of 5,000 coached a
    year long is 31 MB of it."""
    reps = table.get_column("rep").unique()
    safe = pl.Series([csv_cell(rep) for rep in reps.to_list()], dtype=pl.String)
    numbers = [name for name, kind in table.schema.items() if kind == pl.Float64]
    shown = table.with_columns(
        pl.col("rep").replace_strict(reps, safe),
        *(pl.when(pl.col(name).is_finite()).then(name).alias(name) for name in numbers),
    )
    slices = shown.iter_slices(CSV_SLICE_ROWS) if shown.height else [shown]  # the header, at least
    for n, rows in enumerate(slices):
        yield rows.write_csv(include_header=n == 0)


def coached(sessions: Iterable[CoachingSession]) -> list[CoachedSession]:
    """The ended sessions, each on the area the manager chose, else the suggested one."""
    return [
        CoachedSession(s.rep, s.area, s.ended_at.date())
        for s in sessions
        if s.ended_at is not None and s.area is not None
    ]


def coached_in(store: Store, rep: str | None = None) -> list[CoachedSession]:
    """`coached` of the sessions in `store` (the rep's, or every rep's), read as such."""
    return [CoachedSession(*row) for row in records.areas_coached(store, rep)]


def _shown(metric: str, value: float | None, currency: str | None) -> str:
    if metric in PER_30_DAYS and value is not None:
        return f"{metric_text(metric, value, currency)}/30d"
    return metric_text(metric, value, currency)


# a change beyond the team's, said against the team (a rep's figure can fall
# and be better: the team's fell further)
AGAINST_THE_TEAM = {
    "better": "better than the team",
    "worse": "worse than the team",
    "flat": "in step with the team",
}


def change_line(metric: str, change: MetricChange, currency: str | None) -> str:
    """ "cycle 148d -> 96d, team 60d -> 59d: better than the team" (changed
    while coaching, not caused)."""
    word = change.direction(metric)
    rep = f"{_shown(metric, change.before, currency)} -> {_shown(metric, change.after, currency)}"
    if change.team_before == change.team_after and change.team_after is not None:
        team = "team flat"
    else:
        team_before = _shown(metric, change.team_before, currency)
        team = f"team {team_before} -> {_shown(metric, change.team_after, currency)}"
    return f"{METRIC_NAMES[metric]} {rep}, {team}: {AGAINST_THE_TEAM.get(word, word)}"


def impact_heading(impact: AreaImpact) -> str:
    """ "Dollarizing since Thu 03 Sep: 3 sessions, 60 days after"."""
    sessions = counted(impact.sessions, "session")
    after = (
        f"too early: {impact.after_days} days after, {TOO_EARLY_DAYS} needed"
        if impact.too_early
        else f"changed while coaching, over the {impact.after_days} days after"
    )
    return f"{impact.area.label} since {day(impact.start)}: {sessions}; {after}"


def impact_lines(impact: AreaImpact, currency: str | None = None) -> list[str]:
    """The heading, then one line per headline metric (none while too early)."""
    if impact.too_early:
        return [impact_heading(impact)]
    return [
        impact_heading(impact),
        *(change_line(name, m, currency) for name, m in impact.headlines()),
    ]


def signed(metric: str, value: float | None, currency: str | None = None) -> str:
    """A change as a narrow cell shows it: "-64d", "+$1.2k", "+10 pts"; "-" when unknown."""
    if value is None:
        return "-"
    if metric == "win_rate":  # a change of a rate: in points
        text = f"{abs(value) * 100:.0f} pts"
    else:
        text = metric_text(metric, abs(value), currency, short=True)
    if not any(c in "123456789" for c in text):
        return text  # rounds to nothing: no sign
    return ("+" if value > 0 else "-") + text


IMPACT_COLUMNS = ("metric", "before", "after", "team", "beyond team", "")


def impact_rows(impact: AreaImpact, currency: str | None = None) -> list[tuple[str, ...]]:
    """One row per headline metric (IMPACT_COLUMNS): its name, before, after,
    the team's change, the change beyond the team's, and the word for it:
    better, worse, flat, no data, or too early while it is."""
    rows = []
    for name, change in impact.headlines():
        label = f"{METRIC_NAMES[name]}{' /30d' if name in PER_30_DAYS else ''}"
        rows.append(
            (
                label,
                metric_text(name, change.before, currency, short=True),
                metric_text(name, change.after, currency, short=True),
                signed(name, _minus(change.team_after, change.team_before), currency),
                signed(name, change.vs_team, currency),
                "too early" if impact.too_early else change.direction(name),
            )
        )
    return rows


def coached_line(impact: AreaImpact, currency: str | None = None) -> str:
    """ "coached on Dollarizing since Fri 01 May: cycle 248d -> 60d, team 124d ->
    60d: better than the team", with the first headline metric that has the
    numbers to say it."""
    since = f"coached on {impact.area.label} since {day(impact.start)}"
    if impact.too_early:
        wait = f"{impact.after_days} days after, {TOO_EARLY_DAYS} needed"
        return f"{since}: too early to compare ({wait})"
    headlines = impact.headlines()
    telling = next((h for h in headlines if h[1].vs_team is not None), headlines[0])
    return f"{since}: {change_line(*telling, currency)}"
