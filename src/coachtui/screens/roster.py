"""The Roster tab: every rep of the team at a glance."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from coachtui.models import RosterRow
from coachtui.store import Store
from coachtui.widgets.table import VimTable

EMPTY_HELP = """\
No deals or reps yet.

Import your CRM export (CSV) from a shell:

  coachtui import reps  reps.csv       (optional: who reports to whom)
  coachtui import deals deals.csv      (Salesforce, HubSpot, Pipedrive or any CSV)

or press ctrl+p and choose "Import a CRM export".

To look around first, run:  coachtui demo
"""

COLUMNS = (
    ("Rep", "rep"),
    ("Manager", "manager"),
    ("Open deals", "open"),
    ("Closed deals", "closed"),
)


class RosterPane(Vertical):
    """The rep list, filled in by a worker so the tab paints at once."""

    class Loaded(Message):
        def __init__(self, rows: list[RosterRow]) -> None:
            super().__init__()
            self.rows = rows

    class RepChosen(Message):
        def __init__(self, rep: RosterRow) -> None:
            super().__init__()
            self.rep = rep

    def compose(self) -> ComposeResult:
        yield Static("Loading the team...", id="roster-status")
        table = VimTable(id="roster-table")
        for label, key in COLUMNS:
            table.add_column(label, key=key)
        yield table

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._load(self.app.store.path)

    @work(thread=True, exclusive=True, group="roster")
    def _load(self, path) -> None:
        with Store.open(path) as store:
            rows = store.roster()
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[RosterRow]) -> None:
        self.rows = {row.rep: row for row in rows}
        table = self.query_one(VimTable)
        table.clear()
        for row in rows:
            table.add_row(
                Text(row.rep),
                Text(row.manager or "-"),
                Text(str(row.open_deals), justify="right"),
                Text(str(row.closed_deals), justify="right"),
                key=row.rep,
            )
        status = self.query_one("#roster-status", Static)
        if rows:
            status.update(f"{len(rows)} reps. Enter opens a rep; ctrl+p jumps to one.")
            table.display = True
            table.focus()
        else:
            status.update(EMPTY_HELP)
            table.display = False
        self.set_class(not rows, "empty")
        self.post_message(self.Loaded(rows))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.RepChosen(self.rows[event.row_key.value]))
