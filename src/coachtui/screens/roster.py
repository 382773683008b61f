"""The Roster tab: every rep of the team with the numbers against the team."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from coachtui import formatting
from coachtui.formatting import literal
from coachtui.metrics import below_team, mixed_currencies
from coachtui.reporting import TeamReview
from coachtui.widgets.table import RosterTable, VimTable

EMPTY_HELP = """\
No deals or reps yet.

Import your CRM export (CSV) from a shell:

  coachtui import reps  reps.csv       (optional: who reports to whom)
  coachtui import deals deals.csv      (Salesforce, HubSpot, Pipedrive or any CSV)

or press ctrl+p and choose "Import a CRM export".

To look around first, run:  coachtui demo
"""
BELOW = "▼"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    render: Callable[[float | None, str | None], str]
    numeric: bool = True


def _money(value, currency):
    # the status line names the currency; the cells stay narrow
    return formatting.money_short(value)


COLUMNS = (
    Column("rep", "Rep", lambda v, c: v, numeric=False),
    Column("open_pipeline", "Open", _money),
    Column("new_pipeline", "New", _money),
    Column("win_rate", "Win", lambda v, c: formatting.percent(v)),
    Column("avg_deal_size", "Avg", _money),
    Column("avg_cycle_days", "Cycle", lambda v, c: formatting.days(v)),
    Column("sales_velocity", "Vel/d", _money),
    Column("stalled_deals", "Stall", lambda v, c: formatting.count(v)),
    Column("focus", "Focus", lambda v, c: v, numeric=False),
    Column("coached", "Coached", lambda v, c: "never" if v is None else f"{v:.0f}d ago"),
    Column("commitments", "Commit", lambda v, c: formatting.count(v)),
)
SORTABLE = [column.key for column in COLUMNS]


class RosterPane(Vertical):
    """The rep list. It paints at once and fills in when the team's numbers are in."""

    BINDINGS = [
        Binding("c", "coach", "Coach", id="roster.coach"),
        Binding("slash", "filter", "Filter", key_display="/", id="roster.filter"),
        Binding("s", "sort(1)", "Sort", id="roster.sort"),
        Binding("S", "sort(-1)", "Sort back", show=False, id="roster.sort_back"),
        Binding("r", "reverse", "Reverse", show=False, id="roster.reverse"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="roster.clear_filter"),
    ]

    class RepChosen(Message):
        def __init__(self, rep: str) -> None:
            super().__init__()
            self.rep = rep

    def __init__(self) -> None:
        super().__init__()
        self.review: TeamReview | None = None
        self.scope: str | None = None
        self.sort_key = "rep"
        self.sort_reverse = False
        self.shown: list[str] = []
        self.shown_once = False
        self.all_rows: list[dict] = []
        self.cells: dict[str, list[Text]] = {}

    def compose(self) -> ComposeResult:
        yield Static("Loading the team...", id="roster-status")
        yield Input(placeholder="filter: rep, manager or focus (esc clears)", id="roster-filter")
        table = RosterTable(id="roster-table", fixed_columns=1)
        for column in COLUMNS:
            table.add_column(column.label, key=column.key)
        yield table

    def show(
        self, review: TeamReview, scope: str | None, overview: dict[str, tuple[int | None, int]]
    ) -> None:
        """Take a new team report: build every row's cells once; sorting and
        filtering then only reorder them."""
        self.review, self.scope = review, scope
        report = review.report
        self.all_rows = [
            row for row in report.reps.to_dicts() if not scope or row["manager"] == scope
        ]
        self.cells = {}
        for row in self.all_rows:
            areas = review.focus[row["rep"]]
            row["focus"] = areas[0].area.short_label if areas else ""
            row["coached"], row["commitments"] = overview.get(row["rep"], (None, 0))
            team = report.team_benchmark(row["manager"])
            self.cells[row["rep"]] = [
                self._cell(column, row, team, report.currency) for column in COLUMNS
            ]
        self._fill()

    def _rows(self) -> list[dict]:
        rows = self.all_rows
        wanted = self.query_one("#roster-filter", Input).value.strip().casefold()
        if wanted:
            rows = [
                row
                for row in rows
                if any(wanted in (row[k] or "").casefold() for k in ("rep", "manager", "focus"))
            ]
        key = self.sort_key
        numeric = next(c.numeric for c in COLUMNS if c.key == key)
        present = [row for row in rows if row[key] not in (None, "")]
        blank = [row for row in rows if row[key] in (None, "")]
        present.sort(
            key=lambda row: row[key] if numeric else str(row[key]).casefold(),
            reverse=self.sort_reverse,
        )
        return present + blank

    def _cell(self, column: Column, row: dict, team: dict, currency: str | None) -> Text:
        value = row[column.key]
        if not column.numeric:
            return literal(value or "")
        if column.key in ("coached", "commitments"):
            return Text(column.render(value, currency), justify="right")
        if value is None and mixed_currencies(row, column.key):
            return Text("mixed", style="italic", justify="right")
        text = column.render(value, currency)
        if below_team(column.key, value, team.get(column.key)):
            return Text(f"{BELOW}{text}", style="bold red", justify="right")
        return Text(text, justify="right")

    def _fill(self) -> None:
        table = self.query_one(VimTable)
        current = (
            self.shown[table.cursor_row]
            if self.shown and table.cursor_row < len(self.shown)
            else None
        )
        table.clear()
        if self.review is None:
            return
        report = self.review.report
        rows = self._rows()
        self.shown = [row["rep"] for row in rows]
        for rep in self.shown:
            table.add_row(*self.cells[rep], key=rep)
        if current in self.shown:
            table.move_cursor(row=self.shown.index(current))
        everyone = report.reps.height
        self._say_status()
        self.set_class(everyone == 0, "empty")
        table.display = everyone > 0
        if everyone and not self.shown_once:
            self.shown_once = True
            table.focus()

    def focused_rep(self) -> str | None:
        table = self.query_one(VimTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_coach(self) -> None:
        self.app.start_coaching(self.focused_rep())

    def action_sort(self, step: int) -> None:
        index = (SORTABLE.index(self.sort_key) + step) % len(SORTABLE)
        self.sort_key = SORTABLE[index]
        self._reorder()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._reorder()

    def _reorder(self) -> None:
        """Sort the rows in place: DataTable.sort moves them without rebuilding."""
        table = self.query_one(VimTable)
        if self.review is None:
            return
        self.shown = [row["rep"] for row in self._rows()]
        # the table holds the very Text objects of self.cells: find each row by
        # its name cell (its text may differ from the name: control characters)
        position = {id(self.cells[rep][0]): n for n, rep in enumerate(self.shown)}
        table.sort("rep", key=lambda cell: position[id(cell)])
        self._say_status()

    def _say_status(self) -> None:
        """How many reps, which window, and the sort: in the status line, since an
        arrow in a column's header would not fit the narrow columns."""
        status = self.query_one("#roster-status", Static)
        report = self.review.report
        if report.reps.height == 0:
            status.update(EMPTY_HELP)
            return
        scope = f"{self.scope}'s team" if self.scope else "all teams"
        money = f" · {report.currency}" if report.currency else ""
        label = next(c.label for c in COLUMNS if c.key == self.sort_key)
        arrow = "▼" if self.sort_reverse else "▲"
        status.update(
            literal(
                f"{len(self.shown)} reps, {scope} · {report.days} days to "
                f"{report.as_of:%d %b}{money} · sort: {label} {arrow} · {BELOW} below team"
            )
        )

    def action_filter(self) -> None:
        box = self.query_one("#roster-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#roster-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#roster-filter")
    def _filter_done(self) -> None:
        self.query_one(VimTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#roster-filter", Input)
        box.value = ""
        box.display = False
        self.query_one(VimTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.RepChosen(event.row_key.value))
