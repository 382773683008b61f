"""The brief: what the manager reads in the two minutes before a one-on-one.

The focus and its evidence, what changed since the last session, that
session's focus and ratings, the commitments still open, the stalled deals by
name, the deals discussed before that are still open, and the coaching
impact so far. As data (JSON), as text for a terminal (80 columns, no
markup) and as Markdown that reads as plain text in a CRM note.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass

import polars as pl

from coachtui.coaching import records
from coachtui.coaching.export import cost_of_inaction, influence_text
from coachtui.coaching.impact import (
    HEADLINES,
    AreaImpact,
    ReportCache,
    Window,
    coached,
    coached_areas,
    coaching_impact,
    direction,
    impact_lines,
    impact_windows,
)
from coachtui.coaching.records import CoachingSession, Commitment, DealDiscussed, deal_title
from coachtui.coaching.statuses import CommitmentStatus
from coachtui.review.diagnosis import NO_AREA_STANDS_OUT, Focus
from coachtui.review.metrics import (
    METRICS,
    DealData,
    open_as_of,
    stalled_deals,
)
from coachtui.review.team import TeamReview
from coachtui.settings import Settings
from coachtui.store import Store
from coachtui.text import METRIC_NAMES, day, metric_text, money, visible


@dataclass(frozen=True)
class StalledDeal:
    deal_id: str
    name: str | None
    account: str | None
    stage: str
    days_in_stage: float
    amount: float | None
    currency: str | None

    @property
    def title(self) -> str:
        return deal_title(self.deal_id, self.name, self.account)


@dataclass(frozen=True)
class Change:
    metric: str
    then: float | None
    now: float | None


@dataclass(frozen=True)
class LastSession:
    session: CoachingSession
    ratings: dict
    # the commitments made in it, as they stand now (kept, missed or still open)
    commitments: tuple[Commitment, ...] = ()
    # earlier ones it marked kept, missed or carried
    reviewed: tuple[Commitment, ...] = ()

    def as_dict(self) -> dict:
        return {
            "date": self.session.ended_at.date().isoformat(),
            "focus_area": self.session.focus_area,
            "suggested_area": self.session.suggested_area,
            "ratings": {area.value: rating for area, rating in self.ratings.items()},
            "minutes": self.session.minutes,
        }


@dataclass(frozen=True)
class Brief:
    rep: str
    manager: str | None
    as_of: dt.date
    days: int
    currency: str | None  # the one currency of all deals, if there is exactly one
    focus: list[Focus]
    last_session: LastSession | None
    changes: list[Change]
    commitments: list[Commitment]
    stalled: list[StalledDeal]
    deals_discussed: list[DealDiscussed]
    impact: list[AreaImpact]

    def as_dict(self) -> dict:
        return {
            "rep": self.rep,
            "manager": self.manager,
            "as_of": self.as_of.isoformat(),
            "days": self.days,
            "focus": [f.as_dict() for f in self.focus],
            "last_session": self.last_session.as_dict() if self.last_session else None,
            "changes": [{"metric": c.metric, "then": c.then, "now": c.now} for c in self.changes],
            "commitments": [
                {
                    "text": c.text,
                    "owner": c.owner,
                    "due_date": c.due_date.isoformat() if c.due_date else None,
                    "overdue": c.overdue(self.as_of),
                    "made_on": c.made_on.isoformat() if c.made_on else None,
                }
                for c in self.commitments
            ],
            "stalled_deals": [
                {
                    "deal_id": d.deal_id,
                    "name": d.name,
                    "account": d.account,
                    "stage": d.stage,
                    "days_in_stage": d.days_in_stage,
                    "amount": d.amount,
                    "currency": d.currency,
                }
                for d in self.stalled
            ],
            "deals_discussed": [
                {
                    "deal_id": d.deal_id,
                    "name": d.name,
                    "cost_of_inaction_year": d.cost_of_inaction_year,
                    "currency": d.currency,
                    "influences": d.as_dict()["influences"],
                }
                for d in self.deals_discussed
            ],
            "impact": [i.as_dict() for i in self.impact],
        }


def last_ended(sessions: list[CoachingSession], as_of: dt.date) -> CoachingSession | None:
    """The session that ended last on or before `as_of`."""
    ended = [s for s in sessions if s.ended_at is not None and s.ended_at.date() <= as_of]
    return max(ended, key=lambda s: s.ended_at, default=None)


def _stalled(store: Store, data: DealData, team: TeamReview, rep: str, settings) -> list:
    frame = stalled_deals(data, team.report, rep, settings)
    names = store.deal_names(frame.get_column("deal_id").to_list()) if frame.height else {}
    return [
        StalledDeal(
            deal_id=row["deal_id"],
            name=names.get(row["deal_id"], (None, None))[0],
            account=names.get(row["deal_id"], (None, None))[1],
            stage=row["stage"],
            days_in_stage=row["days_in_stage"],
            amount=row["amount"],
            currency=row["currency"],
        )
        for row in frame.iter_rows(named=True)
    ]


def _still_open(data: DealData, deals: list[DealDiscussed], as_of: dt.date) -> list:
    ids = [deal.deal_id for deal in deals]
    open_ids = set(
        data.deals.filter(pl.col("deal_id").is_in(ids) & open_as_of(as_of))
        .get_column("deal_id")
        .to_list()
    )
    return [deal for deal in deals if deal.deal_id in open_ids]


def windows_read(
    sessions: list[CoachingSession], as_of: dt.date, days: int
) -> dict[Window, set[str]]:
    """The windows the briefs of the sessions' reps read, with the reps read
    in each: impact's, and what changed since each rep's last session (the
    window ending on it and the brief's own), so that all are computed in one
    pass over the deals."""
    wanted = impact_windows(coached_areas(coached(sessions), as_of, days), days)
    by_rep: dict[str, list[CoachingSession]] = {}
    for session in sessions:
        by_rep.setdefault(session.rep, []).append(session)
    for rep, theirs in by_rep.items():
        last = last_ended(theirs, as_of)
        if last is not None:
            for end in (last.ended_at.date(), as_of):
                wanted.setdefault((end, days), set()).add(rep)
    return wanted


def _last_session(store: Store, last: CoachingSession | None) -> LastSession | None:
    if last is None:
        return None
    made = tuple(records.commitments_made(store, last.id))
    earlier = [c for c in records.commitments_reviewed(store, last.id) if c.session_id != last.id]
    return LastSession(last, records.ratings(store, last.id), made, tuple(earlier))


def build_brief(
    store: Store,
    data: DealData,
    team: TeamReview,
    rep: str,
    settings: Settings,
    reports: ReportCache | None = None,
) -> Brief:
    """The brief for `rep`, as of the team review's date and over its window."""
    as_of, days = team.report.as_of, team.report.days
    reports = reports or ReportCache(data, settings, kept=team.kept).knowing(team.report)
    sessions = records.coaching_sessions(store, rep)
    last = last_ended(sessions, as_of)
    reports.prepare(windows_read(sessions, as_of, days))
    changes = []
    if last is not None:
        then, _ = reports.values(rep, last.ended_at.date(), days, per_30_days=False)
        now, _ = reports.values(rep, as_of, days, per_30_days=False)
        changes = [Change(metric, then[metric], now[metric]) for metric in METRICS]
    return Brief(
        rep=rep,
        manager=team.report.rep_row(rep).get("manager"),
        as_of=as_of,
        days=days,
        currency=team.report.currency,
        focus=team.focus_of(rep),
        last_session=_last_session(store, last),
        changes=changes,
        commitments=records.open_commitments(store, rep),
        stalled=_stalled(store, data, team, rep, settings),
        deals_discussed=_still_open(data, records.deals_discussed_with(store, rep, as_of), as_of),
        impact=coaching_impact(data, coached(sessions), as_of, days, settings, reports),
    )


# -- as text -----------------------------------------------------------------

STALLED_SHOWN = 8  # the longest in stage; the JSON has them all
DECIDED = (CommitmentStatus.KEPT, CommitmentStatus.MISSED)  # the others are still open
# open deals leave the pipeline as they are won as well as lost: no way is better
NO_BETTER_OR_WORSE = ("open_deals", "open_pipeline")


def _heading(brief: Brief) -> str:
    manager = f", manager {brief.manager}" if brief.manager else ""
    return f"Brief: {brief.rep}{manager}, {brief.days} days to {brief.as_of:%a %d %b %Y}"


def _focus_lines(brief: Brief) -> list[str]:
    if not brief.focus:
        return [NO_AREA_STANDS_OUT]
    return [
        f"{n}. {f.area.label}{f' ({f.strength} evidence)' if f.strength else ''}: {f.evidence}"
        for n, f in enumerate(brief.focus, start=1)
    ]


def _last_session_lines(brief: Brief) -> list[str]:
    last = brief.last_session
    if last is None:
        return ["no session yet"]
    session = last.session
    area = session.area.label if session.area else "no focus"
    chosen = " (suggested)" if session.area and not session.focus_area else ""
    minutes = f", {session.minutes} min" if session.minutes is not None else ""
    lines = [f"{session.ended_at:%a %d %b %Y}: {area}{chosen}{minutes}"]
    if last.ratings:
        rated = ", ".join(f"{area.label} {rating}/5" for area, rating in last.ratings.items())
        lines.append(f"ratings: {rated}")
    reviewed = [_marked(c) for c in last.reviewed]
    if reviewed:
        reviewed.insert(0, "earlier commitments marked then:")
    return lines + reviewed + _outcome_lines(last.commitments)


def _outcome_lines(made: tuple[Commitment, ...]) -> list[str]:
    """How the commitments made last time went: counted, then the kept and
    missed ones by name (the open ones are under Open commitments)."""
    if not made:
        return ["no commitment made"]
    decided = [c for c in made if c.status in DECIDED]
    counts = [(sum(c.status is status for c in made), status.value) for status in DECIDED]
    counts.append((len(made) - len(decided), "still open"))
    said = ", ".join(f"{count} {word}" for count, word in counts if count)
    return [
        f"commitments made then: {said}",
        *map(_marked, decided),
    ]


def _marked(commitment: Commitment) -> str:
    """ "  missed: Book the CFO (rep)"."""
    return f"  {commitment.status}: {commitment.text} ({commitment.owner})"


def _change_lines(brief: Brief) -> list[str]:
    """Each metric that moved, over the window to the last session and the one
    to now: the metrics of the area coached then first, better or worse."""
    last = brief.last_session
    if last is None:
        return []
    moved = {c.metric: c for c in brief.changes if c.then != c.now}
    if not moved:
        return ["no metric moved"]
    coached = HEADLINES[last.session.area] if last.session.area else ()
    order = [*coached, *(metric for metric in METRICS if metric not in coached)]
    then, now = day(last.session.ended_at.date()), day(brief.as_of)
    windows = f"{brief.days}-day figures at the last session ({then}) and now ({now})"
    return [windows, *(_change_line(moved[m], brief.currency) for m in order if m in moved)]


def _change_line(change: Change, currency: str | None) -> str:
    """ "win rate: 22% -> 16%, worse"."""
    then, now = change.then, change.now
    line = (
        f"{METRIC_NAMES[change.metric]}: {metric_text(change.metric, then, currency)} -> "
        f"{metric_text(change.metric, now, currency)}"
    )
    if then is None or now is None or change.metric in NO_BETTER_OR_WORSE:
        return line
    return f"{line}, {direction(now - then, (then, now), change.metric)}"


def _commitment_lines(brief: Brief) -> list[str]:
    lines = []
    for c in brief.commitments:
        overdue = "OVERDUE " if c.overdue(brief.as_of) else ""
        due = f", due {day(c.due_date)}" if c.due_date else ""
        lines.append(f"{overdue}{c.text} ({c.owner}{due})")
    return lines or ["none open"]


def _stalled_lines(brief: Brief) -> list[str]:
    lines = [
        f"{d.title}: {d.stage} for {d.days_in_stage:.0f} days, {money(d.amount, d.currency)}"
        for d in brief.stalled[:STALLED_SHOWN]
    ]
    more = len(brief.stalled) - STALLED_SHOWN
    if more > 0:
        lines.append(f"and {more} more (--format json lists them all)")
    return lines or ["none"]


def _discussed_lines(brief: Brief) -> list[str]:
    lines = []
    for deal in brief.deals_discussed:
        not_met = [influence_text(i) for i in deal.influences if not i.met]
        lines.append(f"{deal.title}: {cost_of_inaction(deal)}")
        lines += [f"  {line}" for line in not_met]
    return lines


def _impact_lines(brief: Brief) -> list[str]:
    return [
        line if n == 0 else f"  {line}"
        for impact in brief.impact
        for n, line in enumerate(impact_lines(impact, brief.currency))
    ]


SECTIONS = (
    ("Focus", _focus_lines),
    ("Last session", _last_session_lines),
    ("What changed since the last session", _change_lines),
    ("Open commitments", _commitment_lines),
    ("Stalled deals", _stalled_lines),
    ("Deals discussed before, still open", _discussed_lines),
    ("Coaching impact so far", _impact_lines),
)


def _sections(brief: Brief) -> list[tuple[str, list[str]]]:
    sections = [(title, lines(brief)) for title, lines in SECTIONS]
    return [(title, [visible(line) for line in lines]) for title, lines in sections if lines]


def as_text(brief: Brief, width: int = 80) -> str:
    """For a terminal: at most `width` columns, no markup, no escapes."""
    out = [*textwrap.wrap(visible(_heading(brief)), width), ""]
    for title, lines in _sections(brief):
        out.append(title)
        for line in lines:
            indent = "  " + " " * (len(line) - len(line.lstrip(" ")))
            out += textwrap.wrap(
                line.strip(),
                width,
                initial_indent=indent,
                subsequent_indent=indent + "  ",
                break_on_hyphens=False,
            )
        out.append("")
    return "\n".join(out)


def _markdown_item(line: str, numbered: bool) -> str:
    """A list item, nested when the line is indented; the focus areas numbered
    as they are ("- 1. Dollarizing" read as a bullet and a number)."""
    marker = "" if numbered else "- "
    return f"{'  ' if line.startswith('  ') else ''}{marker}{line.strip()}"


def as_markdown(brief: Brief) -> str:
    """For a CRM note or an email: Markdown that reads as plain text."""
    out = [f"## {visible(_heading(brief))}", ""]
    for title, lines in _sections(brief):
        out += [f"### {title}", ""]
        out += [_markdown_item(line, numbered=title == "Focus") for line in lines]
        out.append("")
    return "\n".join(out)
