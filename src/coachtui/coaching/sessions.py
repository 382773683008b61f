"""Coaching sessions in the store: start or resume, save as the manager types
(notes, focus, questions, ratings), and the end of a session.

Every function is one short write transaction, so a kill between two of them
loses at most the change being typed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from coachtui.areas import FocusArea
from coachtui.store import Store

if TYPE_CHECKING:
    from coachtui.importing.models import CoachingSession


def timestamp() -> str:
    """When a change is saved, to the second."""
    return dt.datetime.now().isoformat(timespec="seconds")


def _session(row: tuple) -> CoachingSession:
    from coachtui.importing.models import CoachingSession

    id_, rep, started, ended, focus, suggested, notes = row
    return CoachingSession(
        id=id_,
        rep=rep,
        started_at=started,
        ended_at=ended,
        focus_area=focus,
        suggested_area=suggested,
        notes=notes or "",
    )


_SESSION_COLUMNS = "id, rep, started_at, ended_at, focus_area, suggested_area, notes"


def unfinished_session(store: Store, rep: str) -> CoachingSession | None:
    row = store.conn.execute(
        f"SELECT {_SESSION_COLUMNS} FROM coaching_sessions "
        "WHERE rep = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1",
        (rep,),
    ).fetchone()
    return _session(row) if row else None


def start_or_resume(store: Store, rep: str, suggested: FocusArea | None) -> CoachingSession:
    """The rep's unfinished session, or a new one."""
    with store.write():
        current = unfinished_session(store, rep)
        if current is not None:
            return current
        now = timestamp()
        suggested_value = suggested.value if suggested else None
        cursor = store.conn.execute(
            "INSERT INTO coaching_sessions (rep, started_at, focus_area, suggested_area, notes, "
            "updated_at) VALUES (?, ?, ?, ?, '', ?)",
            (rep, now, suggested_value, suggested_value, now),
        )
        session_id = cursor.lastrowid
    return _session((session_id, rep, now, None, suggested_value, suggested_value, ""))


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


def question_notes(store: Store, session_id: int) -> dict[str, tuple[bool, str]]:
    rows = store.conn.execute(
        "SELECT question_id, asked, text FROM question_notes WHERE session_id = ?", (session_id,)
    )
    return {question: (bool(asked), text or "") for question, asked, text in rows}


def rate(store: Store, session_id: int, area: FocusArea, rating: int) -> None:
    """A 1-5 skill rating (pydantic refuses anything else with a ValueError)."""
    from coachtui.importing.models import Rating

    checked = Rating(session_id=session_id, area=area, rating=rating)
    with store.write():
        store.conn.execute(
            "INSERT INTO ratings (session_id, area, rating) VALUES (?, ?, ?) "
            "ON CONFLICT (session_id, area) DO UPDATE SET rating = excluded.rating",
            (checked.session_id, checked.area.value, checked.rating),
        )


def ratings(store: Store, session_id: int) -> dict[FocusArea, int]:
    rows = store.conn.execute(
        "SELECT area, rating FROM ratings WHERE session_id = ?", (session_id,)
    )
    return {FocusArea(area): rating for area, rating in rows}


def end_session(store: Store, session_id: int) -> None:
    """End the session; carried commitments come back open next time."""
    with store.write():
        store.conn.execute(
            "UPDATE coaching_sessions SET ended_at = ?, updated_at = ? WHERE id = ?",
            (timestamp(), timestamp(), session_id),
        )
        store.conn.execute(
            "UPDATE commitments SET status = 'open', reviewed_in_session = NULL "
            "WHERE reviewed_in_session = ? AND status = 'carried'",
            (session_id,),
        )
