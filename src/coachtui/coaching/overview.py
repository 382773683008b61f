"""The roster's coaching columns: when each rep was last coached, and their
open and late commitments. Read before the first paint, so it stays apart
from the session records (and their classes)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from coachtui.coaching.statuses import STILL_OPEN_VALUES, STILL_OPEN_WHERE

if TYPE_CHECKING:
    from coachtui.store import Store


class RepCoaching(NamedTuple):
    """A rep's coaching at a glance, as the roster shows it."""

    days_since_coached: int | None  # None: never coached
    open_commitments: int
    overdue_commitments: int = 0  # of the open ones, those past their due date


def coaching_overview(store: Store, today: dt.date) -> dict[str, RepCoaching]:
    """Every rep ever coached or holding a commitment, by name."""
    last = dict(
        store.conn.execute("SELECT rep, MAX(started_at) FROM coaching_sessions GROUP BY rep")
    )
    counts = {
        rep: (still_open, overdue)
        for rep, still_open, overdue in store.conn.execute(
            "SELECT rep, COUNT(*), COUNT(CASE WHEN due_date < ? THEN 1 END) FROM commitments "
            f"WHERE {STILL_OPEN_WHERE} GROUP BY rep",
            (today.isoformat(), *STILL_OPEN_VALUES),
        )
    }
    return {
        rep: RepCoaching(
            (today - dt.date.fromisoformat(last[rep][:10])).days if rep in last else None,
            *counts.get(rep, (0, 0)),
        )
        for rep in set(last) | set(counts)
    }
