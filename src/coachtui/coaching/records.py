"""Coaching sessions as typed records, and the one place they are read from
the store as such: History, the session summary, the copy, the exports and
the live session all read here, in this one form (the roster's overview of
them reads its own counts: coaching.overview).

Plain frozen dataclasses, not pydantic: pydantic's first use costs ~75 ms.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from coachtui.areas import FocusArea
from coachtui.coaching.statuses import (
    STILL_OPEN,
    STILL_OPEN_VALUES,
    STILL_OPEN_WHERE,
    CommitmentStatus,
)
from coachtui.store import Store

if TYPE_CHECKING:
    from coachtui.coaching.playbook import Playbook


@dataclass(frozen=True, kw_only=True)
class CoachingSession:
    id: int
    rep: str
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    focus_area: FocusArea | None = None
    suggested_area: FocusArea | None = None
    notes: str = ""
    # left unfinished and open nowhere (the app closed, killed, or the line
    # dropped) until it was resumed: not part of its length
    paused: dt.timedelta = dt.timedelta(0)

    @property
    def area(self) -> FocusArea | None:
        """The area coached: the one the manager chose, else the suggested one."""
        return self.focus_area or self.suggested_area

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    def lasted(self, until: dt.datetime) -> dt.timedelta:
        """How long it has run from its start until then, its pauses left out."""
        return until - self.started_at - self.paused

    @property
    def minutes(self) -> int | None:
        """How long it lasted, or has lasted until the last thing typed."""
        last = self.ended_at or self.updated_at
        if last is None:
            return None
        return round(self.lasted(last).total_seconds() / 60)


@dataclass(frozen=True, kw_only=True)
class Commitment:
    id: int | None = None  # None until it is saved
    session_id: int
    rep: str
    text: str
    owner: str = "rep"
    due_date: dt.date | None = None
    status: CommitmentStatus = CommitmentStatus.OPEN
    made_on: dt.date | None = None
    marked_on: dt.date | None = None  # when its status last changed

    @property
    def still_open(self) -> bool:
        return self.status in STILL_OPEN

    def overdue(self, today: dt.date) -> bool:
        """Still open after its due date."""
        return self.still_open and self.due_date is not None and self.due_date < today

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "owner": self.owner,
            "due_date": _iso(self.due_date),
            "status": self.status,
            "made_on": _iso(self.made_on),
            "marked_on": _iso(self.marked_on),
        }


# the four buying influences, in the order the grid shows them
INFLUENCE_ROLES = (
    ("economic", "Economic buyer"),
    ("user", "User buyer"),
    ("technical", "Technical buyer"),
    ("coach", "Coach"),
)
STANCES = ("unknown", "supportive", "neutral", "opposed")
# the dollarizing questions asked of a deal, in the deal dialog's order
VALUE_QUESTIONS = (
    ("measure", "How is the problem measured?"),
    ("now", "What is it now?"),
    ("target", "What should it be?"),
    ("worth", "What is the difference worth, per month?"),
    ("years", "What is that worth over 2 to 3 years?"),
)


@dataclass(frozen=True)
class Influence:
    """A buying influence of a deal: who holds the role, met or not, and their stance."""

    role: str
    who: str
    met: bool
    stance: str


def deal_title(deal_id: str, name: str | None, account: str | None) -> str:
    """A deal as a manager names it: its name, with its account unless the name
    says it already; its CRM id when it has no name."""
    title = name or deal_id
    if account and account.casefold() not in title.casefold():
        return f"{title} ({account})"
    return title


@dataclass(frozen=True, kw_only=True)
class DealDiscussed:
    """A deal a session worked on: its cost of inaction, the prospect's answers
    to the value questions and who buys, as known now, and what was learned
    about it in that session."""

    deal_id: str
    name: str | None
    account: str | None
    currency: str | None
    notes: str = ""
    cost_of_inaction_month: float | None = None
    cost_of_inaction_year: float | None = None
    influences: tuple[Influence, ...] = ()
    value_answers: tuple[tuple[str, str], ...] = ()  # (question id, answer), answered only

    @property
    def title(self) -> str:
        return deal_title(self.deal_id, self.name, self.account)

    def as_dict(self) -> dict:
        return {
            "deal_id": self.deal_id,
            "name": self.name,
            "account": self.account,
            "cost_of_inaction_month": self.cost_of_inaction_month,
            "cost_of_inaction_year": self.cost_of_inaction_year,
            "currency": self.currency,
            "notes": self.notes,
            "value_answers": dict(self.value_answers),
            "influences": [asdict(influence) for influence in self.influences],
        }


@dataclass(frozen=True)
class ChecklistItem:
    """A playbook question as a session left it."""

    question_id: str
    area: FocusArea | None  # None: the playbook no longer has the question
    question: str  # as the playbook words it, or its id
    asked: bool
    notes: str


@dataclass(frozen=True)
class SessionRecord:
    """A session with everything said in it: the checklist, the ratings, the
    commitments made, and the earlier commitments it reviewed."""

    session: CoachingSession
    checklist: tuple[ChecklistItem, ...]
    ratings: dict[FocusArea, int]
    commitments: tuple[Commitment, ...]
    reviewed: tuple[Commitment, ...]
    deals: tuple[DealDiscussed, ...] = ()

    def as_dict(self) -> dict:
        """Plain data, as `coachtui export sessions --format json` writes it."""
        session = self.session
        return {
            "id": session.id,
            "rep": session.rep,
            "started_at": session.started_at.isoformat(),
            "ended_at": session.ended_at.isoformat() if session.ended_at else None,
            "minutes": session.minutes,
            "finished": session.finished,
            "focus_area": session.focus_area,
            "suggested_area": session.suggested_area,
            "notes": session.notes,
            "checklist": [
                {"area": i.area or "", "question": i.question, "asked": i.asked, "notes": i.notes}
                for i in self.checklist
            ],
            "ratings": dict(self.ratings),
            "commitments": [c.as_dict() for c in self.commitments],
            "reviewed_commitments": [{"text": c.text, "status": c.status} for c in self.reviewed],
            "deals": [deal.as_dict() for deal in self.deals],
        }


def kept_rate(records: Iterable[SessionRecord]) -> tuple[int, int]:
    """(kept, kept + missed) over the commitments these sessions made, as they
    stand: marked in a later session or between calls (the Commitments tab)."""
    made = [c.status for record in records for c in record.commitments]
    kept = made.count(CommitmentStatus.KEPT)
    return kept, kept + made.count(CommitmentStatus.MISSED)


# -- reading ----------------------------------------------------------------

_SESSION_COLUMNS = (
    "id, rep, started_at, ended_at, updated_at, focus_area, suggested_area, notes, paused_seconds"
)
_COMMITMENT_COLUMNS = "id, session_id, rep, text, owner, due_date, status, created_at, marked_at"


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> dt.date | None:
    """The date of an ISO date or date-time."""
    return dt.date.fromisoformat(value[:10]) if value else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _session(row: tuple) -> CoachingSession:
    id_, rep, started, ended, updated, focus, suggested, notes, paused = row
    return CoachingSession(
        id=id_,
        rep=rep,
        started_at=dt.datetime.fromisoformat(started),
        ended_at=_moment(ended),
        updated_at=_moment(updated),
        focus_area=FocusArea(focus) if focus else None,
        suggested_area=FocusArea(suggested) if suggested else None,
        notes=notes or "",
        paused=dt.timedelta(seconds=max(0, paused or 0)),
    )


def coaching_sessions(
    store: Store,
    rep: str | None = None,
    since: dt.date | None = None,
    session_id: int | None = None,
    unfinished: bool = False,
) -> list[CoachingSession]:
    """Sessions oldest first, unfinished ones included unless only they are asked for."""
    where, params = ["1 = 1"], []
    if rep is not None:
        where.append("rep = ?")
        params.append(rep)
    if since is not None:
        where.append("started_at >= ?")
        params.append(since.isoformat())
    if session_id is not None:
        where.append("id = ?")
        params.append(session_id)
    if unfinished:
        where.append("nullif(ended_at, '') IS NULL")  # an end written as empty text is no end
    rows = store.conn.execute(
        f"SELECT {_SESSION_COLUMNS} FROM coaching_sessions WHERE {' AND '.join(where)} "
        "ORDER BY started_at, id",
        params,
    )
    return [_session(row) for row in rows]


def areas_coached(store: Store, rep: str | None = None) -> list[tuple[str, FocusArea, dt.date]]:
    """(rep, area, the day it ended) of each ended session with an area
    (`CoachingSession.area`), oldest first: what impact reads of the
    sessions, without making 20,000 of them whole (0.1-0.16 s, read so 0.04 s)."""
    chosen = "coalesce(nullif(focus_area, ''), nullif(suggested_area, ''))"
    where = ["nullif(ended_at, '') IS NOT NULL", f"{chosen} IS NOT NULL"]
    if rep is not None:
        where.append("rep = ?")
    rows = store.conn.execute(
        f"SELECT rep, {chosen}, ended_at FROM coaching_sessions WHERE {' AND '.join(where)} "
        "ORDER BY started_at, id",
        () if rep is None else (rep,),
    )
    return [(whose, FocusArea(area), _moment(ended).date()) for whose, area, ended in rows]


class SessionCounts(NamedTuple):
    held: int
    ended: int
    ended_by: int  # by the day asked for


def session_counts(store: Store, as_of: dt.date, rep: str | None = None) -> SessionCounts:
    """The rep's (or every rep's) sessions: how many there are, how many
    ended, and how many ended by `as_of`."""
    where, params = ("WHERE rep = ?", (rep,)) if rep is not None else ("", ())
    return SessionCounts(
        *store.conn.execute(
            "SELECT COUNT(*), COUNT(nullif(ended_at, '')), "
            "COUNT(CASE WHEN substr(nullif(ended_at, ''), 1, 10) <= ? THEN 1 END) "
            f"FROM coaching_sessions {where}",
            (as_of.isoformat(), *params),
        ).fetchone()
    )


def unfinished_session(store: Store, rep: str) -> CoachingSession | None:
    """The rep's latest session not yet ended."""
    unfinished = coaching_sessions(store, rep, unfinished=True)
    return unfinished[-1] if unfinished else None


def question_notes(store: Store, session_id: int) -> dict[str, tuple[bool, str]]:
    """question id -> (asked, notes), in the order of the question ids."""
    rows = store.conn.execute(
        "SELECT question_id, asked, text FROM question_notes WHERE session_id = ? "
        "ORDER BY question_id",
        (session_id,),
    )
    return {question: (bool(asked), text or "") for question, asked, text in rows}


def ratings(store: Store, session_id: int) -> dict[FocusArea, int]:
    rows = store.conn.execute(
        "SELECT area, rating FROM ratings WHERE session_id = ? ORDER BY area", (session_id,)
    )
    return {FocusArea(area): rating for area, rating in rows}


def deals_discussed(store: Store, session_id: int) -> list[DealDiscussed]:
    """The deals a session worked on, in the order they were taken up."""
    rows = store.conn.execute(
        """
        SELECT s.deal_id, s.name, s.account, s.currency, s.notes, v.per_month, v.per_year,
            v.answers
        FROM session_deals s LEFT JOIN deal_values v ON v.deal_id = s.deal_id
        WHERE s.session_id = ? ORDER BY s.added_at, s.rowid
        """,
        (session_id,),
    ).fetchall()
    return [
        DealDiscussed(
            deal_id=deal_id,
            name=name,
            account=account,
            currency=currency,
            notes=notes or "",
            cost_of_inaction_month=per_month,
            cost_of_inaction_year=per_year,
            influences=tuple(influences(store, deal_id)),
            value_answers=value_answers(stored_answers(answers)),
        )
        for deal_id, name, account, currency, notes, per_month, per_year, answers in rows
    ]


def stored_answers(stored: str | None) -> dict[str, str]:
    """A deal's answers as the database keeps them, JSON by question id; one
    damaged (not JSON, not text) reads as no answer rather than stopping
    every summary and export that shows the deal."""
    try:
        answers = json.loads(stored or "{}")
    except ValueError:
        return {}
    if not isinstance(answers, dict):
        return {}
    return {question: answer for question, answer in answers.items() if isinstance(answer, str)}


def value_answers(answers: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The value questions answered, in the dialog's order, each on one line
    (the dialog's boxes are; a sessions file's may not be)."""
    said = {
        question: " ".join(answers.get(question, "").split()) for question, _ in VALUE_QUESTIONS
    }
    return tuple((question, answer) for question, answer in said.items() if answer)


def influences(store: Store, deal_id: str) -> list[Influence]:
    """The deal's buying influences as recorded, in the grid's order of roles."""
    rows = store.conn.execute(
        "SELECT role, who, met, stance FROM buying_influences WHERE deal_id = ?", (deal_id,)
    )
    order = [role for role, _label in INFLUENCE_ROLES]
    return sorted(
        (Influence(role, who or "", bool(met), stance) for role, who, met, stance in rows),
        key=lambda influence: order.index(influence.role),
    )


def _commitments(store: Store, where: str, params: tuple, order: str = "id") -> list[Commitment]:
    rows = store.conn.execute(
        f"SELECT {_COMMITMENT_COLUMNS} FROM commitments WHERE {where} ORDER BY {order}", params
    )
    return [
        Commitment(
            id=id_,
            session_id=session_id,
            rep=rep,
            text=text,
            owner=owner,
            due_date=_day(due),
            status=CommitmentStatus(status),
            made_on=_day(made),
            marked_on=_day(marked),
        )
        for id_, session_id, rep, text, owner, due, status, made, marked in rows
    ]


def commitments_made(store: Store, session_id: int) -> list[Commitment]:
    return _commitments(store, "session_id = ?", (session_id,))


def commitments_reviewed(store: Store, session_id: int) -> list[Commitment]:
    """The earlier commitments this session marked kept, missed or carried: a
    carried one is open again once the session ends, and carried here."""
    marked = _commitments(store, "reviewed_in_session = ?", (session_id,))
    carried = _commitments(
        store,
        "id IN (SELECT commitment_id FROM carried_commitments WHERE session_id = ?)",
        (session_id,),
    )
    carried = [replace(c, status=CommitmentStatus.CARRIED) for c in carried]
    return sorted([*marked, *carried], key=lambda c: c.id or 0)


def commitments_to_review(store: Store, rep: str, session_id: int) -> list[Commitment]:
    """What earlier sessions promised and this one looks at: every commitment
    still open, and those already marked in this session."""
    return _commitments(
        store,
        "rep = ? AND session_id != ? AND (status = ? OR reviewed_in_session = ?)",
        (rep, session_id, CommitmentStatus.OPEN.value, session_id),
        order="due_date IS NULL, due_date, id",
    )


def open_commitments(store: Store, rep: str | None = None) -> list[Commitment]:
    """Every commitment neither kept nor missed, earliest due first, those
    without a due date last; of one rep, or of everyone."""
    where, params = STILL_OPEN_WHERE, STILL_OPEN_VALUES
    if rep is not None:
        where, params = f"{where} AND rep = ?", (*STILL_OPEN_VALUES, rep)
    return _commitments(store, where, params, order="due_date IS NULL, due_date, id")


def commitment(store: Store, commitment_id: int) -> Commitment | None:
    """One commitment as it stands now; None when it was deleted."""
    found = _commitments(store, "id = ?", (commitment_id,))
    return found[0] if found else None


def overdue_first(commitments: Iterable[Commitment], today: dt.date) -> list[Commitment]:
    """Overdue ones first, then by due date (none last), then by rep."""
    return sorted(
        commitments,
        key=lambda c: (not c.overdue(today), c.due_date is None, c.due_date or today, c.rep),
    )


def deals_discussed_with(store: Store, rep: str, until: dt.date) -> list[DealDiscussed]:
    """Every deal the rep's sessions started by `until` worked on, once each,
    as the last of them left it."""
    latest: dict[str, DealDiscussed] = {}
    for session in coaching_sessions(store, rep):
        if session.started_at.date() <= until:
            latest |= {deal.deal_id: deal for deal in deals_discussed(store, session.id)}
    return list(latest.values())


def deals_discussed_last_time(
    store: Store, rep: str, session_id: int
) -> tuple[CoachingSession, list[DealDiscussed]] | None:
    """The rep's last session before this one that discussed any deal, and
    those deals with what was learned about them then; None when none did."""
    earlier = [s for s in coaching_sessions(store, rep) if s.id != session_id]
    current = coaching_sessions(store, session_id=session_id)
    if current:
        earlier = [s for s in earlier if s.started_at <= current[0].started_at]
    for session in reversed(earlier):
        deals = deals_discussed(store, session.id)
        if deals:
            return session, deals
    return None


def question_wordings(playbook: Playbook) -> dict[str, tuple[FocusArea, str]]:
    """question id ("dollarizing.measure") -> (its area, its wording)."""
    return {
        f"{area.id.value}.{q.id}": (area.id, q.text)
        for area in playbook.areas
        for q in area.questions
    }


def _checklist(
    notes: dict[str, tuple[bool, str]], questions: dict[str, tuple[FocusArea, str]]
) -> tuple[ChecklistItem, ...]:
    """The questions a session answered or marked, as the playbook words and
    orders them; those it no longer has after them."""
    order = {question_id: n for n, question_id in enumerate(questions)}
    in_order = sorted(notes.items(), key=lambda note: order.get(note[0], len(order)))
    return tuple(
        ChecklistItem(question_id, *questions.get(question_id, (None, question_id)), asked, text)
        for question_id, (asked, text) in in_order
    )


def sessions(
    store: Store,
    playbook: Playbook,
    rep: str | None = None,
    since: dt.date | None = None,
    session_id: int | None = None,
    team: Collection[str] | None = None,
) -> list[SessionRecord]:
    """Sessions oldest first, unfinished ones included, with everything said in
    them; with `session_id`, that one session; with `team`, its reps' only."""
    questions = question_wordings(playbook)
    return [
        SessionRecord(
            session=session,
            checklist=_checklist(question_notes(store, session.id), questions),
            ratings=ratings(store, session.id),
            commitments=tuple(commitments_made(store, session.id)),
            reviewed=tuple(commitments_reviewed(store, session.id)),
            deals=tuple(deals_discussed(store, session.id)),
        )
        for session in coaching_sessions(store, rep, since, session_id)
        if team is None or session.rep in team
    ]
