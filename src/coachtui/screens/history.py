"""The History tab: past sessions, commitments kept, ratings over time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from coachtui.areas import COACHING_AREAS
from coachtui.coaching import records
from coachtui.coaching.records import SessionRecord, kept_rate
from coachtui.screens import keys
from coachtui.screens.dialogs.summary import SessionSummary
from coachtui.screens.literal import literal
from coachtui.screens.messages import HistoryLoaded
from coachtui.screens.widgets.table import VimTable
from coachtui.screens.workers import run_on_store

if TYPE_CHECKING:
    from pathlib import Path

    from coachtui.coaching.playbook import Playbook
    from coachtui.store import Store

SHORT = {"targeting": "T", "messaging": "M", "dollarizing": "D", "multi_stakeholder": "S"}


def ratings_over_time(sessions: list[SessionRecord]) -> Text:
    text = Text()
    for area in COACHING_AREAS:
        values = [str(s.ratings[area]) for s in sessions if area in s.ratings]
        text.append(f"{area.label:<26}", style="bold")
        text.append(" -> ".join(values) if values else "not rated yet")
        text.append("\n")
    return text


class HistoryPane(Vertical):
    BINDINGS = keys.HISTORY

    def __init__(self, db_path: Path, playbook: Playbook) -> None:
        super().__init__()
        self.db_path = db_path
        self.playbook = playbook
        self.rep: str | None = None
        self.all_reps = False
        self.sessions: list[SessionRecord] = []

    def compose(self) -> ComposeResult:
        yield Static("No coaching sessions yet.", id="history-status")
        table = VimTable(id="history-table")
        for label in ("Date", "Rep", "Min", "Focus", "Ratings", "Made", "Kept"):
            table.add_column(label, key=label.lower())
        yield table
        yield Static(id="history-ratings")

    def show_rep(self, rep: str | None) -> None:
        self.rep = rep
        self.reload()

    def action_toggle_scope(self) -> None:
        self.all_reps = not self.all_reps
        self.reload()

    def reload(self) -> None:
        rep, playbook = None if self.all_reps else self.rep, self.playbook

        def read(store: Store) -> HistoryLoaded:
            return HistoryLoaded(rep, records.sessions(store, playbook, rep))

        run_on_store(self, self.db_path, read, group="history")

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        rep, sessions = message.rep, message.sessions
        self.sessions = list(reversed(sessions))
        table = self.query_one("#history-table", VimTable)
        table.clear()
        for index, record in enumerate(self.sessions):
            s, made = record.session, len(record.commitments)
            kept, reviewed = kept_rate([record])
            table.add_row(
                Text(f"{s.started_at:%Y-%m-%d}" + ("" if s.finished else " *")),
                literal(s.rep),
                Text("-" if s.minutes is None else str(s.minutes), justify="right"),
                Text(s.area.label if s.area else "-"),
                Text(" ".join(f"{SHORT[a]}{r}" for a, r in record.ratings.items())),
                Text(str(made), justify="right"),
                Text(f"{kept}/{reviewed}" if reviewed else "-", justify="right"),
                key=str(index),
            )
        kept, reviewed = kept_rate(sessions)
        who = rep or "all reps"
        rate = (
            f"{kept / reviewed:.0%} of {reviewed} commitments kept"
            if reviewed
            else "no commitments reviewed yet"
        )
        count = f"{len(sessions)} session" + ("" if len(sessions) == 1 else "s")
        status = f"{count}, {who}: {rate}. * unfinished. a: all reps / this rep"
        self.query_one("#history-status", Static).update(
            literal(status if sessions else f"No sessions for {who} yet.")
        )
        self.query_one("#history-ratings", Static).update(
            ratings_over_time(sessions) if rep and sessions else ""
        )

    @on(DataTable.RowSelected, "#history-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        session = self.sessions[int(event.row_key.value)]
        self.app.push_screen(SessionSummary(session, heading="Session (read-only)"))
