"""`coachtui metrics` output: CSV and JSON exactly as shared/METRICS.md lays
them out, and an aligned table for people."""

from __future__ import annotations

import csv
import io
import math

import polars as pl
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from coachtui import text as formatting
from coachtui.review.benchmark import mixed_currencies
from coachtui.review.diagnosis import Focus
from coachtui.review.metrics import COLUMNS, METRICS, PER_CURRENCY, Report
from coachtui.text import csv_cell, literal, strict_json


def _cell(value) -> str:
    """Numbers as Python writes them (none that is not finite), text safe for a
    spreadsheet."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(csv_cell(value))


def as_csv(report: Report, rows: pl.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = [*COLUMNS, *report.currency_columns]
    writer.writerow(columns)
    for row in rows.select(columns).iter_rows():
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def as_json(
    report: Report, rows: pl.DataFrame, focus: dict[str, list[Focus]], teams: list[str | None]
) -> str:
    columns = [*COLUMNS, *report.currency_columns]
    reps = []
    for entry in rows.select(columns).to_dicts():
        entry["focus"] = [f.as_dict() for f in focus[entry["rep"]]]
        entry["conversion"] = report.conversion[entry["rep"]]
        reps.append(entry)
    team_list = [
        {
            "manager": manager,
            "benchmark": {metric: report.team_benchmark(manager).get(metric) for metric in METRICS},
        }
        for manager in teams
    ]
    document = {
        "as_of": report.as_of.isoformat(),
        "days": report.days,
        "reps": reps,
        "teams": team_list,
    }
    return strict_json(document)


TABLE_COLUMNS = (
    ("Open", "open_deals", formatting.count),
    ("Open pipeline", "open_pipeline", None),
    ("New", "new_deals", formatting.count),
    ("New pipeline", "new_pipeline", None),
    ("Won", "won_deals", formatting.count),
    ("Lost", "lost_deals", formatting.count),
    ("Won amount", "won_amount", None),
    ("Win rate", "win_rate", formatting.percent),
    ("Avg deal", "avg_deal_size", None),
    ("Cycle", "avg_cycle_days", formatting.days),
    ("Velocity/day", "sales_velocity", None),
    ("Stalled", "stalled_deals", formatting.count),
)


def as_table(
    report: Report, rows: pl.DataFrame, focus: dict[str, list[Focus]], teams: list[str | None]
) -> str:
    def show(key, render, value, row=None) -> str:
        if value is None and row is not None and mixed_currencies(row, key):
            return "mixed"
        if render is None:
            return formatting.money(value, report.currency)
        return render(value)

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    table.add_column("Rep", no_wrap=True)
    for label, _key, _render in TABLE_COLUMNS:
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
                *(show(key, render, row[key], row) for _label, key, render in TABLE_COLUMNS),
                Text(areas[0].area.label if areas else ""),
            )
        bench = report.team_benchmark(manager)
        table.add_row(
            literal(f"team median ({manager or 'no manager'})", style="italic"),
            *(show(key, render, bench.get(key)) for _label, key, render in TABLE_COLUMNS),
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
