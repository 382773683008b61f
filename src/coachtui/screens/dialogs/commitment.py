"""`a` in a session: a new commitment with its owner and due date; `enter` on
one made in the session edits it. A due date in the past, and deleting one,
ask first."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from coachtui.coaching.commitments import parse_due
from coachtui.coaching.records import Commitment
from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.widgets.key_footer import KeyFooter
from coachtui.text import day


class ConfirmDialog(ModalScreen[bool]):
    """A yes-or-no question: y or the first button says yes; n, escape or the
    second button (focused: enter keeps things as they are) says no."""

    BINDINGS = keys.CONFIRM

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body", classes="dialog") as body:
            body.border_title = "Are you sure?"
            yield Static(literal(self.question))
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button(f"{self.no} (n)", id="no")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class CommitmentDialog(ModalScreen[tuple[str, str, dt.date] | None]):
    BINDINGS = keys.COMMITMENT

    def __init__(self, rep: str, today: dt.date, commitment: Commitment | None = None) -> None:
        super().__init__()
        self.rep = rep
        self.today = today
        self.commitment = commitment  # None: a new one

    def compose(self) -> ComposeResult:
        before = self.commitment
        with Vertical(id="commitment-body", classes="dialog") as body:
            body.border_title = "New commitment" if before is None else "Edit commitment"
            yield Label("What will be done")
            yield Input(
                before.text if before else "",
                placeholder="e.g. book a meeting with the CFO",
                id="commitment-text",
            )
            yield Label("Who")
            yield Select(
                [(self.rep, "rep"), ("me (manager)", "manager")],
                value=before.owner if before else "rep",
                allow_blank=False,
                id="commitment-owner",
            )
            yield Label("Due: fri, +7d or 2026-12-04 (blank: next session)")
            due = before.due_date.isoformat() if before and before.due_date else ""
            yield Input(due, id="commitment-due")
            yield Static(id="commitment-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add" if before is None else "Save", variant="primary", id="add")
                yield Button("Cancel", id="cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#commitment-text", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def add(self) -> None:
        text = self.query_one("#commitment-text", Input).value.strip()
        error = self.query_one("#commitment-error", Static)
        if not text:
            error.update(Text("Say what will be done.", style="bold red"))
            return
        try:
            due = parse_due(self.query_one("#commitment-due", Input).value, self.today)
        except ValueError as exc:
            error.update(Text(str(exc), style="bold red"))
            return
        owner = str(self.query_one("#commitment-owner", Select).value)
        if due >= self.today:
            self.dismiss((text, owner, due))
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.dismiss((text, owner, due))

        question = f"Due {day(due)} {due.year} is in the past. Save it with that date anyway?"
        self.app.push_screen(ConfirmDialog(question, yes="Save", no="Change it"), confirmed)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
