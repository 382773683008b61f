"""Stage-by-stage conversion as bars, the rep against the team."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from coachtui import text as formatting
from coachtui.review.benchmark import BELOW_TEAM_LOW
from coachtui.screens.literal import literal

BAR_WIDTH = 12


def bar(rate: float | None) -> Text:
    if rate is None:
        return Text("·" * BAR_WIDTH, style="dim")
    filled = round(min(max(rate, 0.0), 1.0) * BAR_WIDTH)
    return Text("█" * filled + "░" * (BAR_WIDTH - filled))


def funnel(steps: list[dict], team_rates: list[float | None]) -> Table:
    """One line a step: from -> to, a bar, the rate, the team's rate, the counts."""
    table = Table(box=None, show_header=True, padding=(0, 1, 0, 0), header_style="bold")
    for name, justify in (
        ("Step", "left"),
        ("", "left"),
        ("Rep", "right"),
        ("Team", "right"),
        ("Deals", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)
    for index, step in enumerate(steps):
        team = team_rates[index] if index < len(team_rates) else None
        rate = step["rate"]
        low = rate is not None and team is not None and rate < BELOW_TEAM_LOW * team
        shown = Text(
            ("▼ " if low else "") + formatting.percent(rate), style="bold red" if low else ""
        )
        table.add_row(
            literal(f"{step['from']} -> {step['to']}", overflow="ellipsis"),
            bar(rate),
            shown,
            formatting.percent(team),
            f"{step['reached_to']}/{step['reached_from']}",
        )
    return table
