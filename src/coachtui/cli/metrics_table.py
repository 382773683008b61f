"""The table `coachtui metrics` prints for people: aligned, rounded, one
section a team with the team's median under it, as wide as the terminal."""

from __future__ import annotations

import io
import shutil

import polars as pl
from rich import box
from rich.cells import cell_len
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
# what a narrow terminal keeps, most wanted first; the rep and the focus always
KEPT_FIRST = (
    "open_pipeline",
    "new_pipeline",
    "win_rate",
    "avg_cycle_days",
    "stalled_deals",
    "avg_deal_size",
    "sales_velocity",
    "won_amount",
    "open_deals",
    "new_deals",
    "won_deals",
    "lost_deals",
)
# each column takes its widest cell, a space either side and a rule (a space);
# the table's edges give one back
BETWEEN_COLUMNS = 3
WIDE = 10_000
LABELS = [label for label, _key in TABLE_COLUMNS]
TWO_LINE_LABELS = [label.replace(" ", "\n").replace("/", "\n/") for label in LABELS]


def terminal_width() -> int:
    """$COLUMNS, else the terminal's width, else 80 (a pipe, a file)."""
    return shutil.get_terminal_size((80, 24)).columns


def as_table(
    report: Report,
    rows: pl.DataFrame,
    focus: dict[str, list[Focus]],
    teams: list[str | None],
    width: int | None = None,
) -> str:
    """The table, `width` cells wide at most (None: every column, however
    wide). When not every column fits, money is rounded (792k), headers take
    two lines, the most wanted columns are kept and a line names the others
    and how to see them."""
    lines = _lines(report, rows, focus, teams, short=False)
    shown = _fitting(lines, WIDE if width is None else width, LABELS)
    compact = len(shown) < len(TABLE_COLUMNS)
    if compact:
        lines = _lines(report, rows, focus, teams, short=True)
        shown = _fitting(lines, width or WIDE, TWO_LINE_LABELS)
    labels = TWO_LINE_LABELS if compact else LABELS
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    table.add_column("Rep", no_wrap=True)
    for index in shown:
        table.add_column(labels[index], justify="right", no_wrap=True)
    table.add_column("Focus", no_wrap=True)
    for rep, metrics, area, median in lines:
        table.add_row(rep, *(metrics[i] for i in shown), area, end_section=median)
    out = io.StringIO()
    console = Console(file=out, width=width or WIDE, no_color=True, highlight=False)
    console.print(
        f"As of {report.as_of.isoformat()}, last {report.days} days"
        + ("" if report.currency else "; money in each deal's own currency")
        + ("; money rounded" if compact else "")
    )
    console.print(table)
    left_out = [label for n, label in enumerate(LABELS) if n not in shown]
    if compact:
        console.print(
            f"Not shown for the width ({', '.join(left_out)}): "
            "--wide shows every column, --format csv gives them all for a spreadsheet."
        )
    _say_currencies(console, rows)
    return out.getvalue()


Line = tuple[Text, list[str], str, bool]  # rep, each metric, focus, the team's median


def _lines(
    report: Report,
    rows: pl.DataFrame,
    focus: dict[str, list[Focus]],
    teams: list[str | None],
    short: bool,
) -> list[Line]:
    def show(key, value, row=None) -> str:
        if value is None and row is not None and mixed_currencies(row, key):
            return "mixed"
        return formatting.metric_text(key, value, report.currency, short=short)

    lines: list[Line] = []
    for manager in teams:
        members = rows.filter(
            pl.col("manager").is_null() if manager is None else pl.col("manager") == manager
        )
        for row in members.to_dicts():
            areas = focus[row["rep"]]
            metrics = [show(key, row[key], row) for _label, key in TABLE_COLUMNS]
            lines.append(
                (literal(row["rep"]), metrics, areas[0].area.short_label if areas else "", False)
            )
        bench = report.team_benchmark(manager)
        median = literal(f"median ({manager or 'no manager'})", style="italic")
        lines.append((median, [show(key, bench.get(key)) for _l, key in TABLE_COLUMNS], "", True))
    return lines


def _fitting(lines: list[Line], width: int, labels: list[str]) -> list[int]:
    """The metric columns (their index in TABLE_COLUMNS) that fit in `width`
    beside the rep and the focus, the most wanted first, in the table's order."""
    keys = [key for _label, key in TABLE_COLUMNS]

    def natural(values: list[str], label: str) -> int:
        cells = [*label.splitlines(), *values]
        return max(map(cell_len, cells)) + BETWEEN_COLUMNS

    used = natural([rep.plain for rep, *_ in lines], "Rep") - 1
    used += natural([area for _rep, _m, area, _median in lines], "Focus")
    shown = []
    for key in KEPT_FIRST:
        index = keys.index(key)
        needs = natural([metrics[index] for _rep, metrics, *_ in lines], labels[index])
        if used + needs <= width:
            shown.append(index)
            used += needs
    return sorted(shown)


def _say_currencies(console: Console, rows: pl.DataFrame) -> None:
    for row in rows.to_dicts():
        for metric in PER_CURRENCY:
            parts = [
                formatting.money(row[f"{metric}_{c}"], c) for c in mixed_currencies(row, metric)
            ]
            if parts:
                label = metric.replace("_", " ")
                line = f"{row['rep']}: {label} in several currencies: {' + '.join(parts)}"
                console.print(literal(line))
