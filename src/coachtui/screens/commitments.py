"""The Commitments tab: the team's open commitments, overdue first, to mark
kept or missed between calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from coachtui.coaching import commitments, records
from coachtui.coaching.overview import RepCoaching, coaching_overview
from coachtui.coaching.records import Commitment
from coachtui.coaching.statuses import CommitmentStatus
from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.widgets.table import VimTable
from coachtui.screens.workers import run_on_store
from coachtui.text import day

if TYPE_CHECKING:
    from pathlib import Path

    from coachtui.store import Store

COLUMNS = ("State", "Due", "Rep", "Owner", "From", "Commitment")
OVERDUE = "OVERDUE"


class CommitmentsLoaded(Message, bubble=False):
    """The team's open commitments, overdue first, and the day of each session."""

    def __init__(self, listed: list[Commitment], started: dict[int, dt.date]) -> None:
        super().__init__()
        self.listed, self.started = listed, started


class CommitmentMarked(Message, bubble=False):
    """A commitment as it stands after `space` (None: deleted meanwhile), and
    the roster's coaching columns after it."""

    def __init__(
        self, commitment_id: int, commitment: Commitment | None, overview: dict[str, RepCoaching]
    ) -> None:
        super().__init__()
        self.commitment_id, self.commitment, self.overview = commitment_id, commitment, overview


class CommitmentsMarked(Message):
    """Commitments were marked: the roster's counts of open and late ones move."""

    def __init__(self, overview: dict[str, RepCoaching]) -> None:
        super().__init__()
        self.overview = overview


def state_text(commitment: Commitment, today: dt.date) -> Text:
    """The state in words (never colour alone), with the day it last changed."""
    if commitment.overdue(today):
        return Text(OVERDUE, style="bold red")
    marked = f" {commitment.marked_on:%d %b}" if commitment.marked_on else ""
    return Text(f"{commitment.status}{marked}")


def read_open(store: Store, team: frozenset[str] | None, today: dt.date) -> CommitmentsLoaded:
    """On a worker: the open commitments of the team (None: of everyone)."""
    listed = [c for c in records.open_commitments(store) if team is None or c.rep in team]
    started = {s.id: s.started_at.date() for s in records.coaching_sessions(store)}
    return CommitmentsLoaded(records.overdue_first(listed, today), started)


class CommitmentsPane(Vertical):
    """Read again each time the tab is shown and after a session ends; a row
    marked here stays on the list, with its new state, until then."""

    BINDINGS = keys.COMMITMENTS

    def __init__(self, db_path: Path, today: dt.date | None) -> None:
        super().__init__()
        self.db_path, self.fixed_today = db_path, today
        self.team_known = False  # the manager's team comes with the team's numbers
        self.team: frozenset[str] | None = None  # None: every rep
        self.who = "all teams"
        self.listed: list[Commitment] = []
        self.started: dict[int, dt.date] = {}
        self.wanted: dict[int, CommitmentStatus] = {}  # what space last asked for
        self.writing: set[int] = set()

    @property
    def today(self) -> dt.date:
        return self.fixed_today or dt.date.today()

    def compose(self) -> ComposeResult:
        yield Static("Loading the team...", id="team-commitments-status")
        table = VimTable(id="team-commitments-table")
        for label in COLUMNS:
            table.add_column(label, key=label.lower())
        yield table
        yield Static(id="team-commitments-detail")

    def use_team(self, scope: str | None, reps: Collection[str]) -> None:
        """The manager's team (every rep when no manager is chosen); the list
        is read again when the team changed."""
        team = None if scope is None else frozenset(reps)
        if self.team_known and team == self.team:
            return
        self.team_known, self.team = True, team
        self.who = f"{scope}'s team" if scope else "all teams"
        self.reload()

    def reload(self) -> None:
        if not self.team_known:
            return  # use_team reads the list
        team, today = self.team, self.today

        def read(store: Store) -> CommitmentsLoaded:
            return read_open(store, team, today)

        run_on_store(self, self.db_path, read, group="commitments")

    def on_commitments_loaded(self, message: CommitmentsLoaded) -> None:
        table = self.query_one(VimTable)
        current = self._highlighted()
        self.listed, self.started = message.listed, message.started
        table.clear()
        for commitment in self.listed:
            table.add_row(*self._cells(commitment), key=str(commitment.id))
        ids = [c.id for c in self.listed]
        if current is not None and current.id in ids:
            table.move_cursor(row=ids.index(current.id))
        self._say_status()
        self._show_detail()

    def _cells(self, commitment: Commitment) -> list[Text]:
        due, session_day = commitment.due_date, self.started.get(commitment.session_id)
        return [
            state_text(commitment, self.today),
            Text(day(due) if due else "-"),
            literal(commitment.rep),
            Text(commitment.owner),
            Text(f"{session_day:%d %b}" if session_day else "-"),
            literal(commitment.text),
        ]

    def _say_status(self) -> None:
        still = sum(c.still_open for c in self.listed)
        late = sum(c.overdue(self.today) for c in self.listed)
        status = (
            f"{still} open, {late} {OVERDUE.lower()} · {self.who} · space: kept / missed / open"
            if self.listed
            else f"No open commitments, {self.who}."
        )
        self.query_one("#team-commitments-status", Static).update(literal(status))

    def _highlighted(self) -> Commitment | None:
        table = self.query_one(VimTable)
        if not self.listed or table.cursor_row >= len(self.listed):
            return None
        return self.listed[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted commitment in full: the table cuts long ones."""
        commitment = self._highlighted()
        detail = self.query_one("#team-commitments-detail", Static)
        if commitment is None:
            detail.update("")
            return
        text = literal(commitment.rep, style="bold")
        text.append_text(literal(f": {commitment.text}\n"))
        session_day = self.started.get(commitment.session_id)
        if session_day:
            text.append(f"from the session of {day(session_day)}")
        if commitment.due_date:
            text.append(f" · due {day(commitment.due_date)}")
        if commitment.marked_on:
            text.append(f" · {commitment.status} since {day(commitment.marked_on)}")
        detail.update(text)

    def action_mark(self) -> None:
        """Kept, missed, open again: written on a worker; a second press while
        the first is written is written after it."""
        commitment = self._highlighted()
        if commitment is None or commitment.id is None:
            return
        now = self.wanted.get(commitment.id, commitment.status)
        self.wanted[commitment.id] = commitments.next_mark(now)
        if commitment.id not in self.writing:
            self._write(commitment.id)

    def _write(self, commitment_id: int) -> None:
        self.writing.add(commitment_id)
        status, today = self.wanted[commitment_id], self.today

        def mark(store: Store) -> CommitmentMarked:
            commitments.mark_commitment(store, commitment_id, status)
            now = records.commitment(store, commitment_id)
            return CommitmentMarked(commitment_id, now, coaching_overview(store, today))

        run_on_store(self, self.db_path, mark, group=f"mark-{commitment_id}", exclusive=False)

    def on_commitment_marked(self, message: CommitmentMarked) -> None:
        commitment_id, commitment = message.commitment_id, message.commitment
        self.writing.discard(commitment_id)
        if commitment is not None and self.wanted.get(commitment_id) != commitment.status:
            self._write(commitment_id)  # space was pressed again meanwhile
            return
        self.wanted.pop(commitment_id, None)
        self.post_message(CommitmentsMarked(message.overview))
        index = next((n for n, c in enumerate(self.listed) if c.id == commitment_id), None)
        if commitment is None or index is None:
            return
        self.listed[index] = commitment
        table = self.query_one(VimTable)
        state = state_text(commitment, self.today)
        table.update_cell(str(commitment_id), "state", state, update_width=True)
        self._say_status()
        self._show_detail()
