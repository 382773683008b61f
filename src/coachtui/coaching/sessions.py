"""Coaching sessions in the store: start or resume, save as the manager types
(notes, focus, questions, ratings), and the end of a session.

Every function is one short write transaction, so a kill between two of them
loses at most the change being typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coachtui.areas import COACHING_AREAS, FocusArea
from coachtui.coaching import records
from coachtui.coaching.records import (
    CoachingSession,
    Commitment,
    DealDiscussed,
)
from coachtui.coaching.statuses import CommitmentStatus
from coachtui.store import Store

if TYPE_CHECKING:
    from coachtui.review.diagnosis import Focus

RATINGS = range(1, 6)


def timestamp() -> str:
    """When a change is saved, to the second."""
    return dt.datetime.now().isoformat(timespec="seconds")


def start_or_resume(
    store: Store, rep: str, suggested: FocusArea | None, *, resumed_at: dt.datetime | None = None
) -> CoachingSession:
    """The rep's unfinished session, or a new one. `resumed_at`: the moment an
    unfinished session not open in this app is taken up again; it was open
    nowhere since its last change, and that time is added to its pauses (its
    length leaves them out). None: it is open here already."""
    with store.write():
        current = records.unfinished_session(store, rep)
        if current is not None and resumed_at is None:
            return current
        if current is not None:
            away = max(resumed_at - (current.updated_at or current.started_at), dt.timedelta(0))
            store.conn.execute(
                "UPDATE coaching_sessions SET paused_seconds = ?, updated_at = ? WHERE id = ?",
                (
                    int((current.paused + away).total_seconds()),
                    resumed_at.isoformat(timespec="seconds"),
                    current.id,
                ),
            )
            (resumed,) = records.coaching_sessions(store, session_id=current.id)
            return resumed
        now = timestamp()
        suggested_value = suggested.value if suggested else None
        cursor = store.conn.execute(
            "INSERT INTO coaching_sessions (rep, started_at, suggested_area, notes, updated_at) "
            "VALUES (?, ?, ?, '', ?)",
            (rep, now, suggested_value, now),
        )
        (started,) = records.coaching_sessions(store, session_id=cursor.lastrowid)
    return started


@dataclass
class LiveSession:
    """The session on the Coach tab, as loaded from the store; the screen keeps
    it up to date as the manager types."""

    session: CoachingSession
    focus: list[Focus]  # the rep's suggested areas, with their evidence
    to_review: list[Commitment]  # earlier commitments, open or marked in this session
    notes: dict[str, tuple[bool, str]]  # question id -> (asked, notes)
    ratings: dict[FocusArea, int]
    made: list[Commitment]
    deals: list[DealDiscussed]  # the deals taken up so far, the last one last
    deal_id: str | None  # the deal the deal dialog opens on: the last one worked on
    stalled: list[str]  # the rep's stalled deals, offered first
    new: bool = False  # started just now, not resumed
    # the deals of the last earlier session that discussed any, and when it started
    last_deals: list[DealDiscussed] = field(default_factory=list)
    last_deals_on: dt.date | None = None


def open_live_session(
    store: Store,
    rep: str,
    focus: list[Focus],
    stalled: list[str],
    *,
    resumed_at: dt.datetime | None = None,
) -> LiveSession:
    """The rep's unfinished session (taken up again at `resumed_at`, None: it
    is the one this app shows), or a new one suggesting the first area in
    `focus`, with everything said in it so far."""
    suggested = next((f.area for f in focus if f.area in COACHING_AREAS), None)
    new = records.unfinished_session(store, rep) is None
    session = start_or_resume(store, rep, suggested, resumed_at=resumed_at)
    deals = records.deals_discussed(store, session.id)
    last_time = records.deals_discussed_last_time(store, rep, session.id)
    return LiveSession(
        session=session,
        focus=focus,
        to_review=records.commitments_to_review(store, rep, session.id),
        notes=records.question_notes(store, session.id),
        ratings=records.ratings(store, session.id),
        made=records.commitments_made(store, session.id),
        deals=deals,
        deal_id=deals[-1].deal_id if deals else None,
        stalled=stalled,
        new=new,
        last_deals=last_time[1] if last_time else [],
        last_deals_on=last_time[0].started_at.date() if last_time else None,
    )


def still_open(store: Store, session_id: int, now: dt.datetime) -> None:
    """The session is open here at `now`: a resumption's pause counts from
    the last such mark, not from the last word typed (a rep talked, a rating
    was given, and the manager typed nothing)."""
    with store.write():
        store.conn.execute(
            "UPDATE coaching_sessions SET updated_at = ? WHERE id = ? AND ended_at IS NULL",
            (now.isoformat(timespec="seconds"), session_id),
        )


def save_notes(store: Store, session_id: int, text: str) -> None:
    with store.write():
        store.conn.execute(
            "UPDATE coaching_sessions SET notes = ?, updated_at = ? WHERE id = ?",
            (text, timestamp(), session_id),
        )


def choose_focus(store: Store, session_id: int, area: FocusArea) -> None:
    """The manager overrules the suggestion."""
    with store.write():
        store.conn.execute(
            "UPDATE coaching_sessions SET focus_area = ?, updated_at = ? WHERE id = ?",
            (area.value, timestamp(), session_id),
        )


def save_question(
    store: Store,
    session_id: int,
    question_id: str,
    text: str | None = None,
    asked: bool | None = None,
) -> None:
    """A question's notes and/or its asked mark; what is not given stays."""
    with store.write():
        store.conn.execute(
            """
            INSERT INTO question_notes (session_id, question_id, asked, text, updated_at)
            VALUES (?, ?, COALESCE(?, 0), COALESCE(?, ''), ?)
            ON CONFLICT (session_id, question_id) DO UPDATE SET
                asked = COALESCE(?, asked), text = COALESCE(?, text),
                updated_at = excluded.updated_at
            """,
            (session_id, question_id, asked, text, timestamp(), asked, text),
        )


def rate(store: Store, session_id: int, area: FocusArea, rating: int) -> None:
    """A skill rating, 1 to 5 (anything else is refused with a ValueError)."""
    if rating not in RATINGS:
        raise ValueError(f"a rating is 1 to 5, not {rating!r}")
    with store.write():
        store.conn.execute(
            "INSERT INTO ratings (session_id, area, rating) VALUES (?, ?, ?) "
            "ON CONFLICT (session_id, area) DO UPDATE SET rating = excluded.rating",
            (session_id, FocusArea(area).value, rating),
        )


def unrate(store: Store, session_id: int, area: FocusArea) -> None:
    """The area not rated in this session after all."""
    with store.write():
        store.conn.execute(
            "DELETE FROM ratings WHERE session_id = ? AND area = ?",
            (session_id, FocusArea(area).value),
        )


EMPTY_FOR = dt.timedelta(minutes=5)  # a session this long with nothing written is kept
# what makes a session worth keeping: anything said or marked in it (text
# that is not blank: spaces, tabs and line ends alone are nothing)
_BLANK = "' ' || char(9, 10, 13)"
_SAID_IN = f"""
    SELECT EXISTS (SELECT 1 FROM coaching_sessions WHERE id = :id
                   AND (trim(notes, {_BLANK}) != '' OR focus_area IS NOT NULL))
    OR EXISTS (SELECT 1 FROM question_notes WHERE session_id = :id
               AND (asked OR trim(text, {_BLANK}) != ''))
    OR EXISTS (SELECT 1 FROM ratings WHERE session_id = :id)
    OR EXISTS (SELECT 1 FROM commitments WHERE session_id = :id OR reviewed_in_session = :id)
    OR EXISTS (SELECT 1 FROM session_deals WHERE session_id = :id)
"""


def discard_if_empty(store: Store, session_id: int, now: dt.datetime) -> bool:
    """Remove the session when nothing was said or marked in it (no notes,
    answer, mark, rating, focus chosen, commitment made or reviewed, deal) and
    it has run under EMPTY_FOR: `c` pressed to read the brief, or on the wrong
    rep, then F10. True when it was removed: it counts nowhere, not as a
    coaching of the rep either. A longer one was a conversation: kept."""
    with store.write():
        (said,) = store.conn.execute(_SAID_IN, {"id": session_id}).fetchone()
        found = records.coaching_sessions(store, session_id=session_id)  # none: gone already
        if said or not found or found[0].lasted(now) >= EMPTY_FOR:
            return False
        store.conn.execute("DELETE FROM question_notes WHERE session_id = ?", (session_id,))
        store.conn.execute("DELETE FROM coaching_sessions WHERE id = ?", (session_id,))
    return True


def end_session(store: Store, session_id: int) -> None:
    """End the session; carried commitments come back open next time, their
    carrying recorded (`records.commitments_reviewed`)."""
    with store.write():
        store.conn.execute(
            "UPDATE coaching_sessions SET ended_at = ?, updated_at = ? WHERE id = ?",
            (timestamp(), timestamp(), session_id),
        )
        store.conn.execute(
            "INSERT OR IGNORE INTO carried_commitments (commitment_id, session_id) "
            "SELECT id, ? FROM commitments WHERE reviewed_in_session = ? AND status = ?",
            (session_id, session_id, CommitmentStatus.CARRIED.value),
        )
        store.conn.execute(
            "UPDATE commitments SET status = ?, reviewed_in_session = NULL "
            "WHERE reviewed_in_session = ? AND status = ?",
            (CommitmentStatus.OPEN.value, session_id, CommitmentStatus.CARRIED.value),
        )
