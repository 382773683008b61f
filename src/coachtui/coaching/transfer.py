"""`coachtui import sessions FILE`: sessions exported elsewhere (another
machine, a backup, past one-on-ones kept in another tool) written into this
database, all in one transaction.

A session is the same when its rep and start are: one already here is left as
it is. A new one comes back with everything the file says of it, so that
exporting it again gives the file back, row ids aside.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from coachtui.coaching import records
from coachtui.coaching.deal_work import deal_value
from coachtui.coaching.records import Influence
from coachtui.coaching.sessions_file import DealEntry, SessionEntry
from coachtui.coaching.statuses import CommitmentStatus
from coachtui.store import Store
from coachtui.text import counted, visible


@dataclass
class SessionsImported:
    new: int = 0
    already_there: int = 0
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def line(self, file: Path) -> str:
        """ "imported 3 sessions from FILE: 2 new, 1 already there"."""
        total = self.new + self.already_there
        done = "checked (dry run, nothing written)" if self.dry_run else "imported"
        return (
            f"{done} {counted(total, 'session')} from {file}: "
            f"{self.new:,} new, {self.already_there:,} already there"
        )


def import_sessions(
    store: Store, sessions: list[SessionEntry], dry_run: bool = False
) -> SessionsImported:
    """Add the sessions not yet here, oldest first so that a session finds the
    earlier commitments it reviewed."""
    imported = SessionsImported(dry_run=dry_run)
    in_order = sorted(enumerate(sessions, 1), key=lambda placed: placed[1].started_at)
    with store.write(commit=not dry_run):
        for place, session in in_order:
            if _already_there(store, session):
                imported.already_there += 1
                continue
            session_id = _add_session(store, session)
            for deal in session.deals:
                imported.warnings += _add_deal(store, session_id, place, session, deal)
            imported.warnings += _link_reviews(store, session_id, place, session)
            imported.warnings += _unfinished_twice(store, place, session)
            imported.new += 1
    return imported


def _already_there(store: Store, session: SessionEntry) -> bool:
    row = store.conn.execute(
        "SELECT 1 FROM coaching_sessions WHERE rep = ? AND started_at = ?",
        (session.rep, session.started_at.isoformat()),
    ).fetchone()
    return row is not None


def _unfinished_twice(store: Store, place: int, session: SessionEntry) -> list[str]:
    """An unfinished session for a rep who already had one: the app resumes the latest."""
    if session.ended_at is not None:
        return []
    if len(records.coaching_sessions(store, session.rep, unfinished=True)) < 2:
        return []
    return [
        f"session {place}: {visible(session.rep)} has more than one unfinished session now; "
        "coaching resumes the latest"
    ]


def _add_session(store: Store, session: SessionEntry) -> int:
    """The session, its answers, ratings and the commitments it made."""
    last = session.last_change.isoformat()
    cursor = store.conn.execute(
        "INSERT INTO coaching_sessions (rep, started_at, ended_at, focus_area, suggested_area, "
        "notes, updated_at, paused_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            session.rep,
            session.started_at.isoformat(),
            session.ended_at.isoformat() if session.ended_at else None,
            session.focus_area,
            session.suggested_area,
            session.notes,
            session.updated_at.isoformat() if session.updated_at else None,
            int(session.paused.total_seconds()),
        ),
    )
    session_id = cursor.lastrowid
    store.conn.executemany(
        "INSERT INTO question_notes (session_id, question_id, asked, text, updated_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [(session_id, i.question_id, int(i.asked), i.notes, last) for i in session.checklist],
    )
    store.conn.executemany(
        "INSERT INTO ratings (session_id, area, rating) VALUES (?, ?, ?)",
        [(session_id, area, rating) for area, rating in session.ratings.items()],
    )
    store.conn.executemany(
        "INSERT INTO commitments (session_id, rep, text, owner, due_date, status, created_at, "
        "marked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
                session.rep,
                c.text,
                c.owner,
                c.due_date.isoformat() if c.due_date else None,
                c.status.value,
                (c.made_on or session.started_at.date()).isoformat(),
                c.marked_on.isoformat() if c.marked_on else None,
            )
            for c in session.commitments
        ],
    )
    return session_id


def _add_deal(
    store: Store, session_id: int, place: int, session: SessionEntry, deal: DealEntry
) -> list[str]:
    """The deal as the session discussed it; its cost of inaction, answers to
    the value questions and buying influences where the database has none yet
    (else a warning when they differ)."""
    store.conn.execute(
        "INSERT INTO session_deals (session_id, deal_id, name, account, currency, notes, "
        "added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            session_id,
            deal.deal_id,
            deal.name,
            deal.account,
            deal.currency,
            deal.notes,
            session.started_at.isoformat(),
        ),
    )
    cost = deal.cost_of_inaction
    if cost is not None:
        store.conn.execute(
            """
            INSERT INTO deal_values (deal_id, per_month, per_year, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (deal_id) DO UPDATE SET per_month = excluded.per_month,
                per_year = excluded.per_year, updated_at = excluded.updated_at
            WHERE deal_values.per_year IS NULL
            """,
            (deal.deal_id, *cost, session.last_change.isoformat()),
        )
    answers = dict(records.value_answers(deal.value_answers))
    if answers and not records.value_answers(deal_value(store, deal.deal_id).get("answers", {})):
        store.conn.execute(
            """
            INSERT INTO deal_values (deal_id, answers, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (deal_id) DO UPDATE SET answers = excluded.answers,
                updated_at = excluded.updated_at
            """,
            (
                deal.deal_id,
                json.dumps(answers, ensure_ascii=False),
                session.last_change.isoformat(),
            ),
        )
    store.conn.executemany(
        "INSERT INTO buying_influences (deal_id, role, who, met, stance, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (deal_id, role) DO NOTHING",
        [
            (deal.deal_id, i.role, i.who, int(i.met), i.stance, session.last_change.isoformat())
            for i in deal.influences
        ],
    )
    return _differences(store, place, deal)


def _differences(store: Store, place: int, deal: DealEntry) -> list[str]:
    """What the database already held of the deal, and kept, unlike the file."""
    differ = []
    kept = deal_value(store, deal.deal_id)
    cost, kept_year = deal.cost_of_inaction, kept.get("per_year")
    if cost is not None and not math.isclose(cost[1], math.nan if kept_year is None else kept_year):
        differ.append("cost of inaction")
    answers = records.value_answers(deal.value_answers)
    if answers and answers != records.value_answers(kept.get("answers", {})):
        differ.append("answers to the value questions")
    recorded = {i.role: i for i in records.influences(store, deal.deal_id)}
    for i in deal.influences:
        if recorded.get(i.role) != Influence(i.role, i.who, i.met, i.stance):
            differ.append(f"{i.role} buyer")
    if not differ:
        return []
    return [
        f"session {place}, deal {visible(deal.deal_id)}: the database already had its "
        f"{', '.join(differ)}, and keeps what it had"
    ]


def _link_reviews(store: Store, session_id: int, place: int, session: SessionEntry) -> list[str]:
    """Mark the earlier commitments this session reviewed, found by the rep and
    the text: the latest one not yet reviewed, with the same status if there is one."""
    warnings = []
    for review in session.reviewed_commitments:
        found = store.conn.execute(
            """
            SELECT c.id, c.status FROM commitments c JOIN coaching_sessions s ON s.id = c.session_id
            WHERE c.rep = ? AND c.text = ? AND s.started_at < ? AND c.reviewed_in_session IS NULL
            ORDER BY c.status = ? DESC, s.started_at DESC, c.id DESC LIMIT 1
            """,
            (session.rep, review.text, session.started_at.isoformat(), review.status),
        ).fetchone()
        if found is None:
            warnings.append(
                f"session {place}: {visible(review.text)!r} is not among the earlier "
                f"commitments of {visible(session.rep)}, so its review ({review.status}) "
                "was left out"
            )
            continue
        commitment_id, status = found
        if review.status == CommitmentStatus.CARRIED and session.ended_at is not None:
            # as the session's end left it: open again, carried by the session
            store.conn.execute(
                "INSERT OR IGNORE INTO carried_commitments (commitment_id, session_id) "
                "VALUES (?, ?)",
                (commitment_id, session_id),
            )
            continue
        marked = status != review.status  # marked in this session, as far as we know
        store.conn.execute(
            "UPDATE commitments SET reviewed_in_session = ?, status = ?, "
            "marked_at = CASE WHEN ? THEN ? ELSE marked_at END WHERE id = ?",
            (
                session_id,
                review.status,
                marked,
                session.last_change.date().isoformat(),
                commitment_id,
            ),
        )
    return warnings
