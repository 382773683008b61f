"""The History tab: past sessions, commitments kept, ratings over time, the
coaching impact per area, and a search over the team's sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from coachtui.areas import COACHING_AREAS
from coachtui.coaching import records
from coachtui.coaching.records import SessionRecord, kept_rate
from coachtui.screens import keys
from coachtui.screens.dialogs.summary import SessionSummary
from coachtui.screens.literal import literal
from coachtui.screens.messages import HistoryLoaded
from coachtui.screens.widgets.table import VimTable
from coachtui.screens.workers import run_in_thread, run_on_store
from coachtui.text import counted

if TYPE_CHECKING:
    from collections.abc import Collection
    from pathlib import Path

    from coachtui.coaching.impact import AreaImpact
    from coachtui.coaching.playbook import Playbook
    from coachtui.coaching.search import Hit
    from coachtui.review.metrics import DealData
    from coachtui.review.team import TeamReview
    from coachtui.settings import Settings
    from coachtui.store import Store

SHORT = {"targeting": "T", "messaging": "M", "dollarizing": "D", "multi_stakeholder": "S"}
# searching waits for a pause in typing, as the roster's filter does
SEARCH_PAUSE_SECONDS = 0.15
HITS_SHOWN = 500


class ImpactFound(Message, bubble=False):
    """The rep's coaching impact, one entry per area coached."""

    def __init__(self, rep: str, impact: list[AreaImpact], currency: str | None) -> None:
        super().__init__()
        self.rep, self.impact, self.currency = rep, impact, currency


class HitsFound(Message, bubble=False):
    """What a search found, newest session first."""

    def __init__(self, text: str, hits: list[Hit]) -> None:
        super().__init__()
        self.text, self.hits = text, hits


class SessionRead(Message, bubble=False):
    """One session, to open from a search hit."""

    def __init__(self, record: SessionRecord) -> None:
        super().__init__()
        self.record = record


def ratings_over_time(sessions: list[SessionRecord]) -> Text:
    """A line for each area rated, oldest rating first: at 80x24 the impact
    below needs the lines the areas never rated would take."""
    text = Text()
    for area in COACHING_AREAS:
        values = [str(s.ratings[area]) for s in sessions if area in s.ratings]
        if values:
            text.append(f"{area.label:<26}", style="bold")
            text.append(" -> ".join(values) + "\n")
    return text or Text("No ratings yet.\n")


def impact_view(impact: list[AreaImpact], currency: str | None) -> Group:
    """One block per area coached: its start and sessions, then a row per
    headline metric. The numbers changed while coaching; they do not say why."""
    from coachtui.coaching.impact import IMPACT_COLUMNS, impact_heading, impact_rows

    title = Text("\nCoaching impact, against the team's own change", style="bold underline")
    parts: list = [title]
    for entry in impact:
        parts.append(Text(impact_heading(entry), style="bold"))
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="italic")
        for n, column in enumerate(IMPACT_COLUMNS):
            table.add_column(column, justify="left" if n in (0, 5) else "right", no_wrap=True)
        for row in impact_rows(entry, currency):
            table.add_row(*row)
        parts.append(table)
    return Group(*parts)


def find_impact(
    rep: str, sessions: list[SessionRecord], data: DealData, review: TeamReview, settings: Settings
) -> ImpactFound:
    """On a worker: the impact of each area the rep's ended sessions coached."""
    from coachtui.coaching.impact import ReportCache, coached, coaching_impact

    report = review.report
    ended = coached(record.session for record in sessions)
    reports = ReportCache(data, settings, kept=review.kept)
    impact = coaching_impact(data, ended, report.as_of, report.days, settings, reports)
    return ImpactFound(rep, impact, report.currency)


class HistoryPane(Vertical):
    BINDINGS = keys.HISTORY

    def __init__(self, db_path: Path, playbook: Playbook, scope: str | None) -> None:
        super().__init__()
        self.db_path = db_path
        self.playbook = playbook
        self.scope = scope  # the manager whose team "the team" is; None: every rep
        self.rep: str | None = None
        self.all_reps = False
        self.sessions: list[SessionRecord] = []
        self.loaded_rep: str | None = None  # whose sessions they are (None: the team's)
        # the manager's reps (None: every rep), and the team's numbers, once computed
        self.members: frozenset[str] | None = None
        self.who = f"{scope}'s team" if scope else "all reps"
        self.team_listed = False  # the listing asked for last is the team's, not a rep's
        self.team: tuple[DealData, TeamReview, Settings] | None = None
        self.hits: list[Hit] = []
        self._research: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="search the team's notes, answers, commitments (esc leaves)",
            id="history-search",
        )
        yield Static("Reading the coaching sessions…", id="history-status")
        table = VimTable(id="history-table")
        for label in ("Date", "Rep", "Min", "Focus", "Ratings", "Made", "Kept"):
            table.add_column(label, key=label.lower())
        yield table
        hits = VimTable(id="history-hits")
        for label in ("Date", "Rep", "In", "Line"):
            hits.add_column(label, key=label.lower())
        yield hits
        with VerticalScroll(id="history-detail"):
            yield Static(id="history-ratings")
            yield Static(id="history-impact")

    def on_mount(self) -> None:
        self.query_one("#history-hits").display = False

    def show_rep(self, rep: str | None) -> None:
        self.rep = rep
        self.reload()

    def use_team(
        self, reps: Collection[str], numbers: tuple[DealData, TeamReview, Settings]
    ) -> None:
        """The manager's reps, whose sessions the team's list shows and the
        search finds, and the team's deals and numbers, from which the impact
        is computed."""
        members = None if self.scope is None else frozenset(reps)
        new_team = members != self.members
        self.members, self.team = members, numbers
        if self.team_listed and new_team:
            self.reload()
        else:
            self._find_impact()
        if new_team and self.query_one("#history-search", Input).value.strip():
            self._search()

    def action_toggle_scope(self) -> None:
        self.all_reps = not self.all_reps
        self.reload()

    def _team_unknown(self) -> bool:
        """A manager's team not computed yet (or it failed): its reps are not known."""
        return self.scope is not None and self.members is None

    def reload(self) -> None:
        rep, playbook = None if self.all_reps else self.rep, self.playbook
        team = None if rep else self.members  # a rep's own sessions, whatever the team
        self.team_listed = rep is None
        if rep is None and self._team_unknown():  # use_team reads them
            self.query_one("#history-status", Static).update(
                "The team's sessions are listed once its numbers are computed."
            )
            return

        def read(store: Store) -> HistoryLoaded:
            return HistoryLoaded(rep, records.sessions(store, playbook, rep, team=team))

        run_on_store(self, self.db_path, read, group="history")

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        rep, sessions = message.rep, message.sessions
        self.sessions, self.loaded_rep = list(reversed(sessions)), rep
        table = self.query_one("#history-table", VimTable)
        table.clear()
        for index, record in enumerate(self.sessions):
            s, made = record.session, len(record.commitments)
            kept, settled = kept_rate([record])
            table.add_row(
                Text(f"{s.started_at:%Y-%m-%d}" + ("" if s.finished else " *")),
                literal(s.rep),
                Text("-" if s.minutes is None else str(s.minutes), justify="right"),
                Text(s.area.short_label if s.area else "-"),
                Text(" ".join(f"{SHORT[a]}{r}" for a, r in record.ratings.items())),
                Text(str(made), justify="right"),
                Text(f"{kept}/{settled}" if settled else "-", justify="right"),
                key=str(index),
            )
        self._say_status(rep, sessions)
        self.query_one("#history-ratings", Static).update(
            ratings_over_time(sessions) if rep and sessions else ""
        )
        self.query_one("#history-impact", Static).update("")
        self._find_impact()

    def _say_status(self, rep: str | None, sessions: list[SessionRecord]) -> None:
        if self.query_one("#history-hits").display:
            return  # the line says what the search found; leaving it says this again
        kept, settled = kept_rate(sessions)
        who = rep or self.who
        rate = (
            f"{kept / settled:.0%} of {counted(settled, 'commitment')} kept"
            if settled
            else "no commitment kept or missed yet"
        )
        count = counted(len(sessions), "session")
        team = "the team" if self.scope else "all reps"
        status = f"{count}, {who}: {rate}. * unfinished. a: {team} / this rep"
        self.query_one("#history-status", Static).update(
            literal(status if sessions else f"No sessions for {who} yet.")
        )

    def _find_impact(self) -> None:
        """The impact of the rep shown (not of all reps), once the team is computed."""
        rep = None if self.all_reps else self.rep
        if rep is None or rep != self.loaded_rep or self.team is None or not self.sessions:
            return  # no rep, or their sessions or the team's numbers still being read
        sessions, (data, review, settings) = list(self.sessions), self.team
        work = lambda: find_impact(rep, sessions, data, review, settings)  # noqa: E731
        run_in_thread(self, work, group="history-impact")

    def on_impact_found(self, message: ImpactFound) -> None:
        if message.rep != self.rep or self.all_reps:
            return
        self.query_one("#history-impact", Static).update(
            impact_view(message.impact, message.currency) if message.impact else ""
        )

    @on(DataTable.RowSelected, "#history-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        session = self.sessions[int(event.row_key.value)]
        self.app.push_screen(SessionSummary(session, heading="Session (read-only)"))

    # -- search ------------------------------------------------------------------

    def action_search(self) -> None:
        box = self.query_one("#history-search", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#history-search")
    def _search_changed(self) -> None:
        if self._research is not None:
            self._research.stop()
        self._research = self.set_timer(SEARCH_PAUSE_SECONDS, self._search)

    @on(Input.Submitted, "#history-search")
    def _search_now(self) -> None:
        self._search()
        if self.query_one("#history-search", Input).value.strip():
            self.query_one("#history-hits").focus()

    def _search(self) -> None:
        from coachtui.coaching.search import search

        if self._research is not None:
            self._research.stop()
            self._research = None
        text, team = self.query_one("#history-search", Input).value, self.members
        if not text.strip():
            self._show_hits(False)
            return
        if self._team_unknown():
            return  # whose sessions to search is known with the team: use_team searches
        run_on_store(
            self,
            self.db_path,
            lambda store: HitsFound(text, search(store, text, team)),
            group="search",
        )

    def on_hits_found(self, message: HitsFound) -> None:
        if message.text != self.query_one("#history-search", Input).value:
            return  # typed on since
        self.hits = message.hits[:HITS_SHOWN]
        table = self.query_one("#history-hits", VimTable)
        table.clear()
        for index, hit in enumerate(self.hits):
            table.add_row(
                Text(f"{hit.started_at:%Y-%m-%d}"),
                literal(hit.rep),
                Text(hit.kind),
                literal(hit.line),
                key=str(index),
            )
        found = f"{len(message.hits)} found"
        if len(self.hits) < len(message.hits):
            found += f", the first {len(self.hits)} shown"
        self.query_one("#history-status", Static).update(
            literal(f'{found} for "{message.text.strip()}", newest first. enter: open, esc: leave')
            if message.hits
            else literal(f'Nothing found for "{message.text.strip()}". esc: leave the search')
        )
        self._show_hits(True)

    def _show_hits(self, shown: bool) -> None:
        self.query_one("#history-hits").display = shown
        self.query_one("#history-table").display = not shown
        self.query_one("#history-detail").display = not shown

    def action_leave_search(self) -> None:
        box = self.query_one("#history-search", Input)
        if not box.display:
            return
        box.value = ""
        box.display = False
        if self._research is not None:
            self._research.stop()
            self._research = None
        self._show_hits(False)
        self.query_one("#history-table").focus()
        self.reload()  # the status line, as it was

    @on(DataTable.RowSelected, "#history-hits")
    def _open_hit(self, event: DataTable.RowSelected) -> None:
        event.stop()
        session_id, playbook = self.hits[int(event.row_key.value)].session_id, self.playbook

        def read(store: Store) -> SessionRead | None:
            found = records.sessions(store, playbook, session_id=session_id)
            return SessionRead(found[0]) if found else None

        run_on_store(self, self.db_path, read, group="history-open")

    def on_session_read(self, message: SessionRead) -> None:
        self.app.push_screen(SessionSummary(message.record, heading="Session (read-only)"))
