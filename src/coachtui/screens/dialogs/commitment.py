"""`a` in a session: a new commitment with its owner and due date."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from coachtui.coaching.commitments import parse_due
from coachtui.screens import keys


class CommitmentDialog(ModalScreen[tuple[str, str, dt.date] | None]):
    BINDINGS = keys.COMMITMENT

    def __init__(self, rep: str, today: dt.date) -> None:
        super().__init__()
        self.rep = rep
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="commitment-body", classes="dialog") as body:
            body.border_title = "New commitment"
            yield Label("What will be done")
            yield Input(placeholder="e.g. book a meeting with the CFO", id="commitment-text")
            yield Label("Who")
            yield Select(
                [(self.rep, "rep"), ("me (manager)", "manager")],
                value="rep",
                allow_blank=False,
                id="commitment-owner",
            )
            yield Label("Due: fri, +7d or 2026-12-04 (blank: next session)")
            yield Input(id="commitment-due")
            yield Static(id="commitment-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")
        yield Footer()

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
        self.dismiss((text, owner, due))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
