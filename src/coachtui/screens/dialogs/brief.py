"""`b` on the Roster or Review: the highlighted rep's brief, as
`coachtui brief REP` prints it, to read before the call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import ModalScreen

from coachtui.screens import keys
from coachtui.screens.widgets.brief import BriefView
from coachtui.screens.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from pathlib import Path

    from coachtui.review.metrics import DealData
    from coachtui.review.team import TeamReview
    from coachtui.settings import Settings


class BriefDialog(ModalScreen[None]):
    BINDINGS = keys.BRIEF

    def __init__(
        self,
        db_path: Path,
        rep: str,
        review: TeamReview,
        data: DealData,
        settings: Settings,
    ) -> None:
        super().__init__()
        self.db_path, self.rep = db_path, rep
        self.review, self.data, self.settings = review, data, settings

    def compose(self) -> ComposeResult:
        view = BriefView(self.db_path, id="brief-body", classes="dialog")
        view.border_title = "Brief"
        view.border_subtitle = "esc: close"
        yield view
        yield KeyFooter()

    def on_mount(self) -> None:
        view = self.query_one(BriefView)
        view.load(self.rep, self.review, self.data, self.settings)
        view.focus()
