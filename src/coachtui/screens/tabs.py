"""The five tabs, and where the keys go when one of them is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual import events
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from coachtui.screens import keys
from coachtui.screens.messages import SessionEnded, TeamLoaded
from coachtui.screens.roster import RosterPane

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable
    from pathlib import Path

    from coachtui.coaching.playbook import Playbook
    from coachtui.screens.coach import CoachPane
    from coachtui.screens.commitments import CommitmentsMarked, CommitmentsPane
    from coachtui.screens.history import HistoryPane
    from coachtui.screens.review import ReviewPane
    from coachtui.settings import Settings


class Panes(NamedTuple):
    """The tabs' panes after the roster."""

    review: ReviewPane
    coach: CoachPane
    history: HistoryPane
    commitments: CommitmentsPane


class CoachTabs(TabbedContent):
    """Roster, Review, Coach, History and Commitments. The roster is there from the start;
    the other panes arrive with `fill`, once the roster has been painted: their
    modules (the editors, the sparklines, the coaching code) load only then."""

    def __init__(self, scope: str | None) -> None:
        super().__init__(initial="roster")
        self.scope = scope  # the manager whose team the tabs show; None: every rep
        self.focus_by_tab: dict[str, Widget] = {}
        self.panes: Panes | None = None  # once `fill` has mounted them
        # a session just ended: the History shows its rep until another is reviewed
        self.ended_rep: str | None = None
        for n, (tab, label) in enumerate(keys.TABS, start=1):
            children = [RosterPane()] if tab == "roster" else []
            self.compose_add_child(TabPane(f"{n} {label}", *children, id=tab))

    async def fill(
        self,
        db_path: Path,
        playbook: Playbook | None,
        clock: Callable[[], dt.datetime],
        today: dt.date | None,
    ) -> Playbook | None:
        """Mount the Review, Coach, History and Commitments panes with the
        playbook (none given: the shipped one with the user's, its problems
        said) and return it; None when the app is closing already (the
        terminal went away)."""
        from coachtui.screens.coach import CoachPane
        from coachtui.screens.commitments import CommitmentsPane
        from coachtui.screens.history import HistoryPane
        from coachtui.screens.review import ReviewPane

        if playbook is None:
            from coachtui.coaching.playbook import load_playbook
            from coachtui.settings import playbook_path

            playbook, problems = load_playbook(playbook_path())
            for problem in problems:
                self.notify(problem, severity="warning", timeout=10, markup=False)
        panes = Panes(
            ReviewPane(db_path),
            CoachPane(playbook, db_path, clock, today),
            HistoryPane(db_path, playbook, self.scope),
            CommitmentsPane(db_path, today),
        )
        for tab, pane in zip(panes._fields, panes, strict=True):
            tab_pane = self.get_pane(tab)
            if not tab_pane.is_attached:
                return None
            await tab_pane.mount(pane)
        self.panes = panes
        return playbook

    def filled(self) -> Panes:
        """The panes, asked for once the team is computed: they are there by then."""
        if self.panes is None:
            raise RuntimeError("the Review, Coach and History tabs are not there yet")
        return self.panes

    def save_typing(self) -> None:
        if self.panes is not None:  # none in the moment before the tabs are filled
            self.panes.coach.save_everything()

    @property
    def reviewed_rep(self) -> str | None:
        return self.panes.review.rep if self.panes else None

    def take_team(self, team: TeamLoaded, settings: Settings) -> None:
        """The team computed: the Commitments tab lists the manager's team, the
        Coach tab names its sessions not ended, the History lists and searches
        its sessions and, with the Review, computes the impact from its deals,
        and the rep under review is shown with the new numbers."""
        panes = self.filled()
        reps = [row["rep"] for row in team.roster.rows_of(self.scope)]
        panes.commitments.use_team(self.scope, reps)
        panes.coach.use_team(reps)
        panes.history.use_team(reps, (team.data, team.review, settings))
        review = panes.review
        review.use_settings(settings)
        if review.rep is not None:
            review.show(review.rep, team.review, team.data)

    def on_commitments_marked(self, message: CommitmentsMarked) -> None:
        message.stop()
        self.query_one(RosterPane).show_overview(message.overview)

    def on_session_ended(self, message: SessionEnded) -> None:
        """(On its way to the app, which shows the History.) The commitments
        made in it are listed, and the History shows its rep, whichever comes
        first: the tab shown, or the summary over it (none when the session
        was not kept)."""
        if message.session is not None:
            self.ended_rep = message.rep
        if self.panes is not None:
            self.panes.commitments.reload()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Keys go to the tab just shown, not to a widget on a hidden one; the
        History shows the rep being coached (or whose session just ended),
        else the one under review, else the one it showed last; the
        Commitments, and the Coach tab's sessions not ended (another coachtui
        may have started or ended one), are read again."""
        panes = self.panes  # once they are there
        if panes is not None and event.pane.id == "commitments":
            panes.commitments.reload()
        if panes is not None and event.pane.id == "coach" and panes.coach.state is None:
            panes.coach.ask_what_is_left_open()
        if panes is not None and event.pane.id == "history":
            coach = panes.coach.state
            rep = coach.session.rep if coach else self.ended_rep or panes.review.rep
            panes.history.show_rep(rep or panes.history.rep)
        focused = self.screen.focused
        if focused is None or event.pane not in focused.ancestors:
            # where the keys went when the tab was left, else its first widget;
            # only widgets on screen (the focus chain): never the hidden filter
            # box, and nothing at all on a Coach tab with no session
            shown = [w for w in self.screen.focus_chain if event.pane in w.ancestors]
            last = self.focus_by_tab.get(event.pane.id)
            self.screen.set_focus(last if last in shown else next(iter(shown), None))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        pane = next((a for a in event.widget.ancestors if isinstance(a, TabPane)), None)
        if pane is not None:
            self.focus_by_tab[pane.id] = event.widget
