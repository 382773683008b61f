"""The Coach and History tabs, until the coaching session lands."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class CoachPane(Static):
    def render(self) -> Text:
        return Text(
            "The live coaching session: last week's commitments, the checklist of the four "
            "coaching areas, notes that save as you type, ratings and new commitments.",
            style="dim",
        )


class HistoryPane(Static):
    def render(self) -> Text:
        return Text(
            "Past sessions per rep, commitments kept, ratings over time and export.",
            style="dim",
        )
