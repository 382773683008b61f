"""One session on one screen, with a copy for the CRM: shown when a session
ends, and for a past session picked on the History tab."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from coachtui.coaching import export
from coachtui.coaching.records import ChecklistItem, DealDiscussed, SessionRecord
from coachtui.screens import keys
from coachtui.screens.clipboard import copy
from coachtui.screens.literal import literal
from coachtui.screens.widgets.key_footer import KeyFooter


def deal_text(deal: DealDiscussed) -> Text:
    """A deal discussed: its cost of inaction, the value questions answered,
    its buying influences and what was learned, one a line."""
    text = literal(f"  - {deal.title}: ")
    text.append(export.cost_of_inaction(deal) + "\n")
    for answer in deal.value_answers:
        text.append_text(literal(f"    {export.value_answer_text(*answer)}\n"))
    for influence in deal.influences:
        text.append_text(literal(f"    {export.influence_text(influence)}\n"))
    if not deal.influences:
        text.append("    no buying influences named\n")
    learned = deal.notes.strip().splitlines()
    for n, line in enumerate(learned):
        text.append_text(literal(f"    {'learned: ' if n == 0 else '  '}{line}\n"))
    return text


def checklist_text(item: ChecklistItem) -> Text:
    """A question marked or answered: [x] when asked, its answer below it."""
    text = literal(f"  [{'x' if item.asked else ' '}] {item.question}\n")
    for line in item.notes.strip().splitlines():
        text.append_text(literal(f"      {line}\n"))
    return text


def summary_text(record: SessionRecord) -> Text:
    """Areas covered, ratings, the questions asked and answered, commitments,
    the deals discussed and duration."""
    session = record.session
    text = literal(session.rep, style="bold")
    minutes = session.minutes
    text.append(
        f"  ·  {session.started_at:%Y-%m-%d}  ·  {minutes} min\n\n"
        if minutes is not None
        else "\n\n"
    )
    covered = sorted({item.area for item in record.checklist if item.asked and item.area})
    text.append("Areas covered: ", style="bold")
    text.append(", ".join(a.label for a in covered) if covered else "none marked")
    text.append("\nRatings: ", style="bold")
    text.append(", ".join(f"{a.label} {r}/5" for a, r in record.ratings.items()) or "none")
    text.append("\n")
    said = [item for item in record.checklist if item.asked or item.notes.strip()]
    if said:
        text.append("\nChecklist\n", style="bold")
        for item in said:
            text.append_text(checklist_text(item))
    text.append("\nCommitments\n", style="bold")
    for c in record.commitments:
        due = f", due {c.due_date}" if c.due_date else ""
        text.append_text(literal(f"  - {c.text} ({c.owner}{due})\n"))
    if not record.commitments:
        text.append("  - none\n")
    if record.deals:
        # a deal's cost of inaction, value answers and buying influences are the
        # deal's own, worked on in every session that takes it up: as they are now
        text.append("\nDeals discussed", style="bold")
        text.append(" (cost, answers and buyers as they stand now)\n", style="dim")
        for deal in record.deals:
            text.append_text(deal_text(deal))
    if record.reviewed:
        text.append("\nLast commitments\n", style="bold")
        for c in record.reviewed:
            text.append_text(literal(f"  - {c.status}: {c.text}\n"))
    if session.notes.strip():
        text.append("\nNotes\n", style="bold")
        text.append_text(literal(session.notes.strip() + "\n"))
    return text


class SessionSummary(ModalScreen[None]):
    BINDINGS = keys.SUMMARY

    def __init__(self, session: SessionRecord, heading: str = "Session ended") -> None:
        super().__init__()
        self.session = session
        self.heading = heading

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-body", classes="dialog") as body:
            body.border_title = self.heading
            yield Static(summary_text(self.session))
        yield KeyFooter()

    def action_copy(self) -> None:
        copy(self, export.as_markdown([self.session], escaped=False))
