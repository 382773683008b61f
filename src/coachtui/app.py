"""The Textual app: tabs for Roster, Review, Coach and History over one Store."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import os
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.screen import Screen
from textual.widgets import TabbedContent
from textual.worker import Worker, WorkerState

from coachtui.screens import keys, messages
from coachtui.screens.dialogs.help import HelpScreen, keymap
from coachtui.screens.dialogs.too_small import follow_size
from coachtui.screens.key_order import KeysInOrder
from coachtui.screens.rep_commands import RepCommands, app_commands
from coachtui.screens.roster import RosterPane
from coachtui.screens.shown_only import MainScreen
from coachtui.screens.tabs import CoachTabs
from coachtui.screens.team import compute_team, keep_for_next_start, kept_team, next_window
from coachtui.screens.theme import LegibleWithoutColour, choose_theme, read_later_styles
from coachtui.screens.widgets.key_footer import KeyFooter
from coachtui.screens.widgets.title_bar import TitleBar
from coachtui.screens.workers import failure, run_on_store
from coachtui.settings import Settings
from coachtui.store import Store
from coachtui.text import visible

if TYPE_CHECKING:
    from textual.binding import Binding

    from coachtui.coaching.playbook import Playbook
    from coachtui.review.metrics import DealData
    from coachtui.review.team import TeamReview

HANG_UP_GRACE_SECONDS = 3
IMPORT_CHECK_SECONDS = 5  # how often an import made elsewhere is looked for
Then = Callable[["TeamReview", "DealData"], None]  # what waits for the team


class CoachApp(KeysInOrder, LegibleWithoutColour, App[None]):
    """coachtui: from deal review to deal coaching."""

    CSS_PATH = "screens/first_paint.tcss"  # and theme.LATER_STYLES after it
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
        # no animations: over SSH each of their frames is a repaint sent down
        # the link, and the tab underline's, cut short by a summary pushed in
        # the same burst of keys (F10 then escape), stayed under the old tab
        self.animation_level = "none"
        self.store = store
        self.settings = settings or Settings()
        # None: the shipped playbook with the user's, read once the roster is painted
        self.playbook = playbook
        # what was asked for on the kept roster, done once the team is computed
        self.waiting: list[Then] = [] if coach_rep is None else [partial(self._coach, coach_rep)]
        self.clock = clock
        self.scope = manager or self.settings.me
        self.today = today
        self.window = self.settings.window_days
        self.review: TeamReview | None = None
        self.data: DealData | None = None
        self.team: messages.TeamLoaded | None = None
        self._tabs_after_team = False  # a first start: the other tabs once it is computed
        self._summary_coming: Screen | None = None  # a session ended: shown after a refresh
        self._freezes = False  # the garbage collector's (`_freeze_what_is_held`)
        self._import_known: str | None = None  # the last import the numbers are of
        self._importing = False  # the import dialog is open: its import is its own

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def get_key_display(self, binding: Binding) -> str:
        """A key in the footer as the help writes it: "F1", not Textual's "f1"."""
        return (
            binding.key_display
            or keys.KEY_NAMES.get(binding.key)
            or super().get_key_display(binding)
        )

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield CoachTabs(self.scope)

    def on_mount(self) -> None:
        self._apply_look_and_keys()
        kept = kept_team(self.store, self.today or dt.date.today(), self.window, self.settings)
        if kept is not None:  # the roster of the last start, read before the first paint
            self.query_one(RosterPane).show(kept[0], self.scope, kept[1])
            self.call_after_refresh(self._fill_other_tabs)
        else:  # nothing to paint until the team is computed: that first, the tabs after
            self._tabs_after_team = True
            self.load_team(reload=True)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            for hung_up in (signal.SIGHUP, signal.SIGTERM):
                asyncio.get_running_loop().add_signal_handler(hung_up, self.hang_up)

    def _apply_look_and_keys(self) -> None:
        """The configured theme (ANSI colours on a 16-colour terminal) and keymap."""
        self.theme, bad_theme = choose_theme(self.settings.theme, self.available_themes)
        keys_to_set, bad_keys = keymap(self.settings.keys)
        self.set_keymap(keys_to_set)
        for problem in filter(None, (bad_theme, bad_keys)):
            self.notify(problem, severity="warning", timeout=10, markup=False)

    def on_resize(self, event: events.Resize) -> None:
        follow_size(self, event.size)

    def hang_up(self) -> None:
        """The SSH connection dropped (SIGHUP) or the system asks us to stop: save
        what was typed and leave; reconnecting resumes the session. The terminal
        may be gone, and Textual's shutdown block on it: the process ends anyway."""
        self._save_typing()
        deadline = threading.Timer(HANG_UP_GRACE_SECONDS, os._exit, args=(0,))
        deadline.daemon = True
        deadline.start()
        self.exit()

    def _save_typing(self) -> None:
        """On the UI thread on purpose: the text is written before the app exits."""
        for tabs in self.query(CoachTabs):
            tabs.save_typing()

    def _fill_tabs_now(self) -> None:
        """The other tabs, put off on a first start until the team is computed
        (or failed to be): mounting them is Python work that would take turns
        with the team's imports and numbers, and the roster waits for those."""
        if self._tabs_after_team:
            self._tabs_after_team = False
            self.call_after_refresh(self._fill_other_tabs)

    async def _fill_other_tabs(self) -> None:
        """After the first paint (on a first start, once the roster is shown):
        GC, styles, footer, the other tabs; then the team."""
        self._freezes = not gc.isenabled()  # the command line's start (commands.py)
        gc.enable()
        tabs = self.query_one(CoachTabs)
        if not tabs.is_attached:  # the terminal went away as the app started
            return
        read_later_styles(self)
        await tabs.screen.mount(KeyFooter())
        self.playbook = await tabs.fill(self.store.path, self.playbook, self.clock, self.today)
        if self.playbook is None:  # the app is closing already
            return
        self._freeze_what_is_held()
        self.set_interval(IMPORT_CHECK_SECONDS, self._compute_after_an_import)
        if self.team is not None:  # computed while the tabs were mounted
            self._take_team(self.team)
        elif self.query_one(RosterPane).roster is not None:  # the kept one: compute it again
            self.load_team(reload=True)

    def load_team(self, reload: bool = False) -> None:
        """The team's numbers on a worker, reading the deals again when `reload`."""
        as_of, data = self.today or dt.date.today(), None if reload else self.data
        compute = partial(
            compute_team, data=data, as_of=as_of, days=self.window, settings=self.settings
        )
        run_on_store(self, self.store.path, compute, group="team")

    def on_team_loaded(self, message: messages.TeamLoaded) -> None:
        self.team = message
        self._import_known = message.data.imported
        self.query_one(RosterPane).show(message.roster, self.scope, message.overview)
        self._fill_tabs_now()
        keep = partial(keep_for_next_start, team=message)
        run_on_store(self, self.store.path, keep, group="keep-roster")
        if self.query_one(CoachTabs).panes is not None:  # else once they are there
            self._take_team(message)

    def _take_team(self, message: messages.TeamLoaded) -> None:
        self.data, self.review = message.data, message.review
        self.query_one(CoachTabs).take_team(message, self.settings)
        waiting, self.waiting = self.waiting, []
        for then in waiting:
            then(message.review, message.data)
        self.call_after_refresh(self._freeze_what_is_held)  # once the team is painted

    def _freeze_what_is_held(self) -> None:
        """When the process is the app's (`_freezes`): what the app holds now,
        its widgets and then each team's roster and numbers, lives until the
        next team, and no collection walks it again. The collections that
        walked it came while the manager typed: on the sample team the
        slowest of 400 keys took 45-48 ms, 28-42 ms with the team frozen."""
        if self._freezes:
            gc.collect()
            gc.freeze()

    def still_handling(self) -> bool:
        # a session, review or brief asked for before the team was computed:
        # done once it is, dropped if computing it fails; a session's summary
        # (keys typed after F10, escape say, are for it)
        return bool(self.waiting) or self._summary_coming is not None

    def _once_computed(self, then: Then) -> None:
        """Now, or once the team is computed (when asked for on the kept roster)."""
        if self.review is None or self.data is None:
            self.waiting.append(then)
        else:
            then(self.review, self.data)

    async def action_quit(self) -> None:
        self._save_typing()
        self.exit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed on the database: say so, and keep going."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            message = failure(self.store.path, error)
            if message is None:
                raise error  # a bug: stop with its traceback, as Textual would
            if event.worker.group == "team":
                self.waiting = []  # nothing to do it with: asked for again later
                self._fill_tabs_now()
            self.notify(message, severity="error", timeout=30, markup=False)

    # -- routing: what the panes ask for ---------------------------------------

    def on_rep_chosen(self, message: messages.RepChosen) -> None:
        self._once_computed(partial(self._review, message.rep))

    def on_coach_rep(self, message: messages.CoachRep) -> None:
        self._once_computed(partial(self._coach, message.rep))

    def on_show_brief(self, message: messages.ShowBrief) -> None:
        from coachtui.screens.dialogs.brief import BriefDialog  # loaded after the first paint

        path, rep, settings = self.store.path, message.rep, self.settings
        self._once_computed(
            lambda review, data: self.push_screen(BriefDialog(path, rep, review, data, settings))
        )

    def on_step_rep(self, message: messages.StepRep) -> None:
        """The next or previous rep in the roster's order, without going back to it."""
        roster = self.query_one(RosterPane)
        rep = roster.rep_after(self.query_one(CoachTabs).reviewed_rep, message.step)
        if rep is not None:
            roster.point_at(rep)
            self._once_computed(partial(self._review, rep))

    def _review(self, rep: str, review: TeamReview, data: DealData) -> None:
        tabs = self.query_one(CoachTabs)
        tabs.ended_rep = None  # the History follows the rep under review again
        pane = tabs.filled().review
        pane.show(rep, review, data)
        self.action_show_tab("review")
        pane.focus()

    def _coach(self, rep: str, review: TeamReview, data: DealData) -> None:
        self.query_one(CoachTabs).filled().coach.coach(rep, review, data, self.settings)

    def on_show_tab(self, message: messages.ShowTab) -> None:
        self.action_show_tab(message.tab)

    def on_session_ended(self, message: messages.SessionEnded) -> None:
        """To the History tab, with the focus there (focus left in the hidden
        editors would take the keys, and bring the Coach tab back), the
        summary over it; the roster's coaching columns move."""
        from coachtui.screens.dialogs.summary import SessionSummary  # (by the History tab)

        self.load_team()  # the roster's coached and commitments columns
        if message.session is None:
            self.action_show_tab("roster")
            self.notify(
                visible(
                    f"Nothing was written or marked with {message.rep}: the session was not saved."
                ),
                markup=False,
            )
            return
        self._to_history()
        self._summary_coming = SessionSummary(message.session)
        self.call_after_refresh(self._show_summary)

    def _show_summary(self) -> None:
        """Over the History, which shows the rep just coached (`CoachTabs.ended_rep`)."""
        summary, self._summary_coming = self._summary_coming, None
        if summary is not None:
            self.push_screen(summary, self._to_history)

    def _to_history(self, _closed: None = None) -> None:
        """The History tab, its table taking the keys: as a session ends, and
        again when its summary closes (the Coach tab clears as the session
        ends; a focus moved in it would bring it back under the summary, as
        the tabs follow the focus)."""
        self.action_show_tab("history")
        self.query_one("#history-table").focus()

    def on_cycle_window(self) -> None:
        self.window = next_window(self.window)
        self.notify(f"Window: last {self.window} days")
        self.load_team()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_import(self) -> None:
        # the importer and polars load when the dialog is first used
        from coachtui.screens.dialogs.import_file import ImportDialog

        self._importing = True
        self.push_screen(ImportDialog(self.store.path), self._after_import)

    def _after_import(self, imported: bool | None) -> None:
        self._importing = False
        if imported:
            self._import_known = self.store.last_import()  # computed again at once
            self.load_team(reload=True)

    def _compute_after_an_import(self) -> None:
        """An import from a shell (or a nightly job) while the app is open:
        the team's numbers are computed again from its data, and the manager
        is told. The roster showed the numbers of before until a restart."""
        if self._import_known is None or self._importing:
            return  # the team is still being computed, or the import is the app's
        try:
            latest = self.store.last_import()
        except sqlite3.Error:
            return  # busy or locked: looked for again at the next tick
        if latest != self._import_known:
            self._import_known = latest
            self.notify("New CRM data was imported: the numbers are computed again.")
            self.load_team(reload=True)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from app_commands(self.action_import, self.action_show_tab)
