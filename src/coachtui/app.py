"""The Textual app: tabs for Roster, Review, Coach and History over one Store."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from coachtui.models import RosterRow
from coachtui.screens.help import HelpScreen
from coachtui.screens.import_dialog import ImportDialog
from coachtui.screens.roster import RosterPane
from coachtui.screens.upcoming import CoachPane, HistoryPane, ReviewPane
from coachtui.store import Store

TABS = (("roster", "Roster"), ("review", "Review"), ("coach", "Coach"), ("history", "History"))


class CoachApp(App[None]):
    """coachtui: from deal review to deal coaching."""

    CSS_PATH = "coachtui.tcss"
    TITLE = "coachtui"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit.ctrl"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        *(
            Binding(str(n), f"show_tab('{tab}')", label, show=False, id=f"tab.{tab}")
            for n, (tab, label) in enumerate(TABS, start=1)
        ),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.reps: list[RosterRow] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with TabbedContent(initial="roster"):
            with TabPane("1 Roster", id="roster"):
                yield RosterPane()
            with TabPane("2 Review", id="review"):
                yield ReviewPane()
            with TabPane("3 Coach", id="coach"):
                yield CoachPane()
            with TabPane("4 History", id="history"):
                yield HistoryPane()
        yield Footer()

    def on_roster_pane_loaded(self, message: RosterPane.Loaded) -> None:
        self.reps = message.rows

    def on_roster_pane_rep_chosen(self, message: RosterPane.RepChosen) -> None:
        self.open_review(message.rep)

    def open_review(self, rep: RosterRow) -> None:
        self.query_one(ReviewPane).rep = rep
        self.action_show_tab("review")

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_import(self) -> None:
        self.push_screen(ImportDialog(self.store.path), self._after_import)

    def _after_import(self, imported: bool | None) -> None:
        if imported:
            self.query_one(RosterPane).reload()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Import a CRM export", "Load deals, reps, history or activities", self.action_import
        )
        for tab, label in TABS:
            yield SystemCommand(
                f"Go to {label}",
                f"Switch to the {label} tab",
                lambda t=tab: self.action_show_tab(t),
            )
        for rep in self.reps:
            yield SystemCommand(
                f"Rep: {rep.rep}",
                f"Open {rep.rep}'s review ({rep.manager or 'no manager'})",
                lambda r=rep: self.open_review(r),
            )
