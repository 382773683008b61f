"""Commitments: made in a session, due on a date the manager types, and
reviewed (kept, missed, carried) in the sessions that follow."""

from __future__ import annotations

import datetime as dt
import re

from coachtui.coaching.records import Commitment
from coachtui.coaching.sessions import timestamp
from coachtui.coaching.statuses import CommitmentStatus
from coachtui.store import Store

NEXT_SESSION_DAYS = 7
OWNERS = ("rep", "manager")
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


def _checked(text: str, owner: str) -> str:
    """The commitment's text, trimmed; a ValueError when it says nothing or has
    no known owner."""
    if owner not in OWNERS:
        raise ValueError(f"a commitment is the rep's or the manager's, not {owner!r}'s")
    text = text.strip()
    if not text:
        raise ValueError("a commitment needs some text")
    return text


def add_commitment(
    store: Store,
    session_id: int,
    rep: str,
    text: str,
    owner: str = "rep",
    due: dt.date | None = None,
) -> Commitment:
    """A new commitment, open; refused with a ValueError when it says nothing."""
    text = _checked(text, owner)
    made_at = timestamp()
    with store.write():
        cursor = store.conn.execute(
            "INSERT INTO commitments (session_id, rep, text, owner, due_date, status, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                rep,
                text,
                owner,
                due.isoformat() if due else None,
                CommitmentStatus.OPEN.value,
                made_at,
            ),
        )
    return Commitment(
        id=cursor.lastrowid,
        session_id=session_id,
        rep=rep,
        text=text,
        owner=owner,
        due_date=due,
        made_on=dt.date.fromisoformat(made_at[:10]),
    )


def review_commitment(
    store: Store, commitment_id: int, status: CommitmentStatus | str, session_id: int
) -> None:
    """Mark an earlier commitment kept, missed or carried (it stays on the list),
    or open again."""
    status = CommitmentStatus(status)  # a ValueError for anything else
    with store.write():
        store.conn.execute(
            "UPDATE commitments SET status = ?, reviewed_in_session = ?, marked_at = ? "
            "WHERE id = ?",
            (
                status.value,
                None if status is CommitmentStatus.OPEN else session_id,
                timestamp(),
                commitment_id,
            ),
        )


def mark_commitment(store: Store, commitment_id: int, status: CommitmentStatus | str) -> None:
    """Between calls: kept, missed, or open again, recorded with the day it changed.

    Outside a session, carrying a commitment means nothing: it stays open.
    """
    status = CommitmentStatus(status)
    if status is CommitmentStatus.CARRIED:
        raise ValueError("only a session carries a commitment to the next one")
    with store.write():
        store.conn.execute(
            "UPDATE commitments SET status = ?, reviewed_in_session = NULL, marked_at = ? "
            "WHERE id = ?",
            (status.value, timestamp(), commitment_id),
        )


def next_mark(status: CommitmentStatus) -> CommitmentStatus:
    """What `space` marks between calls: open (or carried) -> kept -> missed -> open."""
    kept, missed, still_open = CommitmentStatus.KEPT, CommitmentStatus.MISSED, CommitmentStatus.OPEN
    return {kept: missed, missed: still_open}.get(status, kept)


def edit_commitment(
    store: Store, commitment_id: int, text: str, owner: str, due: dt.date | None
) -> None:
    """Reword a commitment, give it to the other owner, or move its due date."""
    text = _checked(text, owner)
    with store.write():
        store.conn.execute(
            "UPDATE commitments SET text = ?, owner = ?, due_date = ? WHERE id = ?",
            (text, owner, due.isoformat() if due else None, commitment_id),
        )


def delete_commitment(store: Store, commitment_id: int) -> None:
    """A commitment made by mistake, gone."""
    with store.write():
        store.conn.execute("DELETE FROM commitments WHERE id = ?", (commitment_id,))
