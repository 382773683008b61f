"""Metric cards: the rep's value, the team's median and the difference."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Grid
from textual.widgets import Static

from coachtui import text as formatting
from coachtui.review.benchmark import LOWER_IS_BETTER, below_team, mixed_currencies

CARDS = (
    ("open_pipeline", "Open pipeline", "money"),
    ("new_pipeline", "New pipeline", "money"),
    ("won_amount", "Won", "money"),
    ("win_rate", "Win rate", "percent"),
    ("avg_deal_size", "Avg deal", "money"),
    ("avg_cycle_days", "Cycle", "days"),
    ("sales_velocity", "Velocity/day", "money"),
    ("stalled_deals", "Stalled deals", "count"),
)


def _show(kind: str, value: float | None, currency: str | None) -> str:
    if kind == "money":
        return formatting.money_short(value, currency)
    if kind == "percent":
        return formatting.percent(value)
    if kind == "days":
        return formatting.days(value)
    return formatting.count(value)


def card_text(
    metric: str, label: str, kind: str, row: dict, team: dict, currency: str | None
) -> Text:
    value, bench = row.get(metric), team.get(metric)
    text = Text(f"{label}\n", style="bold")
    mixed = mixed_currencies(row, metric)
    if value is None and mixed:
        text.append(
            " / ".join(formatting.money_short(row[f"{metric}_{c}"], c) + f" {c}" for c in mixed)
        )
        text.append("\nmixed currencies", style="italic")
        return text
    low = below_team(metric, value, bench)
    text.append(
        ("▼ " if low else "") + _show(kind, value, currency), style="bold red" if low else ""
    )
    text.append(f"\nteam {_show(kind, bench, currency)}")
    if value is not None and bench:
        diff = value / bench - 1
        better = diff <= 0 if metric in LOWER_IS_BETTER else diff >= 0
        text.append(f" {diff:+.0%}", style="green" if better else "red")
    return text


class MetricCards(Grid):
    """Eight cards, four to a row."""

    def compose(self):
        for metric, _label, _kind in CARDS:
            yield Static(classes="card", id=f"card-{metric}")

    def show(self, row: dict, team: dict, currency: str | None) -> None:
        for metric, label, kind in CARDS:
            card = self.query_one(f"#card-{metric}", Static)
            card.update(card_text(metric, label, kind, row, team, currency))
            card.set_class(below_team(metric, row.get(metric), team.get(metric)), "below")
