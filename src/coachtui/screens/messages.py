"""What the panes tell the app, and each other.

A pane posts a message; it bubbles up to the app, which routes it to the pane
that does the work (`CoachApp.on_...`). No pane calls a method of the app.
"""

from __future__ import annotations

from textual.message import Message


class RepChosen(Message):
    """Open this rep's review (enter on the roster, the command palette)."""

    def __init__(self, rep: str) -> None:
        super().__init__()
        self.rep = rep


class CoachRep(Message):
    """Coach this rep: their unfinished session, or a new one (c)."""

    def __init__(self, rep: str) -> None:
        super().__init__()
        self.rep = rep


class StepRep(Message):
    """Review the next (1) or previous (-1) rep in the roster's order."""

    def __init__(self, step: int) -> None:
        super().__init__()
        self.step = step


class CycleWindow(Message):
    """Compute the team again over the next window of days."""
