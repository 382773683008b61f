"""From a rep's numbers against the team to a ranked coaching focus, with evidence.

The default rules of shared/METRICS.md; every threshold comes from
`Settings.diagnosis`. A test compares one number with the team's median:
"low" under `low_ratio`, "high" over `high_ratio`, and a rule's score is that
of its largest test that fired.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachtui import text as formatting
from coachtui.areas import COACHING_AREAS, FocusArea
from coachtui.settings import DiagnosisThresholds, Settings

if TYPE_CHECKING:
    from coachtui.review.metrics import Report


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
    return Focus(area, findings[0].score, reasons)


def _rank(focus: Focus) -> tuple[float, bool, int]:
    """Highest score first; on a tie, the areas' order, but dollarizing last:
    multi-stakeholder access scores as it does and ranks above it."""
    last = focus.area is FocusArea.DOLLARIZING
    return (-focus.score, last, COACHING_AREAS.index(focus.area))


def diagnose_rep(report: Report, rep: str, settings: Settings | None = None) -> list[Focus]:
    """The ranked coaching areas for `rep`; empty when nothing stands out."""
    settings = settings or Settings()
    limits = settings.diagnosis
    row = report.rep_row(rep)
    signals = report.rep_signals(rep)
    team = report.team_benchmark(row["manager"])
    currency = report.currency
    money = lambda v: formatting.money(v, currency)  # noqa: E731
    closed = row["won_deals"] + row["lost_deals"]
    if row["new_deals"] < limits.min_new_deals and closed < limits.min_closed_deals:
        return [
            Focus(
                FocusArea.INSUFFICIENT_DATA,
                0.0,
                (
                    f"{row['new_deals']} new deals and {closed} closed deals in the last "
                    f"{report.days} days (fewer than {limits.min_new_deals} and "
                    f"{limits.min_closed_deals}): too little to read a pattern",
                ),
            )
        ]

    def compare(label, key, direction, show, source=row, bench=team):
        return compare_to_team(label, source.get(key), bench.get(key), direction, limits, show)

    steps = report.conversion.get(rep, [])
    team_steps = report.team_conversion.get(row["manager"], [])
    step_findings = [
        compare_to_team(
            f"{s['from']} -> {s['to']} conversion",
            s["rate"],
            team_steps[n] if n < len(team_steps) else None,
            "low",
            limits,
            formatting.percent,
        )
        for n, s in enumerate(steps)
    ]
    first_step_low = step_findings[0] if step_findings else None
    later_steps_low = step_findings[1:-1]

    found: list[Focus] = []
    targeting = _best(
        [
            compare("new pipeline", "new_pipeline", "low", money),
            compare("new deals", "new_deals", "low", formatting.count),
        ]
    )
    if targeting:
        found.append(_focus(FocusArea.TARGETING, targeting))

    messaging: list[Finding | None] = [first_step_low]
    if report.has_activities and team.get("activities"):
        parity = signals["activities"] / team["activities"] >= limits.activity_parity
        if parity:
            messaging.append(
                compare(
                    f"with {signals['activities']} activities (team median "
                    f"{formatting.count(team['activities'])}), new deals per activity",
                    "new_per_activity",
                    "low",
                    lambda v: f"{v:.3f}",
                    source=signals,
                )
            )
    messaging_fired = _best(messaging)
    if messaging_fired:
        found.append(_focus(FocusArea.MESSAGING, messaging_fired))

    dollarizing = _best(
        [
            compare("stalled deals", "stalled_deals", "high", formatting.count),
            compare("average cycle", "avg_cycle_days", "high", formatting.days),
            *later_steps_low,
        ]
    )
    if first_step_low is None and dollarizing:
        found.append(_focus(FocusArea.DOLLARIZING, dollarizing))
        reasons = []
        contacts = signals.get("median_contacts")
        if (
            report.has_contacts
            and contacts is not None
            and contacts <= limits.single_threaded_contacts
        ):
            reasons.append(
                f"median {formatting.count(contacts)} contact per open deal "
                f"(single-threaded: at most {formatting.count(limits.single_threaded_contacts)})"
            )
        if report.has_history:
            late = compare(
                "share of lost deals lost at the last stage",
                "late_loss_share",
                "high",
                formatting.percent,
                source=signals,
            )
            if late is not None:
                reasons.append(late.sentence())
        if reasons:
            found.append(_focus(FocusArea.MULTI_STAKEHOLDER, dollarizing, reasons))

    return sorted(found, key=_rank)


def diagnose(report: Report, settings: Settings | None = None) -> dict[str, list[Focus]]:
    return {rep: diagnose_rep(report, rep, settings) for rep in report.reps.get_column("rep")}
