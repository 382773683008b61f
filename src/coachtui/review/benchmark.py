"""A rep's number against the team's: when it is flagged as below the team.

Plain Python, no polars: the roster paints its marks before polars loads.
"""

from __future__ import annotations

from coachtui.settings import DiagnosisThresholds

LOWER_IS_BETTER = ("avg_cycle_days", "stalled_deals")
# the diagnosis's default "low" and "high": a mark on the screen means what the
# diagnosis means by default
BELOW_TEAM_LOW = DiagnosisThresholds.low_ratio
BELOW_TEAM_HIGH = DiagnosisThresholds.high_ratio


def below_team(metric: str, value: float | None, benchmark: float | None) -> bool:
    """Under 75% of the team's median (over 133% where lower is better)."""
    if value is None or benchmark is None:
        return False
    if metric in LOWER_IS_BETTER:
        return value > BELOW_TEAM_HIGH * benchmark
    return value < BELOW_TEAM_LOW * benchmark


def mixed_currencies(row: dict, metric: str) -> list[str]:
    """The currencies a rep's money metric is split into (empty when it is not)."""
    prefix = f"{metric}_"
    return sorted(
        key.removeprefix(prefix)
        for key, value in row.items()
        if key.startswith(prefix) and key.removeprefix(prefix).isupper() and value is not None
    )
