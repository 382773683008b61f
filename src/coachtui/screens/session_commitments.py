"""The commitments made in a live session, for the Coach tab: `a` adds one,
listed at once under last week's; `enter` on one edits it, `delete` removes
it once the manager says yes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import DataTable

from coachtui.coaching import commitments
from coachtui.coaching.records import Commitment
from coachtui.screens.dialogs.commitment import CommitmentDialog, ConfirmDialog
from coachtui.screens.widgets.checklist import Checklist
from coachtui.screens.widgets.commitment_lists import MadeTable
from coachtui.text import day

if TYPE_CHECKING:
    from collections.abc import Callable

    from coachtui.coaching.sessions import LiveSession
    from coachtui.screens.autosave import Autosave
    from coachtui.store import Store

STILL_SAVING = "This commitment is still being saved: try again in a moment."


class CommitmentSaved(Message, bubble=False):
    """A commitment made in the session, written: now it has its id."""

    def __init__(self, made: Commitment, saved: Commitment) -> None:
        super().__init__()
        self.made, self.saved = made, saved


class SessionCommitments:
    """The Coach tab's part for commitments (a mixin: the pane has `state`,
    `autosave` and `today`)."""

    state: LiveSession | None
    autosave: Autosave
    today: dt.date | None

    go_on: Callable[[], bool]  # from the brief on to the checklist

    def action_add_commitment(self) -> None:
        if self.state is None:
            return
        self.go_on()

        def added(result: tuple[str, str, dt.date] | None) -> None:
            if result:
                self.add_commitment(*result)

        self.app.push_screen(CommitmentDialog(self.state.session.rep, self._today()), added)

    def _today(self) -> dt.date:
        return self.today or dt.date.today()

    def add_commitment(self, text: str, owner: str, due: dt.date) -> None:
        """Listed at once; written on the autosave's worker, once only even when
        the write is tried again, and then known by its id."""
        if self.state is None:
            return
        session_id, rep = self.state.session.id, self.state.session.rep
        made = Commitment(session_id=session_id, rep=rep, text=text, owner=owner, due_date=due)
        self.state.made.append(made)
        self.query_one(Checklist).fill_made()
        saved: list[Commitment] = []

        def write(store: Store) -> None:
            if not saved:
                saved.append(commitments.add_commitment(store, session_id, rep, text, owner, due))
                self.post_message(CommitmentSaved(made, saved[0]))

        self.autosave.put(f"new-commitment:{id(made)}", write, at_once=True)
        self.notify(f"Commitment added, due {day(due)}")

    def on_commitment_saved(self, message: CommitmentSaved) -> None:
        if self.state is None:
            return
        self.state.made = [message.saved if c is message.made else c for c in self.state.made]

    def _saved_made(self, index: int) -> Commitment | None:
        """The commitment on that row, once it is saved."""
        if self.state is None or index >= len(self.state.made):
            return None
        made = self.state.made[index]
        if made.id is None:
            self.notify(STILL_SAVING, severity="warning")
            return None
        return made

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """enter on a commitment made in this session: edit it."""
        if not isinstance(event.data_table, MadeTable):
            return
        event.stop()
        made = self._saved_made(event.cursor_row)
        if made is None:
            return

        def edited(result: tuple[str, str, dt.date] | None) -> None:
            if not result or self.state is None or made not in self.state.made:
                return
            text, owner, due = result
            index = self.state.made.index(made)
            self.state.made[index] = replace(made, text=text, owner=owner, due_date=due)
            self.query_one(Checklist).fill_made()
            self.autosave.put(
                f"edit-commitment:{made.id}",
                lambda store: commitments.edit_commitment(store, made.id, text, owner, due),
                at_once=True,
            )

        dialog = CommitmentDialog(made.rep, self._today(), made)
        self.app.push_screen(dialog, edited)

    def on_made_table_delete_asked(self, message: MadeTable.DeleteAsked) -> None:
        made = self._saved_made(message.index)
        if made is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes or self.state is None or made not in self.state.made:
                return
            self.state.made.remove(made)
            self.query_one(Checklist).fill_made()
            self.autosave.put(
                f"delete-commitment:{made.id}",
                lambda store: commitments.delete_commitment(store, made.id),
                at_once=True,
            )
            self.notify("Commitment deleted")

        question = f"Delete the commitment “{made.text}”?"
        self.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep it"), confirmed)
