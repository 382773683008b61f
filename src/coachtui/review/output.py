"""`coachtui metrics` output: CSV and JSON exactly as the metric contract lays
them out (docs/METRICS.md). The table for people is drawn by the CLI
(`coachtui.cli.metrics_table`)."""

from __future__ import annotations

import csv
import io
import json
import math

import polars as pl

from coachtui.review.diagnosis import Focus
from coachtui.review.metrics import COLUMNS, METRICS, Report


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _json_value(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


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
    for row in rows.select(columns).to_dicts():
        entry = {key: _json_value(value) for key, value in row.items()}
        entry["focus"] = [f.as_dict() for f in focus[row["rep"]]]
        entry["conversion"] = report.conversion[row["rep"]]
        reps.append(entry)
    team_list = [
        {
            "manager": manager,
            "benchmark": {
                metric: _json_value(report.team_benchmark(manager).get(metric))
                for metric in METRICS
            },
        }
        for manager in teams
    ]
    document = {
        "as_of": report.as_of.isoformat(),
        "days": report.days,
        "reps": reps,
        "teams": team_list,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
