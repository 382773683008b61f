"""The brief before a one-on-one, on screen: `coachtui brief REP`'s text,
built on a worker and shown as plain text (CRM text is never markup)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.messages import BriefRead
from coachtui.screens.workers import run_on_store

if TYPE_CHECKING:
    from pathlib import Path

    from coachtui.coaching.brief import Brief
    from coachtui.review.metrics import DealData
    from coachtui.review.team import TeamReview
    from coachtui.settings import Settings
    from coachtui.store import Store


class BriefView(VerticalScroll):
    """A rep's brief, wrapped to the width it has; arrows, j/k and the page
    keys scroll it."""

    BINDINGS = keys.BRIEF_SCROLL

    def __init__(self, db_path: Path, **kwargs) -> None:
        super().__init__(can_focus=True, **kwargs)
        self.db_path = db_path
        self.brief: Brief | None = None
        self.rep: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="brief-text")

    def load(self, rep: str, review: TeamReview, data: DealData, settings: Settings) -> None:
        """Build the rep's brief over the team as computed, off the UI thread."""
        self.rep, self.brief = rep, None
        self.query_one(".brief-text", Static).update(literal(f"Reading {rep}'s brief..."))
        self.scroll_home(animate=False)

        def build(store: Store) -> BriefRead:
            from coachtui.coaching.brief import build_brief  # polars: on the worker

            return BriefRead(build_brief(store, data, review, rep, settings))

        run_on_store(self, self.db_path, build, group="brief")

    def on_brief_read(self, message: BriefRead) -> None:
        if message.brief.rep == self.rep:
            self.brief = message.brief
            self._render_brief()

    def on_resize(self, event: events.Resize) -> None:
        self._render_brief()

    def _render_brief(self) -> None:
        from coachtui.coaching.brief import as_text

        if self.brief is not None:
            width = max(40, self.scrollable_content_region.width)
            text = as_text(self.brief, width=width).rstrip("\n")
            self.query_one(".brief-text", Static).update(literal(text))


class SessionBrief(BriefView):
    """The brief, first thing in a new session: enter or escape goes on to the
    checklist (so does any key of the session, which then acts)."""

    BINDINGS = keys.SESSION_BRIEF

    class Done(Message):
        """On to the checklist."""

    def action_go_on(self) -> None:
        self.post_message(self.Done())
