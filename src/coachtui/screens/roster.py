"""The Roster tab: every rep of the team with the numbers against the team."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from coachtui import text as formatting
from coachtui.coaching.overview import RepCoaching
from coachtui.review.roster_cache import Roster
from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.messages import CoachRep, RepChosen, ShowBrief
from coachtui.screens.widgets.table import RosterTable, VimTable

EMPTY_HELP = """\
No deals or reps yet.

Import your CRM export (CSV) from a shell:

  coachtui import reps  reps.csv       (optional: who reports to whom)
  coachtui import deals deals.csv      (Salesforce, HubSpot, Pipedrive or any CSV)

or press ctrl+p and choose "Import a CRM export".

To look around first, run:  coachtui demo
"""
BELOW = "▼"
FILTER_PLACEHOLDER = "filter: rep, manager or focus (esc clears)"
# refilling the table for 5,000 reps takes ~0.3 s: the filter waits for a
# pause in typing instead of refilling on every key
FILTER_PAUSE_SECONDS = 0.15


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # None: a metric, shown as every screen shows it
    render: Callable[[float | None], str] | None = None
    numeric: bool = True


def coached_text(days: int | None) -> str:
    """When the rep was last coached: never, today, or "3d ago"."""
    if days is None:
        return "never"
    return "today" if days == 0 else f"{days}d ago"


# what a manager needs during a call comes first and fits in 80 columns: the
# rep, the focus, when last coached, open commitments and the metrics below
# the team; the numbers follow, the rep's name kept as they scroll sideways.
# Money cells stay narrow: the status line names the currency.
COLUMNS = (
    Column("rep", "Rep", str, numeric=False),
    Column("focus", "Focus", str, numeric=False),
    Column("coached", "Coached", coached_text),
    Column("commitments", "Commit", formatting.count),
    Column("flagged", f"{BELOW} Below team", str, numeric=False),
    Column("open_pipeline", "Open"),
    Column("new_pipeline", "New"),
    Column("win_rate", "Win"),
    Column("avg_deal_size", "Avg"),
    Column("avg_cycle_days", "Cycle"),
    Column("sales_velocity", "Vel/d"),
    Column("stalled_deals", "Stall"),
)
METRIC_LABELS = {column.key: column.label for column in COLUMNS if column.render is None}
REP_AT_MOST = 20  # a longer name ends in …: the columns after it stay in view
SORTABLE = [column.key for column in COLUMNS]


class RosterPane(Vertical):
    """The rep list. It paints the roster kept from the last start at once, and
    the newly computed one when it differs."""

    BINDINGS = keys.ROSTER

    def __init__(self) -> None:
        super().__init__()
        self.roster: Roster | None = None
        self.overview: dict[str, RepCoaching] = {}
        self.scope: str | None = None
        self.sort_key = "rep"
        self.sort_reverse = False
        self.shown: list[str] = []
        self.shown_once = False
        self.all_rows: list[dict] = []
        self.cells: dict[str, list[Text]] = {}
        self.filtered_by = ""
        self._refilter: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading the team...", id="roster-status")
        # the filter box (hidden until `/`) is mounted the first time it is asked for
        table = RosterTable(id="roster-table", fixed_columns=1)
        for column in COLUMNS:
            # Text, not a string: a string is read as markup (and loads Rich's emoji table)
            table.add_column(Text(column.label), key=column.key)
        yield table

    def show(self, roster: Roster, scope: str | None, overview: dict[str, RepCoaching]) -> None:
        """Take a new roster: build every row's cells once; sorting and filtering
        then only reorder them. The same roster again changes nothing."""
        if (roster, scope, overview) == (self.roster, self.scope, self.overview):
            return
        self.roster, self.scope, self.overview = roster, scope, overview
        self.all_rows = [dict(row) for row in roster.rows_of(scope)]
        self.cells = {}
        for row in self.all_rows:
            coaching = overview.get(row["rep"], RepCoaching(None, 0))
            row["coached"], row["commitments"], row["overdue"] = coaching
            row["flagged"] = " ".join(METRIC_LABELS[m] for m in METRIC_LABELS if m in row["below"])
            self.cells[row["rep"]] = [self._cell(column, row) for column in COLUMNS]
        self.query_one(RosterTable).fit(
            {
                column.key: max(
                    [cell_len(column.label)]
                    + [cell_len(cells[n].plain) for cells in self.cells.values()]
                )
                for n, column in enumerate(COLUMNS)
            }
        )
        self._fill()

    def show_overview(self, overview: dict[str, RepCoaching]) -> None:
        """Who was coached, and their open and late commitments, moved."""
        if self.roster is not None:
            self.show(self.roster, self.scope, overview)

    def _rows(self) -> list[dict]:
        rows = self.all_rows
        wanted = self._wanted()
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

    def _wanted(self) -> str:
        box = self.filter_box()
        return box.value.strip().casefold() if box else ""

    def filter_box(self) -> Input | None:
        return self.query_one_optional("#roster-filter", Input)

    def _cell(self, column: Column, row: dict) -> Text:
        value = row[column.key]
        if column.key == "rep":
            name = literal(value)
            name.truncate(REP_AT_MOST, overflow="ellipsis")
            return name
        if not column.numeric:
            return literal(value or "")
        if column.key in row["mixed"]:
            return Text("mixed", style="italic", justify="right")
        if column.key == "commitments" and row["overdue"]:
            # in words, not colour alone: it reads the same under NO_COLOR
            return Text(f"{value} ({row['overdue']} late)", style="bold red", justify="right")
        if column.render is None:
            text = formatting.metric_text(column.key, value, short=True)
        else:
            text = column.render(value)
        if column.key in row["below"]:
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
        if self.roster is None:
            return
        rows = self._rows()
        self.filtered_by = self._wanted()
        self.shown = [row["rep"] for row in rows]
        for rep in self.shown:
            table.add_row(*self.cells[rep], key=rep)
        if current in self.shown:
            table.move_cursor(row=self.shown.index(current))
        everyone = len(self.roster.rows)
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

    def point_at(self, rep: str) -> None:
        """The cursor on `rep`'s row, if it is shown: back on the roster, the
        rep last looked at is where the manager left off."""
        if rep in self.shown:
            self.query_one(RosterTable).move_cursor(row=self.shown.index(rep))

    def rep_after(self, rep: str | None, step: int) -> str | None:
        """The next (1) or previous (-1) rep in the roster's order, round the end."""
        if not self.shown:
            return None
        index = self.shown.index(rep) + step if rep in self.shown else 0
        return self.shown[index % len(self.shown)]

    def action_coach(self) -> None:
        rep = self.focused_rep()
        if rep is not None:
            self.post_message(CoachRep(rep))

    def action_brief(self) -> None:
        rep = self.focused_rep()
        if rep is not None:
            self.post_message(ShowBrief(rep))

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
        if self.roster is None:
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
        roster = self.roster
        if not roster.rows:
            status.update(EMPTY_HELP)
            return
        scope = f"{self.scope}'s team" if self.scope else "all teams"
        money = f" · {roster.currency}" if roster.currency else ""
        label = next(c.label for c in COLUMNS if c.key == self.sort_key)
        arrow = "▼" if self.sort_reverse else "▲"
        status.update(
            literal(
                f"{formatting.counted(len(self.shown), 'rep')}, {scope} · {roster.days} days to "
                f"{roster.as_of_date:%d %b}{money} · sort: {label} {arrow} · {BELOW} below team"
            )
        )

    async def action_filter(self) -> None:
        box = self.filter_box()
        if box is None:
            box = Input(placeholder=FILTER_PLACEHOLDER, id="roster-filter")
            await self.mount(box, before=self.query_one(RosterTable))
        box.display = True
        box.focus()

    @on(Input.Changed, "#roster-filter")
    def _filter_changed(self) -> None:
        if self._refilter is not None:
            self._refilter.stop()
        self._refilter = self.set_timer(FILTER_PAUSE_SECONDS, self._apply_filter)

    def _apply_filter(self) -> None:
        """Refill the table for the filter typed, unless it shows it already."""
        if self._refilter is not None:
            self._refilter.stop()
            self._refilter = None
        if self._wanted() != self.filtered_by:
            self._fill()

    @on(Input.Submitted, "#roster-filter")
    def _filter_done(self) -> None:
        self._apply_filter()
        self.query_one(VimTable).focus()

    def action_clear_filter(self) -> None:
        box = self.filter_box()
        if box is not None:
            box.value = ""
            self._apply_filter()
            box.display = False
        self.query_one(VimTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(RepChosen(event.row_key.value))
