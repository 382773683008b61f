"""Metric cards: the rep's value, the team's median and the difference."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Grid
from textual.widgets import Static

from coachtui import text as formatting
from coachtui.review.benchmark import LOWER_IS_BETTER, below_team, mixed_currencies

CARDS = (
    ("open_pipeline", "Open pipeline"),
    ("new_pipeline", "New pipeline"),
    ("won_amount", "Won"),
    ("win_rate", "Win rate"),
    ("avg_deal_size", "Avg deal"),
    ("avg_cycle_days", "Cycle"),
    ("sales_velocity", "Velocity/day"),
    ("stalled_deals", "Stalled deals"),
)


def card_text(metric: str, label: str, row: dict, team: dict, currency: str | None) -> Text:
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
        ("▼ " if low else "") + formatting.metric_text(metric, value, currency, short=True),
        style="bold red" if low else "",
    )
    text.append(f"\nteam {formatting.metric_text(metric, bench, currency, short=True)}")
    if value is not None and bench:
        diff = value / bench - 1
        better = diff <= 0 if metric in LOWER_IS_BETTER else diff >= 0
        text.append(f" {diff:+.0%}", style="green" if better else "red")
    return text


class MetricCards(Grid):
    """Eight cards, four to a row."""

    def compose(self):
        for metric, _label in CARDS:
            yield Static(classes="card", id=f"card-{metric}")

    def show(self, row: dict, team: dict, currency: str | None) -> None:
        for metric, label in CARDS:
            card = self.query_one(f"#card-{metric}", Static)
            card.update(card_text(metric, label, row, team, currency))
            card.set_class(below_team(metric, row.get(metric), team.get(metric)), "below")
