"""The table `coachtui metrics` prints for people: aligned, rounded, one
section a team with the team's median under it."""

from __future__ import annotations

import io

import polars as pl
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from coachtui import text as formatting
from coachtui.review.benchmark import mixed_currencies
from coachtui.review.diagnosis import Focus
from coachtui.review.metrics import PER_CURRENCY, Report
from coachtui.screens.literal import literal

TABLE_COLUMNS = (
    ("Open", "open_deals"),
    ("Open pipeline", "open_pipeline"),
    ("New", "new_deals"),
    ("New pipeline", "new_pipeline"),
    ("Won", "won_deals"),
    ("Lost", "lost_deals"),
    ("Won amount", "won_amount"),
    ("Win rate", "win_rate"),
    ("Avg deal", "avg_deal_size"),
    ("Cycle", "avg_cycle_days"),
    ("Velocity/day", "sales_velocity"),
    ("Stalled", "stalled_deals"),
)


def as_table(
    report: Report, rows: pl.DataFrame, focus: dict[str, list[Focus]], teams: list[str | None]
) -> str:
    def show(key, value, row=None) -> str:
        if value is None and row is not None and mixed_currencies(row, key):
            return "mixed"
        return formatting.metric_text(key, value, report.currency)

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    table.add_column("Rep", no_wrap=True)
    for label, _key in TABLE_COLUMNS:
        table.add_column(label, justify="right", no_wrap=True)
    table.add_column("Focus", no_wrap=True)
    for manager in teams:
        members = rows.filter(
            pl.col("manager").is_null() if manager is None else pl.col("manager") == manager
        )
        for row in members.to_dicts():
            areas = focus[row["rep"]]
            table.add_row(
                literal(row["rep"]),
                *(show(key, row[key], row) for _label, key in TABLE_COLUMNS),
                Text(areas[0].area.label if areas else ""),
            )
        bench = report.team_benchmark(manager)
        table.add_row(
            literal(f"team median ({manager or 'no manager'})", style="italic"),
            *(show(key, bench.get(key)) for _label, key in TABLE_COLUMNS),
            "",
            end_section=True,
        )
    out = io.StringIO()
    console = Console(file=out, width=250, no_color=True, highlight=False)
    console.print(
        f"As of {report.as_of.isoformat()}, last {report.days} days"
        + ("" if report.currency else "; money in each deal's own currency")
    )
    console.print(table)
    for row in rows.to_dicts():
        for metric in PER_CURRENCY:
            parts = [
                formatting.money(row[f"{metric}_{c}"], c) for c in mixed_currencies(row, metric)
            ]
            if parts:
                label = metric.replace("_", " ")
                line = f"{row['rep']}: {label} in several currencies: {' + '.join(parts)}"
                console.print(literal(line))
    return out.getvalue()
