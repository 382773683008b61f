"""The Coach tab: the live one-on-one, from last week's commitments to new ones."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from coachtui.areas import COACHING_AREAS
from coachtui.coaching import export, records
from coachtui.coaching import sessions as coaching
from coachtui.coaching.sessions import LiveSession
from coachtui.review.diagnosis import NO_AREA_STANDS_OUT
from coachtui.screens import keys
from coachtui.screens.autosave import Autosave
from coachtui.screens.clipboard import copy
from coachtui.screens.literal import literal
from coachtui.screens.messages import SessionCopied, SessionEnded, ShowTab
from coachtui.screens.not_ended import NO_SESSION, HeldElsewhere, LeftOpen, no_session_text
from coachtui.screens.session_commitments import SessionCommitments
from coachtui.screens.widgets.brief import SessionBrief
from coachtui.screens.widgets.checklist import Checklist
from coachtui.screens.workers import run_on_store
from coachtui.store import Store
from coachtui.store.held import HeldSessions
from coachtui.text import day, visible

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from coachtui.coaching.playbook import Playbook
    from coachtui.review.metrics import DealData
    from coachtui.review.team import TeamReview
    from coachtui.settings import Settings

LAST_DEALS_SHOWN = 3  # History shows every one
# seconds between two marks of the session still open here: a resumption's
# pause, counted from the last mark, misses at most this much of the session
STILL_OPEN_EVERY = 60


def last_deals_text(state: LiveSession) -> Text:
    """The deals of the last session that took any up, with what was learned:
    `Deals on Fri 20 Nov: Pinnacle (Acme): the CFO signs`, one a line."""
    if not state.last_deals or state.last_deals_on is None:
        return Text()
    text = Text(f"Deals on {day(state.last_deals_on)}: ", style="bold")
    shown = state.last_deals[:LAST_DEALS_SHOWN]
    for n, deal in enumerate(shown):
        learned = " ".join(deal.notes.split()) or "nothing noted"
        if n:
            text.append("\n  ")
        text.append_text(literal(f"{deal.title}: "))
        text.append_text(literal(learned, style="dim"))
    more = len(state.last_deals) - len(shown)
    if more:
        text.append(f"\n  and {more} more: History has them all", style="dim")
    return text


class SessionOpened(Message, bubble=False):
    """A rep's session, read (and started when new), for the Coach tab."""

    def __init__(self, state: LiveSession) -> None:
        super().__init__()
        self.state = state


class CoachPane(SessionCommitments, Vertical):
    """The Coach tab: opens a rep's session, shows it, and ends it. The keys of
    the checklist below it are bound here too, so the footer lists them all."""

    BINDINGS = keys.COACH

    def __init__(
        self,
        playbook: Playbook,
        db_path: Path,
        clock: Callable[[], dt.datetime],
        today: dt.date | None,
    ) -> None:
        super().__init__()
        self.playbook = playbook
        self.db_path = db_path
        self.clock = clock
        self.today = today
        self.state: LiveSession | None = None
        self.deal_works: dict[str, dict] = {}
        self.team: tuple[TeamReview, DealData, Settings] | None = None  # for the brief
        self.roster_reps: set[str] = set()  # `use_team`
        self.brief_of: int | None = None  # the session whose brief is loaded
        self.header_shape: tuple | None = None  # what the header's size depends on
        self.autosave = Autosave(self, db_path, self._report)
        self.held = HeldSessions(db_path)  # the session open here, kept from the others

    def compose(self) -> ComposeResult:
        yield Static(NO_SESSION, id="coach-header")
        yield Static(id="coach-evidence")
        yield Static(id="coach-last-deals")
        yield Static(id="coach-status")
        yield SessionBrief(self.db_path, id="coach-brief")
        yield Checklist(self.playbook, self.autosave, id="coach-body")

    def on_mount(self) -> None:
        self.query_one(Checklist).display = False
        self.query_one(SessionBrief).display = False
        self.set_interval(1, self._tick)
        self.set_interval(STILL_OPEN_EVERY, partial(self._write_session, coaching.still_open))

    def use_team(self, reps: list[str]) -> None:
        """The reps on the manager's roster: the note names their sessions not
        ended, not another team's."""
        self.roster_reps = set(reps)
        self.ask_what_is_left_open()

    def ask_what_is_left_open(self) -> None:
        on_roster = self.roster_reps

        def left_open(store: Store) -> LeftOpen:
            sessions = records.coaching_sessions(store, unfinished=True)
            return LeftOpen([s for s in sessions if s.rep in on_roster])

        run_on_store(self, self.db_path, left_open, group="left-open")

    def on_left_open(self, message: LeftOpen) -> None:
        if self.state is None:  # none opened while it was being read
            header = self.query_one("#coach-header", Static)
            today = self.today or self.clock().date()
            # reps' names are CRM text: no markup
            header.update(literal(no_session_text(message.sessions, today)))

    # -- opening and showing a session ------------------------------------------

    def coach(self, rep: str, review: TeamReview, data: DealData, settings: Settings) -> None:
        """Open the rep's unfinished session, or a new one (brief first); one at a time."""
        if self.state is not None and self.state.session.rep != rep:
            self.notify(
                visible(f"A session with {self.state.session.rep} is running: end it first (F10)."),
                severity="warning",
                markup=False,
            )
            self.post_message(ShowTab("coach"))
            return
        self.team = (review, data, settings)
        # the rep's session running here already is not resumed: no pause
        resumed_at = None if self.state is not None else self.clock()

        def open_session(store: Store) -> SessionOpened | HeldElsewhere:
            from coachtui.review.metrics import stalled_deals

            left_open = records.unfinished_session(store, rep)
            if left_open is not None and not self.held.hold(left_open.id):
                return HeldElsewhere(rep)
            try:
                focus = review.focus.get(rep, [])
                stalled = stalled_deals(data, review.report, rep).get_column("deal_id").to_list()
                # a pause only on the session held here: not on one another
                # coachtui starts meanwhile (it is not opened here)
                held = resumed_at if left_open is not None else None
                state = coaching.open_live_session(store, rep, focus, stalled, resumed_at=held)
            except BaseException:
                if left_open is not None:
                    self.held.let_go(left_open.id)  # not opened: not held either
                raise
            opened = state.session.id
            if left_open is not None and left_open.id != opened:
                self.held.let_go(left_open.id)
            if not self.held.hold(opened):  # another coachtui started it meanwhile
                return HeldElsewhere(rep)
            return SessionOpened(state)

        run_on_store(self, self.db_path, open_session, group="session")

    def on_held_elsewhere(self, message: HeldElsewhere) -> None:
        self.notify(
            visible(
                f"{message.rep}'s session is open in another coachtui: end it there "
                "(F10) or close that one, then coach them here: two at once would write "
                "over each other's notes."
            ),
            severity="warning",
            timeout=10,
            markup=False,
        )

    def on_session_opened(self, message: SessionOpened) -> None:
        self.post_message(ShowTab("coach"))
        self.show_session(message.state)
        if message.state.new:
            self.action_show_brief()

    def show_session(self, state: LiveSession) -> None:
        if self.state is None or self.state.session.id != state.session.id:
            self.deal_works = {}  # the deal dialog's work, as typed in this session
        self.state = state
        self.query_one(Checklist).show(state)
        self._tick()
        self.query_one("#coach-evidence", Static).update(
            literal(
                "\n".join(f"{f.area.label}: {f.reasons[0]}" for f in state.focus[:2]),
                style="dim",
                overflow="ellipsis",
            )
        )
        last_deals = self.query_one("#coach-last-deals", Static)
        last_deals.update(last_deals_text(state))
        last_deals.display = bool(state.last_deals)

    def action_show_brief(self) -> None:
        """The rep's brief in place of the checklist (b, and first thing in a
        new session; b again goes back): the session runs on, its timer too."""
        if self.state is None or self.team is None or self.go_on():
            return
        brief = self.query_one(SessionBrief)
        if self.brief_of != self.state.session.id:
            self.brief_of = self.state.session.id
            brief.load(self.state.session.rep, *self.team)
        self._show_brief(True)

    def _show_brief(self, shown: bool) -> None:
        assert self.state is not None
        self.query_one(SessionBrief).display = shown
        self.query_one(Checklist).display = not shown
        self.query_one("#coach-evidence").display = not shown
        self.query_one("#coach-last-deals").display = not shown and bool(self.state.last_deals)
        if shown:
            self.query_one(SessionBrief).focus()
        else:
            self.query_one(Checklist).focus_first()

    def go_on(self) -> bool:
        """From the brief on to the checklist; False when it was there already."""
        if self.state is None or not self.query_one(SessionBrief).display:
            return False
        self._show_brief(False)
        return True

    def on_session_brief_done(self, message: SessionBrief.Done) -> None:
        message.stop()
        self.go_on()

    def clear_session(self) -> None:
        self.state = None
        self.query_one(SessionBrief).display = False
        self.query_one(Checklist).show(None)
        self.query_one("#coach-header", Static).update(NO_SESSION)
        self.header_shape = None
        self.query_one("#coach-evidence", Static).update("")
        self.query_one("#coach-last-deals", Static).display = False
        self.query_one("#coach-status", Static).update("")
        self.ask_what_is_left_open()

    def _tick(self) -> None:
        if self.state is None:
            return
        session = self.state.session
        elapsed = session.lasted(self.clock())
        minutes, seconds = divmod(int(elapsed.total_seconds()), 60)
        clock = f"  {minutes:02d}:{seconds:02d}  "
        suggested = [f for f in self.state.focus if f.area in COACHING_AREAS]
        if suggested:
            after = Text("suggested: " + ", ".join(f.area.label for f in suggested))
        elif self.state.focus:
            after = literal(self.state.focus[0].reasons[0])
        else:
            after = Text(NO_AREA_STANDS_OUT)
        if session.area:
            after.append(f"  ·  focus: {session.area.label} (f to change)")
        header = literal(session.rep, style="bold").append(clock).append_text(after)
        # a second later only the clock's digits differ, in the same width: the
        # header is drawn again without laying out the whole screen again
        shape = (session.rep, len(clock), after.plain)
        self.query_one("#coach-header", Static).update(header, layout=shape != self.header_shape)
        self.header_shape = shape

    def _report(self, text: str, is_error: bool) -> None:
        """The autosave's word in the status line (gone when the app closes:
        the last writes happen as the pane is taken down)."""
        for status in self.query("#coach-status").results(Static):  # one line high
            status.update(literal(text, style="bold red" if is_error else "dim"), layout=False)
        if is_error:
            self.notify(visible(text), severity="error", timeout=6, markup=False)

    # -- the checklist's keys ---------------------------------------------------

    # on the brief, n and f (like a, d, y and F10) go on to the checklist and
    # act; e, space and +/- act on a highlighted row not seen yet: they go on only

    def action_edit_question(self) -> None:
        if not self.go_on():
            self.query_one(Checklist).edit_question()

    def action_edit_notes(self) -> None:
        self.go_on()
        self.query_one(Checklist).edit_notes()

    def action_leave_editor(self) -> None:
        self.query_one(Checklist).leave_editor()

    def action_mark(self) -> None:
        if not self.go_on():
            self.query_one(Checklist).mark()

    def action_rate(self, step: int) -> None:
        if not self.go_on():
            self.query_one(Checklist).rate(step)

    def action_cycle_focus(self) -> None:
        self.go_on()
        self.query_one(Checklist).cycle_focus()
        self._tick()

    # -- the deals, the copy and the end (commitments: SessionCommitments) -----------

    def action_discuss_deal(self) -> None:
        from coachtui.screens.dialogs.deal import DealDialog  # its widgets load when first used

        if self.state is not None:
            self.go_on()
            dialog = DealDialog(self.db_path, self.state, self.deal_works, self.autosave)
            self.app.push_screen(dialog)

    def action_copy_session(self) -> None:
        """The session so far, as Markdown for a CRM note, to the clipboard and
        a file: once what was typed is saved, off the UI thread."""
        if self.state is None:
            return
        self.go_on()
        session_id, playbook = self.state.session.id, self.playbook

        def copy(store: Store) -> SessionCopied:
            session = records.sessions(store, playbook, session_id=session_id)
            return SessionCopied(export.as_markdown(session, escaped=False))

        self.autosave.flush(then=copy)

    def on_session_copied(self, message: SessionCopied) -> None:
        copy(self, message.markdown)

    def action_end_session(self) -> None:
        """End the session once what was typed is saved, off the UI thread: a
        lock held elsewhere leaves the session running and says so.

        F10 is bound above the editors (it ends a session while typing), so
        it is read before the keys that came just ahead of it in one burst
        (a slow link) have reached the editor: the end waits behind them, in
        the focused widget's own queue, and takes what the editors hold then."""
        if self.state is None:
            self.notify("No session is running.")
            return
        (self.screen.focused or self).call_later(self._end_session_now)

    def _end_session_now(self) -> None:
        if self.state is None:  # F10 pressed twice: the first one ended it
            return
        session_id, rep, playbook = self.state.session.id, self.state.session.rep, self.playbook

        now = self.clock()

        def end(store: Store) -> SessionEnded:
            if coaching.discard_if_empty(store, session_id, now):
                self.held.let_go(session_id)
                return SessionEnded(session_id, rep, None)
            coaching.end_session(store, session_id)
            self.held.let_go(session_id)
            (session,) = records.sessions(store, playbook, session_id=session_id)
            return SessionEnded(session_id, rep, session)

        self.query_one(Checklist).take_what_is_typed()
        self.autosave.flush(then=end)

    def on_session_ended(self, message: SessionEnded) -> None:
        if self.state is None or self.state.session.id != message.session_id:
            message.stop()  # F10 pressed twice while the first one waited
            return
        self.clear_session()  # then the app shows the summary and History

    def _write_session(self, write: Callable[..., None]) -> None:
        """`write(store, session_id=, now=)` for the session here, after what was typed."""
        if self.state is not None:
            session_id, now = self.state.session.id, self.clock()
            self.autosave.put(write.__name__, partial(write, session_id=session_id, now=now))

    def on_unmount(self) -> None:
        self.save_everything(closing=True)
        self.autosave.close()

    def save_everything(self, closing: bool = False) -> bool:
        """Everything typed, the session open until now; closing, not kept if empty (F10's rule)."""
        self._write_session(coaching.still_open)
        if closing:
            self._write_session(coaching.discard_if_empty)
        return self.autosave.flush_now()
