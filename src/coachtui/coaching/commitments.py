"""Commitments: made in a session, due on a date the manager types, and
reviewed (kept, missed, carried) in the sessions that follow."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from coachtui.coaching.sessions import timestamp
from coachtui.store import Store

if TYPE_CHECKING:
    from coachtui.importing.models import Commitment

NEXT_SESSION_DAYS = 7
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_due(text: str, today: dt.date) -> dt.date:
    """A due date as a manager types it: "fri", "+7d", "+2w", "2026-12-04", or
    blank for the next session (a week from today)."""
    cleaned = text.strip().lower()
    if not cleaned:
        return today + dt.timedelta(days=NEXT_SESSION_DAYS)
    if cleaned[:3] in WEEKDAYS and cleaned.isalpha():
        ahead = (WEEKDAYS.index(cleaned[:3]) - today.weekday()) % 7 or 7
        return today + dt.timedelta(days=ahead)
    relative = re.fullmatch(r"\+(\d+)\s*([dw])", cleaned)
    if relative:
        days = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        return today + dt.timedelta(days=days)
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"not a due date: {text!r} (try fri, +7d or 2026-12-04)") from None


def add_commitment(
    store: Store,
    session_id: int,
    rep: str,
    text: str,
    owner: str = "rep",
    due: dt.date | None = None,
) -> Commitment:
    from coachtui.importing.models import Commitment

    commitment = Commitment(
        session_id=session_id, rep=rep, text=text.strip(), owner=owner, due_date=due
    )
    with store.write():
        cursor = store.conn.execute(
            "INSERT INTO commitments (session_id, rep, text, owner, due_date, status, created_at) "
            "VALUES (?, ?, ?, ?, ?, 'open', ?)",
            (
                session_id,
                rep,
                commitment.text,
                owner,
                due.isoformat() if due else None,
                timestamp(),
            ),
        )
    return commitment.model_copy(update={"id": cursor.lastrowid})


def _commitment(row: tuple) -> Commitment:
    from coachtui.importing.models import Commitment

    id_, session_id, rep, text, owner, due, status = row
    return Commitment(
        id=id_, session_id=session_id, rep=rep, text=text, owner=owner, due_date=due, status=status
    )


_COMMITMENT_COLUMNS = "id, session_id, rep, text, owner, due_date, status"


def commitments_made(store: Store, session_id: int) -> list[Commitment]:
    rows = store.conn.execute(
        f"SELECT {_COMMITMENT_COLUMNS} FROM commitments WHERE session_id = ? ORDER BY id",
        (session_id,),
    )
    return [_commitment(row) for row in rows]


def commitments_to_review(store: Store, rep: str, session_id: int) -> list[Commitment]:
    """What earlier sessions promised and this one looks at: every commitment
    still open, and those already marked in this session."""
    rows = store.conn.execute(
        f"""
        SELECT {_COMMITMENT_COLUMNS} FROM commitments
        WHERE rep = ? AND session_id != ?
          AND (status = 'open' OR reviewed_in_session = ?)
        ORDER BY due_date IS NULL, due_date, id
        """,
        (rep, session_id, session_id),
    )
    return [_commitment(row) for row in rows]


def review_commitment(store: Store, commitment_id: int, status: str, session_id: int) -> None:
    """Mark an earlier commitment kept, missed or carried (it stays on the list),
    or open again."""
    if status not in ("open", "kept", "missed", "carried"):
        raise ValueError(f"not a commitment status: {status}")
    with store.write():
        store.conn.execute(
            "UPDATE commitments SET status = ?, reviewed_in_session = ? WHERE id = ?",
            (status, None if status == "open" else session_id, commitment_id),
        )
