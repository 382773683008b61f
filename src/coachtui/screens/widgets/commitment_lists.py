"""The Coach tab's two lists of commitments: those from earlier sessions, to
mark, and those made now, to edit or delete; how their rows speak of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message

from coachtui.coaching.statuses import CommitmentStatus
from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.widgets.table import VimTable
from coachtui.text import day, elide

if TYPE_CHECKING:
    from coachtui.coaching.records import Commitment


class MadeTable(VimTable):
    """The commitments made in this session: enter edits one, delete removes it."""

    BINDINGS = keys.MADE

    class DeleteAsked(Message):
        """delete on a commitment made in this session (it asks first)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def action_delete_commitment(self) -> None:
        if self.row_count:
            self.post_message(self.DeleteAsked(self.cursor_row))


def owner_word(owner: str, rep: str) -> str:
    """Who keeps a commitment, as the table says it: the rep's first name, or "me"."""
    return "me" if owner == "manager" else (rep.split() or [rep])[0]


def status_mark(status: CommitmentStatus) -> str:
    return "[ ]" if status is CommitmentStatus.OPEN else f"[{status}]"


def review_row(commitment: Commitment, text_width: int) -> tuple[Text, ...]:
    """A commitment from an earlier session: its status, then as `made_row`."""
    return (Text(status_mark(commitment.status)), *made_row(commitment, text_width))


def made_row(commitment: Commitment, text_width: int) -> tuple[Text, ...]:
    """Its due day, who keeps it, and its text cut to `text_width`."""
    due = day(commitment.due_date) if commitment.due_date else "-"
    return (
        Text(due),
        literal(owner_word(commitment.owner, commitment.rep)),
        literal(elide(commitment.text, text_width)),
    )


def in_full(commitment: Commitment, made_now: bool) -> Text:
    """A commitment whole, as its row has no room for it: when it was made,
    what, who keeps it and by when. `Made Fri 20 Nov: Send the ROI sheet
    (Emma, due Thu 03 Dec)`."""
    if made_now:
        made = "Made now"
    else:
        made = f"Made {day(commitment.made_on)}" if commitment.made_on else "Made earlier"
    due = f"due {day(commitment.due_date)}" if commitment.due_date else "no due date"
    text = Text(f"{made}: ", style="bold")
    text.append_text(literal(commitment.text, style="bold"))
    return text.append_text(literal(f" ({owner_word(commitment.owner, commitment.rep)}, {due})"))
