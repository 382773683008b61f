"""The Review tab: one rep's numbers against the team, and what to coach."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Sparkline, Static

from coachtui import text as formatting
from coachtui.review.diagnosis import Focus, flag_notes
from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.messages import CoachRep, CycleWindow, ReviewDetails, ShowBrief, StepRep
from coachtui.screens.widgets.funnel import funnel
from coachtui.screens.widgets.metric_cards import CARDS, MetricCards
from coachtui.screens.widgets.table import VimTable
from coachtui.screens.workers import run_on_store

if TYPE_CHECKING:
    from pathlib import Path

    from coachtui.review.metrics import DealData
    from coachtui.review.team import TeamReview
    from coachtui.store import Store

TRENDS = (
    ("new_pipeline", "New pipeline"),
    ("won_amount", "Won"),
    ("win_rate", "Win rate"),
    ("activities", "Activities"),
)


def diagnosis_text(focus: list[Focus], notes: list[str]) -> Text:
    """The areas that fired, ranked, with their evidence; then a line for each
    card marked below the team that their evidence does not name."""
    text = Text()
    if not focus:
        text.append("Nothing stands out against the team: coach what the rep asks for.\n")
    for rank, item in enumerate(focus, start=1):
        text.append(f"{rank}. {item.area.label}", style="bold")
        text.append(f"  ({item.strength} evidence)\n" if item.strength else "\n")
        for reason in item.reasons:
            text.append_text(literal(f"   · {reason}\n"))
    for note in notes:
        text.append(f"▼ {note}\n")
    return text


def details(rep: str, review: TeamReview, data: DealData, store: Store) -> ReviewDetails:
    """The rep's weekly trends and stalled deals, on a worker."""
    from coachtui.review.metrics import rep_currencies, stalled_deals, weekly_trends

    trends = weekly_trends(data, rep, review.report.as_of)
    currencies = rep_currencies(data, rep)
    stalled = stalled_deals(data, review.report, rep)
    names = store.deal_names(stalled.get_column("deal_id").to_list())
    return ReviewDetails(rep, trends, stalled, names, review.report.currency, currencies)


class ReviewPane(VerticalScroll):
    BINDINGS = keys.REVIEW

    def __init__(self, db_path: Path) -> None:
        super().__init__(can_focus=True)
        self.db_path = db_path
        self.rep: str | None = None

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
        for label, width in (
            ("Deal", 24),
            ("Account", 14),
            ("Stage", 14),
            ("Days", 5),
            ("Amount", 7),
        ):
            table.add_column(label, key=label.lower(), width=width)
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
        self.query_one("#review-focus", Static).update(diagnosis_text(focus, notes))
        self.query_one(MetricCards).show(row, team, report.currency)
        steps = report.conversion[rep]
        team_rates = report.team_conversion.get(row["manager"], [])
        self.query_one("#review-funnel", Static).update(
            funnel(steps, team_rates) if steps else Text("No pipeline stages imported yet.")
        )
        run_on_store(self, self.db_path, partial(details, rep, review, data), group="review")

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
        table = self.query_one("#stalled-table", VimTable)
        table.clear()
        for deal in stalled.iter_rows(named=True):
            name, account = names.get(deal["deal_id"], (None, None))
            table.add_row(
                literal(name or deal["deal_id"]),
                literal(account or ""),
                literal(deal["stage"]),
                Text(formatting.count(deal["days_in_stage"]), justify="right"),
                Text(formatting.money_short(deal["amount"], deal["currency"]), justify="right"),
            )
        self.query_one("#stalled-title", Label).update(
            f"Stalled deals ({stalled.height}), longest in stage first"
            if stalled.height
            else "Stalled deals: none"
        )
