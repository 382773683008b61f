"""The History tab: past sessions, commitments kept, ratings over time, and
the coaching impact per area."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from coachtui.areas import COACHING_AREAS
from coachtui.coaching import records
from coachtui.coaching.records import SessionRecord, kept_rate
from coachtui.screens import keys
from coachtui.screens.dialogs.summary import SessionSummary
from coachtui.screens.literal import literal
from coachtui.screens.messages import HistoryLoaded
from coachtui.screens.widgets.table import VimTable
from coachtui.screens.workers import run_in_thread, run_on_store

if TYPE_CHECKING:
    from pathlib import Path

    from coachtui.coaching.impact import AreaImpact
    from coachtui.coaching.playbook import Playbook
    from coachtui.review.metrics import DealData
    from coachtui.review.team import TeamReview
    from coachtui.settings import Settings
    from coachtui.store import Store

SHORT = {"targeting": "T", "messaging": "M", "dollarizing": "D", "multi_stakeholder": "S"}


class ImpactFound(Message, bubble=False):
    """The rep's coaching impact, one entry per area coached."""

    def __init__(self, rep: str, impact: list[AreaImpact], currency: str | None) -> None:
        super().__init__()
        self.rep, self.impact, self.currency = rep, impact, currency


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
    from coachtui.coaching.impact import coached, coaching_impact

    report = review.report
    ended = coached(record.session for record in sessions)
    impact = coaching_impact(data, ended, report.as_of, report.days, settings)
    return ImpactFound(rep, impact, report.currency)


class HistoryPane(Vertical):
    BINDINGS = keys.HISTORY

    def __init__(self, db_path: Path, playbook: Playbook) -> None:
        super().__init__()
        self.db_path = db_path
        self.playbook = playbook
        self.rep: str | None = None
        self.all_reps = False
        self.sessions: list[SessionRecord] = []
        self.loaded_rep: str | None = None  # whose sessions they are (None: everyone's)
        self.team: tuple[DealData, TeamReview, Settings] | None = None

    def compose(self) -> ComposeResult:
        yield Static("No coaching sessions yet.", id="history-status")
        table = VimTable(id="history-table")
        for label in ("Date", "Rep", "Min", "Focus", "Ratings", "Made", "Kept"):
            table.add_column(label, key=label.lower())
        yield table
        with VerticalScroll(id="history-detail"):
            yield Static(id="history-ratings")
            yield Static(id="history-impact")

    def show_rep(self, rep: str | None) -> None:
        self.rep = rep
        self.reload()

    def use_team(self, data: DealData, review: TeamReview, settings: Settings) -> None:
        """The team's deals and numbers: the impact is computed from them."""
        self.team = (data, review, settings)
        self._find_impact()

    def action_toggle_scope(self) -> None:
        self.all_reps = not self.all_reps
        self.reload()

    def reload(self) -> None:
        rep, playbook = None if self.all_reps else self.rep, self.playbook

        def read(store: Store) -> HistoryLoaded:
            return HistoryLoaded(rep, records.sessions(store, playbook, rep))

        run_on_store(self, self.db_path, read, group="history")

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        rep, sessions = message.rep, message.sessions
        self.sessions, self.loaded_rep = list(reversed(sessions)), rep
        table = self.query_one("#history-table", VimTable)
        table.clear()
        for index, record in enumerate(self.sessions):
            s, made = record.session, len(record.commitments)
            kept, reviewed = kept_rate([record])
            table.add_row(
                Text(f"{s.started_at:%Y-%m-%d}" + ("" if s.finished else " *")),
                literal(s.rep),
                Text("-" if s.minutes is None else str(s.minutes), justify="right"),
                Text(s.area.label if s.area else "-"),
                Text(" ".join(f"{SHORT[a]}{r}" for a, r in record.ratings.items())),
                Text(str(made), justify="right"),
                Text(f"{kept}/{reviewed}" if reviewed else "-", justify="right"),
                key=str(index),
            )
        self._say_status(rep, sessions)
        self.query_one("#history-ratings", Static).update(
            ratings_over_time(sessions) if rep and sessions else ""
        )
        self.query_one("#history-impact", Static).update("")
        self._find_impact()

    def _say_status(self, rep: str | None, sessions: list[SessionRecord]) -> None:
        kept, reviewed = kept_rate(sessions)
        who = rep or "all reps"
        rate = (
            f"{kept / reviewed:.0%} of {reviewed} commitments kept"
            if reviewed
            else "no commitments reviewed yet"
        )
        count = f"{len(sessions)} session" + ("" if len(sessions) == 1 else "s")
        status = f"{count}, {who}: {rate}. * unfinished. a: all reps / this rep"
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
