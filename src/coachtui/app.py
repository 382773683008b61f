"""The Textual app: tabs for Roster, Review, Coach and History over one Store."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from coachtui.review.roster_cache import data_version, keep_roster, kept_roster, roster_of
from coachtui.screens import keys
from coachtui.screens.coach import CoachPane
from coachtui.screens.dialogs.help import HelpScreen, binding_ids
from coachtui.screens.dialogs.summary import SessionSummary
from coachtui.screens.dialogs.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmall
from coachtui.screens.history import HistoryPane
from coachtui.screens.messages import (
    CoachRep,
    RepChosen,
    SessionEnded,
    ShowTab,
    StepRep,
    TeamLoaded,
)
from coachtui.screens.rep_commands import RepCommands
from coachtui.screens.review import ReviewPane
from coachtui.screens.roster import RosterPane
from coachtui.screens.workers import failure, run_on_store
from coachtui.settings import Settings, playbook_path
from coachtui.store import Store

if TYPE_CHECKING:
    from coachtui.coaching.playbook import Playbook
    from coachtui.review.metrics import DealData
    from coachtui.review.team import TeamReview

WINDOWS = (30, 90, 180, 365)
HANG_UP_GRACE_SECONDS = 3


SIXTEEN_COLOUR_TERMS = ("linux", "vt100", "vt220", "ansi", "cons25")


def sixteen_colours(environ=os.environ) -> bool:
    """A console or terminal with the 16 ANSI colours only (TERM=linux and alike)."""
    term = environ.get("TERM", "")
    return term in SIXTEEN_COLOUR_TERMS or term.endswith("-16color")


class CoachApp(App[None]):
    """coachtui: from deal review to deal coaching."""

    CSS_PATH = "screens/coachtui.tcss"
    COMMANDS = App.COMMANDS | {RepCommands}
    TITLE = "coachtui"
    BINDINGS = keys.APP

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        manager: str | None = None,
        today: dt.date | None = None,
        playbook: Playbook | None = None,
        coach_rep: str | None = None,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings()
        # None: the shipped playbook with the user's, read once the roster is painted
        self.playbook = playbook
        self.coach_rep = coach_rep
        self.review_rep: str | None = None
        self.clock = clock
        self.scope = manager or self.settings.me
        self.today = today
        self.window = self.settings.window_days
        self.review: TeamReview | None = None
        self.data: DealData | None = None
        self.tabs_filled = False
        self.focus_by_tab: dict[str, Widget] = {}

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with TabbedContent(initial="roster"):
            with TabPane("1 Roster", id="roster"):
                yield RosterPane()
            # the other tabs are filled once the roster is on the screen
            yield TabPane("2 Review", id="review")
            yield TabPane("3 Coach", id="coach")
            yield TabPane("4 History", id="history")
        yield Footer()

    def on_mount(self) -> None:
        self._apply_look_and_keys()
        self._show_kept_roster()
        self.call_after_refresh(self._fill_other_tabs)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.hang_up)

    def _apply_look_and_keys(self) -> None:
        """The configured theme (ANSI colours on a 16-colour terminal) and keymap."""
        wanted = self.settings.theme
        if wanted and wanted not in self.available_themes:
            self.notify(
                f"theme {wanted!r} is not one of: {', '.join(sorted(self.available_themes))}",
                severity="warning",
                timeout=10,
                markup=False,
            )
            wanted = None
        self.theme = wanted or ("ansi-dark" if sixteen_colours() else "textual-dark")
        unknown = sorted(set(self.settings.keys) - binding_ids())
        if unknown:
            self.notify(
                f"keys: no binding named {', '.join(unknown)}; see the help (?) for the ids",
                severity="warning",
                timeout=10,
                markup=False,
            )
        self.set_keymap({k: v for k, v in self.settings.keys.items() if k not in unknown})

    def on_resize(self, event: events.Resize) -> None:
        too_small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmall)
        if too_small and not showing:
            self.push_screen(TooSmall())
        elif not too_small and showing:
            self.pop_screen()

    def hang_up(self) -> None:
        """The SSH connection dropped (SIGHUP) or the system asks us to stop:
        save what was typed and leave; reconnecting resumes the session.

        The terminal may be gone already, and Textual's shutdown can then block
        writing to it: the process ends by itself a few seconds later.
        """
        self._save_typing()
        deadline = threading.Timer(HANG_UP_GRACE_SECONDS, os._exit, args=(0,))
        deadline.daemon = True
        deadline.start()
        self.exit()

    def _save_typing(self) -> None:
        for pane in self.query(CoachPane):  # none in the moment before the tabs are filled
            pane.save_everything()

    async def _fill_other_tabs(self) -> None:
        """Mount the Review, Coach and History tabs, then compute the team: their
        widgets, the playbook (pydantic) and polars wait until the roster has
        been painted."""
        if self.playbook is None:
            from coachtui.coaching.playbook import load_playbook

            self.playbook, problems = load_playbook(playbook_path())
            for problem in problems:
                self.notify(problem, severity="warning", timeout=10, markup=False)
        for tab, pane in (
            ("review", ReviewPane(self.store.path)),
            ("coach", CoachPane(self.playbook, self.store.path, self.clock, self.today)),
            ("history", HistoryPane(self.store.path, self.playbook)),
        ):
            tab_pane = self.query_one(f"#{tab}", TabPane)
            if not tab_pane.is_attached:
                return  # the app is closing already: the terminal went away
            await tab_pane.mount(pane)
        self.tabs_filled = True
        self.load_team(reload=True)

    def _show_kept_roster(self) -> None:
        """The roster as computed last time, when nothing it depends on has
        changed since: the manager reads it while the team is computed again.

        The one read on the UI thread, on purpose: three small reads that let
        the first paint show the team (in WAL mode, a writer does not hold them up)."""
        as_of = self.today or dt.date.today()
        try:
            version = data_version(self.store, as_of, self.window, self.settings)
            roster = kept_roster(self.store, version)
            overview = self.store.coaching_overview(as_of)
        except sqlite3.DatabaseError:
            return  # the team's worker says what is wrong
        if roster is not None:
            self.query_one(RosterPane).show(roster, self.scope, overview)

    def load_team(self, reload: bool = False) -> None:
        """Read the deals (when `reload`) and compute the team's numbers on a
        worker; keep the roster for the next start."""
        kept_data = None if reload else self.data
        as_of, window, settings = self.today or dt.date.today(), self.window, self.settings

        def compute(store: Store) -> TeamLoaded:
            # polars loads here, on the worker, once the roster has been painted
            from coachtui.review.frames import read_deal_data_kept
            from coachtui.review.team import review_team_from

            version = data_version(store, as_of, window, settings)
            data = read_deal_data_kept(store) if kept_data is None else kept_data
            overview = store.coaching_overview(as_of)
            review = review_team_from(data, as_of, window, settings)
            roster = roster_of(review)
            if kept_roster(store, version) != roster:
                keep_roster(store, version, roster)
            return TeamLoaded(data, review, roster, overview)

        run_on_store(self, self.store.path, compute, group="team")

    def on_team_loaded(self, message: TeamLoaded) -> None:
        self.data, self.review = message.data, message.review
        self.query_one(RosterPane).show(message.roster, self.scope, message.overview)
        review_pane = self.query_one(ReviewPane)
        if review_pane.rep is not None:
            review_pane.show(review_pane.rep, message.review, message.data)
        if self.review_rep is not None:
            rep, self.review_rep = self.review_rep, None
            self.open_review(rep)
        if self.coach_rep is not None:
            rep, self.coach_rep = self.coach_rep, None
            self.start_coaching(rep)

    def start_coaching(self, rep: str) -> None:
        """The rep's session on the Coach tab (once the team is computed, when
        asked for on the kept roster)."""
        if self.review is None or self.data is None:
            self.coach_rep = rep
            return
        self.query_one(CoachPane).coach(rep, self.review, self.data)

    async def action_quit(self) -> None:
        self._save_typing()
        self.exit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed on the database: say so, and keep going."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        message = failure(self.store.path, error)
        if message is None:
            raise error  # a bug: stop with its traceback, as Textual would
        self.notify(message, severity="error", timeout=30, markup=False)

    # -- routing: what the panes ask for ---------------------------------------

    def on_rep_chosen(self, message: RepChosen) -> None:
        self.open_review(message.rep)

    def on_coach_rep(self, message: CoachRep) -> None:
        self.start_coaching(message.rep)

    def open_review(self, rep: str) -> None:
        """The rep's Review tab (once the team is computed, when asked for on the
        kept roster)."""
        if self.review is None or self.data is None:
            self.review_rep = rep
            return
        pane = self.query_one(ReviewPane)
        pane.show(rep, self.review, self.data)
        self.action_show_tab("review")
        pane.focus()

    def on_step_rep(self, message: StepRep) -> None:
        """The next or previous rep in the roster's order, without going back to it."""
        order = self.query_one(RosterPane).shown
        current = self.query_one(ReviewPane).rep
        if not order:
            return
        index = order.index(current) + message.step if current in order else 0
        self.open_review(order[index % len(order)])

    def on_show_tab(self, message: ShowTab) -> None:
        self.action_show_tab(message.tab)

    def on_session_ended(self, message: SessionEnded) -> None:
        """To the History tab, with the focus there (focus left in the hidden
        editors would take the keys, and bring the Coach tab back), the
        summary over it; the roster's coaching columns move."""
        self.action_show_tab("history")
        self.query_one("#history-table").focus()
        self.call_after_refresh(self.push_screen, SessionSummary(message.session))
        self.load_team()
        self.query_one(HistoryPane).show_rep(message.session["rep"])

    def on_cycle_window(self) -> None:
        self.window = (
            WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
            if (self.window in WINDOWS)
            else WINDOWS[0]
        )
        self.notify(f"Window: last {self.window} days")
        self.load_team()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Keys go to the tab just shown, not to a widget on a hidden one."""
        if event.pane.id == "history" and self.tabs_filled:
            # the rep being coached, else the one under review, else the one shown last
            coach = self.query_one(CoachPane).state
            history = self.query_one(HistoryPane)
            rep = coach.session.rep if coach else self.query_one(ReviewPane).rep
            history.show_rep(rep or history.rep)
        if self.focused is None or event.pane not in self.focused.ancestors:
            # where the keys went when the tab was left, else its first widget;
            # only widgets on screen (the focus chain): never the hidden filter
            # box, and nothing at all on a Coach tab with no session
            shown = [w for w in self.screen.focus_chain if event.pane in w.ancestors]
            last = self.focus_by_tab.get(event.pane.id)
            self.set_focus(last if last in shown else next(iter(shown), None))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        pane = next((a for a in event.widget.ancestors if isinstance(a, TabPane)), None)
        if pane is not None:
            self.focus_by_tab[pane.id] = event.widget

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_import(self) -> None:
        from coachtui.screens.dialogs.import_file import (
            ImportDialog,  # loads the importer and polars
        )

        self.push_screen(ImportDialog(self.store.path), self._after_import)

    def _after_import(self, imported: bool | None) -> None:
        if imported:
            self.load_team(reload=True)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Import a CRM export", "Load deals, reps, history or activities", self.action_import
        )
        for tab, label in keys.TABS:
            yield SystemCommand(
                f"Go to {label}",
                f"Switch to the {label} tab",
                lambda t=tab: self.action_show_tab(t),
            )
