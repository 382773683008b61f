"""The Review tab: one rep's numbers against the team, and what to coach."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Sparkline, Static

from coachtui import text as formatting
from coachtui.review.diagnosis import NO_AREA_STANDS_OUT, Focus, flag_notes
from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.messages import CoachRep, CycleWindow, ReviewDetails, ShowBrief, StepRep
from coachtui.screens.widgets.funnel import funnel
from coachtui.screens.widgets.metric_cards import CARDS, MetricCards
from coachtui.screens.widgets.table import VimTable
from coachtui.screens.workers import run_on_store

if TYPE_CHECKING:
    from pathlib import Path

    from coachtui.areas import FocusArea
    from coachtui.review.metrics import DealData
    from coachtui.review.team import TeamReview
    from coachtui.settings import Settings
    from coachtui.store import Store

# the stalled deals: the deal's name and stage are never cut mid-word (a long
# one wraps); the account shows when the window has room for it
STALLED_COLUMNS = {
    "deal": "Deal",
    "account": "Account",
    "stage": "Stage",
    "days": "Days",
    "amount": "Amount",
}
STALLED_FIXED = {"days": 5, "amount": 7}
STAGE_AT_MOST, ACCOUNT_AT_MOST, DEAL_AT_LEAST = 20, 18, 16
ACCOUNT_FROM_WIDTH = 100  # columns of the pane's content


def stalled_widths(width: int, stages: list[str], accounts: list[str]) -> dict[str, int]:
    """Each column's width for a pane `width` cells wide (each cell has a space
    either side, the table a scrollbar's room)."""
    stage = min(max([5, *map(len, stages)]), STAGE_AT_MOST)
    widths = {"stage": stage, **STALLED_FIXED}
    if width >= ACCOUNT_FROM_WIDTH:
        widths["account"] = min(max([7, *map(len, accounts)]), ACCOUNT_AT_MOST)
    room = width - sum(w + 2 for w in widths.values()) - 2 - 2
    return {"deal": max(room, DEAL_AT_LEAST), **widths}


TRENDS = (
    ("new_pipeline", "New pipeline"),
    ("won_amount", "Won"),
    ("win_rate", "Win rate"),
    ("activities", "Activities"),
)


def diagnosis_lines(focus: list[Focus], notes: list[str]) -> Group:
    """The areas that fired, ranked, with their evidence; then a line for each
    card marked below the team that their evidence does not name. A line too
    long for the pane wraps under its own first word, not under its mark."""
    parts: list[RenderableType] = []
    if not focus:
        parts.append(Text(f"{NO_AREA_STANDS_OUT.capitalize()}: coach what the rep asks for."))
    for rank, item in enumerate(focus, start=1):
        heading = Text()
        heading.append(f"{rank}. {item.area.label}", style="bold")
        heading.append(f"  ({item.strength} evidence)" if item.strength else "")
        parts += [heading, _under("   · ", [literal(reason) for reason in item.reasons])]
    if notes:
        parts.append(_under("▼ ", [Text(note) for note in notes]))
    return Group(*parts)


def _under(mark: str, lines: list[Text]) -> Table:
    """Each line after `mark`, wrapping under its own start."""
    grid = Table.grid()
    grid.add_column(width=len(mark))
    grid.add_column()
    for line in lines:
        grid.add_row(mark, line)
    return grid


def details(rep: str, review: TeamReview, data: DealData, store: Store) -> ReviewDetails:
    """The rep's weekly trends and stalled deals, on a worker."""
    from coachtui.review.metrics import rep_currencies, stalled_deals, weekly_trends

    trends = weekly_trends(data, rep, review.report.as_of)
    currencies = rep_currencies(data, rep)
    stalled = stalled_deals(data, review.report, rep)
    names = store.deal_names(stalled.get_column("deal_id").to_list())
    return ReviewDetails(rep, trends, stalled, names, review.report.currency, currencies)


class CoachedBefore(Message, bubble=False):
    """What changed while the suggested area was coached, for under the diagnosis."""

    def __init__(self, rep: str, line: str) -> None:
        super().__init__()
        self.rep, self.line = rep, line


def coached_before(
    rep: str, area: FocusArea, review: TeamReview, data: DealData, settings: Settings, store: Store
) -> CoachedBefore | None:
    """On a worker: the impact of the rep's sessions on `area`, if any ended."""
    from coachtui.coaching.impact import ReportCache, coached_in, coached_line, coaching_impact

    on_area = [s for s in coached_in(store, rep) if s.area is area]
    if not on_area:
        return None
    report = review.report
    reports = ReportCache(data, settings, kept=review.kept)
    impact = coaching_impact(data, on_area, report.as_of, report.days, settings, reports)
    return CoachedBefore(rep, coached_line(impact[0], report.currency)) if impact else None


class ReviewPane(VerticalScroll):
    BINDINGS = keys.REVIEW

    def __init__(self, db_path: Path) -> None:
        # "no-rep": only the title, which says how to pick one; no empty charts
        super().__init__(can_focus=True, classes="no-rep")
        self.db_path = db_path
        self.rep: str | None = None
        self.stalled: list[dict[str, Text]] = []
        self.stalled_width = 0
        self.settings: Settings | None = None  # with the team's numbers
        self.diagnosis = Group()

    def use_settings(self, settings: Settings) -> None:
        """The settings the team's numbers were computed with."""
        self.settings = settings

    def compose(self) -> ComposeResult:
        yield Static("Pick a rep on the Roster (enter) to review their deals.", id="review-title")
        yield Static(id="review-focus")
        yield MetricCards(id="review-cards")
        yield Label("Last 12 weeks", classes="section", id="trends-title")
        for key, label in TRENDS:
            with Horizontal(classes="trend"):
                yield Label(label, classes="trend-label")
                yield Sparkline([], id=f"trend-{key}")
                yield Static(id=f"trend-{key}-last", classes="trend-last")
        yield Label("Stage conversion (deals created in the window)", classes="section")
        yield Static(id="review-funnel")
        yield Label("Stalled deals", classes="section", id="stalled-title")
        table = VimTable(id="stalled-table")
        table.cursor_type = "none"
        yield table

    def action_coach(self) -> None:
        if self.rep is not None:
            self.post_message(CoachRep(self.rep))

    def action_brief(self) -> None:
        if self.rep is not None:
            self.post_message(ShowBrief(self.rep))

    def action_step_rep(self, step: int) -> None:
        self.post_message(StepRep(step))

    def action_cycle_window(self) -> None:
        self.post_message(CycleWindow())

    def show(self, rep: str, review: TeamReview, data: DealData) -> None:
        """Paint what the team report already holds, then fill in trends and stalls."""
        if rep != self.rep:
            self.scroll_home(animate=False)
        self.rep = rep
        self.remove_class("no-rep")
        report = review.report
        row = report.rep_row(rep)
        team = report.team_benchmark(row["manager"])
        title = literal(rep, style="bold")
        manager = row["manager"]
        title.append_text(literal(f"  manager: {manager}" if manager else "  no manager"))
        title.append(f"  ·  last {report.days} days to {report.as_of:%d %b %Y}")
        self.query_one("#review-title", Static).update(title)
        focus = review.focus[rep]
        notes = flag_notes(focus, row, team, CARDS)
        self.diagnosis = diagnosis_lines(focus, notes)
        self.query_one("#review-focus", Static).update(self.diagnosis)
        self.query_one(MetricCards).show(row, team, report.currency)
        steps = report.conversion_of(rep)
        team_rates = report.team_conversion.get(row["manager"], [])
        self.query_one("#review-funnel", Static).update(
            funnel(steps, team_rates) if steps else Text("No pipeline stages imported yet.")
        )
        run_on_store(self, self.db_path, partial(details, rep, review, data), group="review")
        if focus and self.settings is not None:
            coached = partial(coached_before, rep, focus[0].area, review, data, self.settings)
            run_on_store(self, self.db_path, coached, group="review-coached")

    def on_coached_before(self, message: CoachedBefore) -> None:
        """A line under the diagnosis: the suggested area was coached before."""
        if message.rep == self.rep:
            line = literal(message.line, style="italic")  # (a currency from the CRM)
            self.query_one("#review-focus", Static).update(Group(self.diagnosis, line))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self.stalled_width:
            self._fill_stalled()

    def _fill_stalled(self) -> None:
        """The stalled deals, their columns fitted to the pane's width."""
        self.stalled_width = width = self.scrollable_content_region.width
        table = self.query_one("#stalled-table", VimTable)
        table.clear(columns=True)
        widths = stalled_widths(
            width,
            [r["stage"].plain for r in self.stalled],
            [r["account"].plain for r in self.stalled],
        )
        shown = [key for key in STALLED_COLUMNS if key in widths]
        for key in shown:
            table.add_column(STALLED_COLUMNS[key], key=key, width=widths[key])
        for row in self.stalled:
            table.add_row(*(row[key] for key in shown), height=None)

    def on_review_details(self, message: ReviewDetails) -> None:
        rep, trends, stalled, names = message.rep, message.trends, message.stalled, message.names
        currency, currencies = message.currency, message.currencies
        if rep != self.rep:
            return
        self.query_one("#trends-title", Label).update(
            f"Last 12 weeks (money in {currencies[0]} only; the rep also sells in "
            f"{', '.join(currencies[1:])})"
            if len(currencies) > 1
            else "Last 12 weeks"
        )
        for key, _label in TRENDS:
            values = trends[key]
            self.query_one(f"#trend-{key}", Sparkline).data = [v or 0 for v in values]
            shown = formatting.metric_text(key, values[-1], currency, short=True)
            self.query_one(f"#trend-{key}-last", Static).update(f"this week {shown}")
        self.stalled = [
            {
                "deal": literal(names.get(deal["deal_id"], (None, None))[0] or deal["deal_id"]),
                "account": literal(names.get(deal["deal_id"], (None, None))[1] or ""),
                "stage": literal(deal["stage"]),
                "days": Text(formatting.count(deal["days_in_stage"]), justify="right"),
                "amount": Text(
                    formatting.money_short(deal["amount"], deal["currency"]), justify="right"
                ),
            }
            for deal in stalled.iter_rows(named=True)
        ]
        self._fill_stalled()
        self.query_one("#stalled-title", Label).update(
            f"Stalled deals ({stalled.height}), longest in stage first"
            if stalled.height
            else "Stalled deals: none"
        )
