"""The Review, Coach and History tabs, as far as the data allows today."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from coachtui.models import RosterRow


class ReviewPane(Static):
    """One rep's deal review. Metrics, benchmarks and the diagnosis come next."""

    rep: reactive[RosterRow | None] = reactive(None)

    def render(self) -> Text:
        if self.rep is None:
            return Text("Pick a rep on the Roster (enter) to review their deals.")
        text = Text()
        text.append(self.rep.rep, style="bold")
        text.append(f"  ({self.rep.manager or 'no manager'})\n\n")
        text.append(f"Open deals: {self.rep.open_deals}\nClosed deals: {self.rep.closed_deals}\n\n")
        text.append(
            "Metric cards against the team, trends, stage conversion, stalled deals "
            "and the coaching diagnosis will show here.",
            style="dim",
        )
        return text


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
