"""The Review tab: one rep's numbers against the team, and what to coach."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Sparkline, Static

from coachtui import text as formatting
from coachtui.review.diagnosis import Focus
from coachtui.screens import keys
from coachtui.screens.messages import CoachRep, CycleWindow, ReviewDetails, StepRep
from coachtui.screens.widgets.funnel import funnel
from coachtui.screens.widgets.metric_cards import MetricCards
from coachtui.screens.widgets.table import VimTable
from coachtui.screens.workers import run_on_store
from coachtui.text import literal

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


def diagnosis_text(focus: list[Focus]) -> Text:
    if not focus:
        return Text("Nothing stands out against the team: coach what the rep asks for.")
    text = Text()
    for rank, item in enumerate(focus, start=1):
        text.append(f"{rank}. {item.area.label}", style="bold")
        text.append(f"  (score {item.score:.2f})\n" if item.score else "\n")
        for reason in item.reasons:
            text.append_text(literal(f"   · {reason}\n"))
    return text


def details(rep: str, review: TeamReview, data: DealData, store: Store) -> ReviewDetails:
    """The rep's weekly trends and stalled deals, on a worker."""
    import polars as pl  # loaded by then: the team was computed with it

    from coachtui.review.metrics import stalled_deals, weekly_trends

    trends = weekly_trends(data, rep, review.report.as_of)
    written = data.deals.filter(pl.col("rep") == rep).get_column("currency").drop_nulls()
    main = written.mode().sort().first() if written.len() else None
    currencies = [main, *sorted(set(written) - {main})] if main else []
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
        title.append_text(literal(f"  {row['manager'] or 'no manager'}"))
        title.append(f"  ·  last {report.days} days to ")
        title.append(f"{report.as_of:%d %b %Y}  ·  w: window")
        self.query_one("#review-title", Static).update(title)
        self.query_one("#review-focus", Static).update(diagnosis_text(review.focus[rep]))
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
            last = values[-1]
            if key == "win_rate":
                shown = formatting.percent(last)
            elif key == "activities":
                shown = formatting.count(last)
            else:
                shown = formatting.money_short(last, currency)
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
