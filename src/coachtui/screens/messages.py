"""What the panes tell the app, and each other.

A pane posts a message; it bubbles up to the app, which routes it to the pane
that does the work (`CoachApp.on_...`). No pane calls a method of the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    import polars as pl
    from rich.text import Text

    from coachtui.coaching.brief import Brief
    from coachtui.coaching.deal_work import OpenDeal
    from coachtui.coaching.overview import RepCoaching
    from coachtui.coaching.records import SessionRecord
    from coachtui.review.metrics import DealData
    from coachtui.review.roster_cache import Roster
    from coachtui.review.team import TeamReview


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


class ShowBrief(Message):
    """Show this rep's brief (b on the Roster or Review)."""

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


# -- what the workers found ---------------------------------------------------


class TeamLoaded(Message):
    """The team computed: the deals, the review, the roster and who was coached,
    and the version of the data it was computed from (roster_cache.data_version)."""

    def __init__(
        self,
        data: DealData,
        review: TeamReview,
        roster: Roster,
        overview: dict[str, RepCoaching],
        version: str,
    ) -> None:
        super().__init__()
        self.data, self.review, self.roster, self.overview = data, review, roster, overview
        self.version = version


class ReviewDetails(Message, bubble=False):
    """The rep's weekly trends and stalled deals, for the Review tab."""

    def __init__(
        self,
        rep: str,
        trends: dict[str, list[float | None]],
        stalled: pl.DataFrame,
        names: dict[str, tuple[str | None, str | None]],
        currency: str | None,
        currencies: list[str],
    ) -> None:
        super().__init__()
        self.rep, self.trends, self.stalled, self.names = rep, trends, stalled, names
        self.currency, self.currencies = currency, currencies


class HistoryLoaded(Message, bubble=False):
    """The sessions of one rep (None: of every rep), for the History tab."""

    def __init__(self, rep: str | None, sessions: list[SessionRecord]) -> None:
        super().__init__()
        self.rep, self.sessions = rep, sessions


class BriefRead(Message, bubble=False):
    """A rep's brief, built on a worker."""

    def __init__(self, brief: Brief) -> None:
        super().__init__()
        self.brief = brief


class DealsLoaded(Message, bubble=False):
    """The rep's open deals (stalled first), and the work on each."""

    def __init__(self, deals: list[OpenDeal], works: dict[str, dict]) -> None:
        super().__init__()
        self.deals, self.works = deals, works


class ImportDone(Message, bubble=False):
    """What an import from the dialog did, or why it was refused."""

    def __init__(self, text: Text, imported: bool) -> None:
        super().__init__()
        self.text, self.imported = text, imported


class ShowTab(Message):
    """Bring this tab to the front (roster, review, coach, history)."""

    def __init__(self, tab: str) -> None:
        super().__init__()
        self.tab = tab


class SessionEnded(Message):
    """A session ended: its summary, the History tab, the roster's columns.
    `session` None: nothing was said in it, and it was not kept."""

    def __init__(self, session_id: int, rep: str, session: SessionRecord | None) -> None:
        super().__init__()
        self.session_id, self.rep, self.session = session_id, rep, session


class SessionCopied(Message, bubble=False):
    """The session so far as Markdown, for the clipboard."""

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown
