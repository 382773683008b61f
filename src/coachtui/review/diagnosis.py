"""From a rep's numbers against the team to a ranked coaching focus, with evidence.

The default rules of docs/METRICS.md; every threshold comes from
`Settings.diagnosis`. A test compares one number with the team's median:
"low" under `low_ratio`, "high" over `high_ratio`, and a rule's score is that
of its largest test that fired.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from coachtui import text as formatting
from coachtui.areas import COACHING_AREAS, FocusArea
from coachtui.review.benchmark import LOWER_IS_BETTER, below_team
from coachtui.settings import DiagnosisThresholds, Settings

if TYPE_CHECKING:
    from coachtui.review.metrics import Report


# a score in words: "strong" from STRONG_SCORE, "some" from SOME_SCORE, else "weak"
# (docs/METRICS.md says why these two)
# what the manager reads when no area fires: its evidence lines may still
# flag a metric below the team that no area reads alone
NO_AREA_STANDS_OUT = "no coaching area stands out against the team"
STRONG_SCORE = 0.5
SOME_SCORE = 0.25


def strength(score: float) -> str:
    """A rule's score as the manager reads it."""
    if score >= STRONG_SCORE:
        return "strong"
    return "some" if score >= SOME_SCORE else "weak"


@dataclass(frozen=True)
class Finding:
    """One number against the team median, and whether it fired."""

    label: str
    value: float
    benchmark: float
    direction: str  # "low" or "high"
    score: float
    show: Callable[[float], str]
    threshold: float
    metric: str | None = None  # the per-rep metric compared, if it is one

    def sentence(self) -> str:
        compared = (
            f"{self.label} {self.show(self.value)} vs team median {self.show(self.benchmark)}"
        )
        if self.benchmark == 0:
            return f"{compared} (high: the team median is 0)"
        edge = "below" if self.direction == "low" else "above"
        change = formatting.change(self.value / self.benchmark)
        return f"{compared}: {change} ({edge} {self.threshold:.0%} of the team)"


@dataclass(frozen=True)
class Focus:
    area: FocusArea
    score: float
    reasons: tuple[str, ...]
    metrics: frozenset[str] = frozenset()  # the per-rep metrics its reasons name

    @property
    def strength(self) -> str | None:
        """The score in words; None for the "too little data" verdict, which has none."""
        return None if self.area is FocusArea.INSUFFICIENT_DATA else strength(self.score)

    @property
    def evidence(self) -> str:
        """The reasons in one sentence, as exports and the JSON carry it."""
        return "; ".join(self.reasons)

    def as_dict(self) -> dict:
        return {"area": self.area.value, "evidence": self.evidence, "score": self.score}


def compare_to_team(
    label: str,
    value: float | None,
    benchmark: float | None,
    direction: str,
    limits: DiagnosisThresholds,
    show: Callable[[float], str],
) -> Finding | None:
    """The finding if the test fires, else None (also for a null value or benchmark)."""
    if value is None or benchmark is None:
        return None
    threshold = limits.low_ratio if direction == "low" else limits.high_ratio
    if benchmark == 0:
        if direction == "high" and value >= 1:
            return Finding(label, value, benchmark, direction, 1.0, show, threshold)
        return None
    ratio = value / benchmark
    if direction == "low" and ratio < limits.low_ratio:
        score = 1 - ratio
    elif direction == "high" and ratio > limits.high_ratio:
        score = ratio - 1
    else:
        return None
    return Finding(label, value, benchmark, direction, min(max(score, 0.0), 1.0), show, threshold)


def _best(findings: list[Finding | None]) -> list[Finding]:
    fired = [f for f in findings if f is not None]
    return sorted(fired, key=lambda f: f.score, reverse=True)


def _focus(area: FocusArea, findings: list[Finding], lead: list[str] | None = None) -> Focus:
    """`lead`: the reasons that name this area, before the numbers it shares with another."""
    reasons = tuple(lead or ()) + tuple(f.sentence() for f in findings)
    named = frozenset(f.metric for f in findings if f.metric)
    return Focus(area, findings[0].score, reasons, named)


def _rank(focus: Focus) -> tuple[float, bool, int]:
    """Highest score first; on a tie, the areas' order, but dollarizing last:
    multi-stakeholder access scores as it does and ranks above it."""
    last = focus.area is FocusArea.DOLLARIZING
    return (-focus.score, last, COACHING_AREAS.index(focus.area))


def _too_little_data(report: Report, row: dict, limits: DiagnosisThresholds) -> Focus | None:
    """The verdict when the rep has too few new and closed deals to read a pattern."""
    closed = row["won_deals"] + row["lost_deals"]
    if row["new_deals"] >= limits.min_new_deals or closed >= limits.min_closed_deals:
        return None
    return Focus(
        FocusArea.INSUFFICIENT_DATA,
        0.0,
        (
            f"{row['new_deals']} new deals and {closed} closed deals in the last "
            f"{report.days} days (fewer than {limits.min_new_deals} and "
            f"{limits.min_closed_deals}): too little to read a pattern",
        ),
    )


@dataclass(frozen=True)
class _Rep:
    """What the rules read of one rep: their numbers and signals, the team's, the
    conversion steps against the team's, and the thresholds."""

    report: Report
    row: dict
    signals: dict
    team: dict
    steps: list[Finding | None]  # each step, when it is low against the team's
    limits: DiagnosisThresholds

    @classmethod
    def of(cls, report: Report, rep: str, limits: DiagnosisThresholds) -> _Rep:
        row = report.rep_row(rep)
        team_steps = report.team_conversion.get(row["manager"], [])
        steps = [
            compare_to_team(
                f"{s['from']} -> {s['to']} conversion",
                s["rate"],
                team_steps[n] if n < len(team_steps) else None,
                "low",
                limits,
                formatting.percent,
            )
            for n, s in enumerate(report.conversion_of(rep))
        ]
        team = report.team_benchmark(row["manager"])
        return cls(report, row, report.rep_signals(rep), team, steps, limits)

    @property
    def first_step_low(self) -> Finding | None:
        return self.steps[0] if self.steps else None

    def metric(self, label: str, metric: str, direction: str) -> Finding | None:
        """One of the rep's metrics against the team's, shown as every screen shows it."""
        currency = self.report.currency
        found = compare_to_team(
            label,
            self.row.get(metric),
            self.team.get(metric),
            direction,
            self.limits,
            lambda v: formatting.metric_text(metric, v, currency),
        )
        return found and replace(found, metric=metric)

    def signal(
        self, label: str, key: str, direction: str, show: Callable[[float], str]
    ) -> Finding | None:
        """One of the signals beyond the metrics against the team's."""
        value, benchmark = self.signals.get(key), self.team.get(key)
        return compare_to_team(label, value, benchmark, direction, self.limits, show)


# the per-rep metrics a rule reads, each on its own: (label, metric, direction)
_METRIC_TESTS = {
    FocusArea.TARGETING: (
        ("new pipeline", "new_pipeline", "low"),
        ("new deals", "new_deals", "low"),
    ),
    FocusArea.DOLLARIZING: (
        ("stalled deals", "stalled_deals", "high"),
        ("average cycle", "avg_cycle_days", "high"),
    ),
}

# the rule that reads each of those metrics
_READ_BY = {metric: area for area, tests in _METRIC_TESTS.items() for _l, metric, _d in tests}


def _targeting(rep: _Rep) -> list[Finding]:
    return _best([rep.metric(*test) for test in _METRIC_TESTS[FocusArea.TARGETING]])


def _messaging(rep: _Rep) -> list[Finding]:
    """The first step low; or, with as many activities as the team, few new deals for them."""
    findings = [rep.first_step_low]
    team_activities = rep.team.get("activities")
    if rep.report.has_activities and team_activities:
        activities = rep.signals["activities"]
        if activities / team_activities >= rep.limits.activity_parity:
            label = (
                f"with {formatting.counted(activities, 'activity', 'activities')} (team median "
                f"{formatting.count(team_activities)}), new deals per activity"
            )
            findings.append(rep.signal(label, "new_per_activity", "low", lambda v: f"{v:.3f}"))
    return _best(findings)


def _dollarizing(rep: _Rep) -> list[Finding]:
    """Deals that stall or drag, or a later step low, whatever the first step does."""
    tests = _METRIC_TESTS[FocusArea.DOLLARIZING]
    return _best([*(rep.metric(*test) for test in tests), *rep.steps[1:-1]])


def _multi_stakeholder(rep: _Rep) -> list[str]:
    """Why the dollarizing gap is one of access: single-threaded deals, or late losses."""
    reasons = []
    contacts = rep.signals.get("median_contacts")
    most = rep.limits.single_threaded_contacts
    if rep.report.has_contacts and contacts is not None and contacts <= most:
        reasons.append(
            f"median {formatting.count(contacts)} contact per open deal "
            f"(single-threaded: at most {formatting.count(most)})"
        )
    if rep.report.has_history:
        late = rep.signal(
            "share of lost deals lost at the last stage",
            "late_loss_share",
            "high",
            formatting.percent,
        )
        if late is not None:
            reasons.append(late.sentence())
    return reasons


def diagnose_rep(report: Report, rep: str, settings: Settings | None = None) -> list[Focus]:
    """The ranked coaching areas for `rep`; empty when nothing stands out."""
    limits = (settings or Settings()).diagnosis
    too_little = _too_little_data(report, report.rep_row(rep), limits)
    if too_little is not None:
        return [too_little]
    evidence = _Rep.of(report, rep, limits)
    dollarizing = _dollarizing(evidence)
    found = [
        _focus(area, findings)
        for area, findings in (
            (FocusArea.TARGETING, _targeting(evidence)),
            (FocusArea.MESSAGING, _messaging(evidence)),
            (FocusArea.DOLLARIZING, dollarizing),
        )
        if findings
    ]
    reasons = _multi_stakeholder(evidence) if dollarizing else []
    if reasons:
        found.append(_focus(FocusArea.MULTI_STAKEHOLDER, dollarizing, reasons))
    return sorted(found, key=_rank)


def diagnose(report: Report, settings: Settings | None = None) -> dict[str, list[Focus]]:
    """Every rep's focus, every rep's numbers made at once first (read one
    rep at a time, 5,000 reps' took 5 s)."""
    report.every_rep_at_once()
    return {rep: diagnose_rep(report, rep, settings) for rep in report.reps.get_column("rep")}


def flag_notes(
    focus: list[Focus], row: dict, team: dict, shown: Iterable[tuple[str, str]]
) -> list[str]:
    """A line for each metric of `shown` ((metric, label) pairs, labelled as the
    screen labels them) that is below the team and named in no area's evidence:
    why the diagnosis does not list it."""
    named = frozenset().union(*(f.metrics for f in focus))
    areas = {f.area for f in focus}
    notes = []
    for metric, label in shown:
        if metric not in named and below_team(metric, row.get(metric), team.get(metric)):
            side = "above the team" if metric in LOWER_IS_BETTER else "below the team"
            notes.append(f"{label} {_not_listed(side, _READ_BY.get(metric), areas)}")
    return notes


def _not_listed(side: str, reader: FocusArea | None, areas: set[FocusArea]) -> str:
    if FocusArea.INSUFFICIENT_DATA in areas:
        return f"{side}: too few deals to read a pattern"
    if reader is None:
        return f"{side}: no coaching area reads it alone"
    if reader in areas:
        # the mark uses the default thresholds; the area fired on another of its tests
        return f"also {side}: see {reader.label}"
    return f"{side}, but not past the [diagnosis] thresholds in the settings"
