"""`coachtui metrics` output: CSV and JSON exactly as the metric contract lays
them out (docs/METRICS.md). The table for people is drawn by the CLI
(`coachtui.cli.metrics_table`)."""

from __future__ import annotations

import csv
import io
import math

import polars as pl

from coachtui.review.diagnosis import Focus
from coachtui.review.metrics import COLUMNS, METRICS, Report
from coachtui.text import csv_cell, strict_json


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
