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
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

import polars as pl

from coachtui.areas import COACHING_AREAS, FocusArea
from coachtui.coaching.records import CoachingSession
from coachtui.review.metrics import METRICS, DealData, Prepared, Report, compute, prepare
from coachtui.review.windows import WINDOW_COLUMNS, fast_windows
from coachtui.settings import Settings
from coachtui.text import METRIC_NAMES, day, metric_text

# compared per 30 days: they count or sum over a window, and the two windows differ
PER_30_DAYS = ("new_deals", "new_pipeline", "won_deals", "lost_deals", "won_amount")
TOO_EARLY_DAYS = 14
UP, DOWN = "up", "down"
# each area's own metrics first, with the direction that is better
HEADLINES: dict[FocusArea, tuple[tuple[str, str], ...]] = {
    FocusArea.TARGETING: (("new_deals", UP), ("new_pipeline", UP), ("win_rate", UP)),
    FocusArea.MESSAGING: (("new_deals", UP), ("win_rate", UP)),
    FocusArea.DOLLARIZING: (
        ("avg_cycle_days", DOWN),
        ("stalled_deals", DOWN),
        ("avg_deal_size", UP),
        ("sales_velocity", UP),
    ),
    FocusArea.MULTI_STAKEHOLDER: (("win_rate", UP), ("avg_deal_size", UP), ("lost_deals", DOWN)),
}


@dataclass(frozen=True)
class CoachedSession:
    """An ended session, as impact reads it: whose, on which area, which day."""

    rep: str
    area: FocusArea
    ended_on: dt.date


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

    def direction(self, better: str) -> str:
        """better, worse or flat beyond the team's own change; "no data" without it."""
        if self.vs_team is None:
            return "no data"
        if self.vs_team == 0:
            return "flat"
        return "better" if (self.vs_team > 0) == (better == UP) else "worse"


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

    def headlines(self) -> list[tuple[str, str, MetricChange]]:
        """(metric, better when, change) of the area's own metrics."""
        return [(name, better, self.metrics[name]) for name, better in HEADLINES[self.area]]

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


class ReportCache:
    """Each rep's metrics and the team benchmarks for each (as-of date, window),
    each window computed once: the briefs of a whole team and the impact of
    every rep share them. Only the numbers asked for are kept, not the
    reports: impact over a year of sessions needs hundreds of windows."""

    def __init__(self, data: DealData, settings: Settings) -> None:
        self.data, self.settings = data, settings
        self._prepared: Prepared | None = None
        self._reports: dict[tuple[dt.date, int], Report] = {}
        self._rows: dict[tuple[dt.date, int], dict[str, dict]] = {}
        self._teams: dict[tuple[dt.date, int], dict[str | None, dict]] = {}

    def knowing(self, report: Report) -> ReportCache:
        """The cache, with the numbers of a report computed already (the team's)."""
        self._reports[(report.as_of, report.days)] = report
        return self

    def prepare(self, wanted: dict[tuple[dt.date, int], set[str]]) -> None:
        """Compute each window (as-of date, days) once for all the reps asked for
        in it: the windows no report has yet all at once where the deals allow."""
        missing = {
            key: reps for key, reps in wanted.items() if reps - self._rows.get(key, {}).keys()
        }
        fresh = [key for key in missing if key not in self._reports]
        chunks = None
        if len(fresh) > 1:  # only the columns the numbers read: a million deals weigh
            lean = replace(self.data, deals=self.data.deals.select(WINDOW_COLUMNS))
            chunks = fast_windows(prepare(lean, self.settings), fresh, self.settings)
        if chunks is None:  # each window from its own report
            fresh = []
        asked = [(key, missing[key]) for key in fresh]
        for chunk in chunks or ():
            self._keep_all(chunk, asked)
        for key in missing.keys() - set(fresh):
            self._keep(key, missing[key])

    def _keep_all(self, chunk: pl.DataFrame, asked: list[tuple[tuple[dt.date, int], set[str]]]):
        """`_keep` for the windows of a chunk (their index in `asked` in `window`) at once."""
        medians = chunk.group_by("window", "manager").agg(pl.col(METRICS).median())
        windows = chunk.get_column("window").unique().to_list()
        for n in windows:
            self._teams.setdefault(asked[n][0], {})
        for row in medians.to_dicts():
            self._teams[asked[row.pop("window")][0]][row["manager"]] = row
        wanted = pl.DataFrame(
            [(n, rep) for n in windows for rep in sorted(asked[n][1])],
            schema={"window": chunk.schema["window"], "rep": pl.String},
            orient="row",
        )
        chosen = chunk.select("window", "rep", "manager", *METRICS).join(
            wanted, on=["window", "rep"], how="semi"
        )
        for n in windows:
            key, reps = asked[n]
            self._rows.setdefault(key, {}).update({rep: {} for rep in reps})
        for row in chosen.to_dicts():
            self._rows[asked[row.pop("window")][0]][row["rep"]] = row

    def _keep(self, key: tuple[dt.date, int], reps: set[str]) -> None:
        report = self._reports.get(key)
        if report is None:
            self._prepared = self._prepared or prepare(self.data, self.settings)
            report = compute(self.data, *key, self.settings, self._prepared)
        table = report.reps.select("rep", "manager", *METRICS)
        if key not in self._teams:  # each team's median, as Report.benchmarks has it
            teams = table.group_by("manager").agg(pl.col(METRICS).median())
            self._teams[key] = {row["manager"]: row for row in teams.to_dicts()}
        chosen = table.filter(pl.col("rep").is_in(sorted(reps)))
        rows = self._rows.setdefault(key, {})
        rows |= {rep: {} for rep in reps} | {row["rep"]: row for row in chosen.to_dicts()}

    def values(
        self, rep: str, as_of: dt.date, days: int, per_30_days: bool = True
    ) -> tuple[dict, dict]:
        """The rep's metrics and the team's benchmark, counts per 30 days unless
        asked otherwise."""
        key = (as_of, days)
        self.prepare({key: {rep}})
        row = self._rows[key][rep]
        team = self._teams[key].get(row.get("manager"), {})
        if not per_30_days:
            return {m: row.get(m) for m in METRICS}, {m: team.get(m) for m in METRICS}
        return _per_30_days(row, days), _per_30_days(team, days)


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


def _windows(start: dt.date, as_of: dt.date, days: int) -> tuple[dt.date, int]:
    """The end and the length of the window after a start: at most `days`."""
    end = min(start + dt.timedelta(days=days), as_of)
    return end, (end - start).days


def _area_impact(
    reports: ReportCache, rep: str, area: FocusArea, days_coached: list[dt.date], as_of, days
) -> AreaImpact:
    start = min(days_coached)
    end, after_days = _windows(start, as_of, days)
    too_early = after_days < TOO_EARLY_DAYS
    before, team_before = reports.values(rep, start, days)
    if too_early:
        after, team_after = dict.fromkeys(METRICS), dict.fromkeys(METRICS)
    else:
        after, team_after = reports.values(rep, end, after_days)
    metrics = {}
    for name in METRICS:
        change = _minus(after[name], before[name])
        team_change = _minus(team_after[name], team_before[name])
        metrics[name] = MetricChange(
            before=before[name],
            after=after[name],
            team_before=team_before[name],
            team_after=team_after[name],
            change=change,
            vs_team=_minus(change, team_change),
        )
    return AreaImpact(rep, area, start, len(days_coached), after_days, too_early, metrics)


def coaching_impact(
    data: DealData,
    sessions: Iterable[CoachedSession],
    as_of: dt.date,
    days: int,
    settings: Settings | None = None,
    reports: ReportCache | None = None,
) -> list[AreaImpact]:
    """One entry per (rep, area) coached in a session ended by `as_of`, sorted
    by rep, then start, then area."""
    coached: dict[tuple[str, FocusArea], list[dt.date]] = {}
    for session in sessions:
        if session.ended_on <= as_of and session.area in COACHING_AREAS:
            coached.setdefault((session.rep, session.area), []).append(session.ended_on)
    reports = reports or ReportCache(data, settings or Settings())
    wanted: dict[tuple[dt.date, int], set[str]] = {}
    for (rep, _area), ended in coached.items():
        start = min(ended)
        wanted.setdefault((start, days), set()).add(rep)
        end, after_days = _windows(start, as_of, days)
        if after_days >= TOO_EARLY_DAYS:
            wanted.setdefault((end, after_days), set()).add(rep)
    reports.prepare(wanted)
    impact = [
        _area_impact(reports, rep, area, ended, as_of, days)
        for (rep, area), ended in coached.items()
    ]
    return sorted(impact, key=lambda i: (i.rep, i.start, i.area.value))


def coached(sessions: Iterable[CoachingSession]) -> list[CoachedSession]:
    """The ended sessions, each on the area the manager chose, else the suggested one."""
    return [
        CoachedSession(s.rep, s.area, s.ended_at.date())
        for s in sessions
        if s.ended_at is not None and s.area is not None
    ]


def _shown(metric: str, value: float | None, currency: str | None) -> str:
    if metric in PER_30_DAYS and value is not None:
        return f"{metric_text(metric, value, currency)}/30d"
    return metric_text(metric, value, currency)


def change_line(metric: str, better: str, change: MetricChange, currency: str | None) -> str:
    """ "cycle 148d -> 96d, team 60d -> 59d: better" (changed while coaching, not caused)."""
    rep = f"{_shown(metric, change.before, currency)} -> {_shown(metric, change.after, currency)}"
    if change.team_before == change.team_after and change.team_after is not None:
        team = "team flat"
    else:
        team_before = _shown(metric, change.team_before, currency)
        team = f"team {team_before} -> {_shown(metric, change.team_after, currency)}"
    return f"{METRIC_NAMES[metric]} {rep}, {team}: {change.direction(better)}"


def impact_heading(impact: AreaImpact) -> str:
    """ "Dollarizing since Thu 03 Sep: 3 sessions, 60 days after"."""
    sessions = f"{impact.sessions} session{'s' if impact.sessions != 1 else ''}"
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
        *(change_line(name, better, m, currency) for name, better, m in impact.headlines()),
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
    for name, better, change in impact.headlines():
        label = f"{METRIC_NAMES[name]}{' /30d' if name in PER_30_DAYS else ''}"
        rows.append(
            (
                label,
                metric_text(name, change.before, currency, short=True),
                metric_text(name, change.after, currency, short=True),
                signed(name, _minus(change.team_after, change.team_before), currency),
                signed(name, change.vs_team, currency),
                "too early" if impact.too_early else change.direction(better),
            )
        )
    return rows


def coached_line(impact: AreaImpact, currency: str | None = None) -> str:
    """ "coached on Dollarizing since Fri 01 May: cycle 248d -> 60d, team 124d ->
    60d: better", with the first headline metric that has the numbers to say it."""
    since = f"coached on {impact.area.label} since {day(impact.start)}"
    if impact.too_early:
        wait = f"{impact.after_days} days after, {TOO_EARLY_DAYS} needed"
        return f"{since}: too early to compare ({wait})"
    headlines = impact.headlines()
    telling = next((h for h in headlines if h[2].vs_team is not None), headlines[0])
    return f"{since}: {change_line(*telling, currency)}"
