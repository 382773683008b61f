"""Coaching sessions in the store: start or resume, save as the manager types,
commitments that come back, and the end of a session.

Every function is one short write transaction, so a kill between two of them
loses at most the change being typed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING

from coachtui.areas import FocusArea
from coachtui.store import Store

if TYPE_CHECKING:
    from coachtui.importing.models import CoachingSession, Commitment

NEXT_SESSION_DAYS = 7
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


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
        now = _now()
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
            (text, _now(), session_id),
        )


def choose_focus(store: Store, session_id: int, area: FocusArea) -> None:
    """The manager overrules the suggestion."""
    with store.write():
        store.conn.execute(
            "UPDATE coaching_sessions SET focus_area = ?, updated_at = ? WHERE id = ?",
            (area.value, _now(), session_id),
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
            (session_id, question_id, asked, text, _now(), asked, text),
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
            (session_id, rep, commitment.text, owner, due.isoformat() if due else None, _now()),
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


def end_session(store: Store, session_id: int) -> None:
    """End the session; carried commitments come back open next time."""
    with store.write():
        store.conn.execute(
            "UPDATE coaching_sessions SET ended_at = ?, updated_at = ? WHERE id = ?",
            (_now(), _now(), session_id),
        )
        store.conn.execute(
            "UPDATE commitments SET status = 'open', reviewed_in_session = NULL "
            "WHERE reviewed_in_session = ? AND status = 'carried'",
            (session_id,),
        )


INFLUENCE_ROLES = (
    ("economic", "Economic buyer"),
    ("user", "User buyer"),
    ("technical", "Technical buyer"),
    ("coach", "Coach"),
)
STANCES = ("unknown", "supportive", "neutral", "opposed")
VALUE_QUESTIONS = (
    ("measure", "How is the problem measured?"),
    ("now", "What is it now?"),
    ("target", "What should it be?"),
    ("worth", "What is the difference worth, per month?"),
    ("years", "What is that worth over 2 to 3 years?"),
)
WEEKS_A_YEAR = 52


def cost_of_inaction(
    people: float | None,
    hours_per_week: float | None,
    rate: float | None,
    worth_per_month: float | None = None,
) -> tuple[float, float] | None:
    """(per month, per year): people x hours a week x hourly rate, or else the
    prospect's own answer to "what is the difference worth, per month?"."""
    if people is not None and hours_per_week is not None and rate is not None:
        per_year = people * hours_per_week * rate * WEEKS_A_YEAR
        return per_year / 12, per_year
    if worth_per_month is not None:
        return worth_per_month, worth_per_month * 12
    return None


def money_in(text: str) -> float | None:
    """A number in an answer such as "$12,000" or "12000"; None when there is none."""
    match = re.search(r"-?\d[\d,]*(?:\.\d+)?", text or "")
    return float(match.group().replace(",", "")) if match else None


def save_deal_value(
    store: Store,
    deal_id: str,
    people: float | None,
    hours: float | None,
    rate: float | None,
    answers: dict[str, str],
) -> tuple[float, float] | None:
    """The dollarizing calculator, saved on the deal; returns (per month, per year)."""
    cost = cost_of_inaction(people, hours, rate, money_in(answers.get("worth", "")))
    with store.write():
        store.conn.execute(
            """
            INSERT INTO deal_values (deal_id, people, hours, rate, answers, per_month, per_year,
                                     updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (deal_id) DO UPDATE SET people = excluded.people, hours = excluded.hours,
                rate = excluded.rate, answers = excluded.answers, per_month = excluded.per_month,
                per_year = excluded.per_year, updated_at = excluded.updated_at
            """,
            (
                deal_id,
                people,
                hours,
                rate,
                json.dumps(answers, ensure_ascii=False),
                cost[0] if cost else None,
                cost[1] if cost else None,
                _now(),
            ),
        )
    return cost


def deal_value(store: Store, deal_id: str) -> dict:
    row = store.conn.execute(
        "SELECT people, hours, rate, answers, per_month, per_year FROM deal_values "
        "WHERE deal_id = ?",
        (deal_id,),
    ).fetchone()
    if row is None:
        return {}
    people, hours, rate, answers, per_month, per_year = row
    return {
        "people": people,
        "hours": hours,
        "rate": rate,
        "answers": json.loads(answers or "{}"),
        "per_month": per_month,
        "per_year": per_year,
    }


def save_influence(store: Store, deal_id: str, role: str, who: str, met: bool, stance: str) -> None:
    if role not in dict(INFLUENCE_ROLES) or stance not in STANCES:
        raise ValueError(f"not a buying influence: {role}/{stance}")
    with store.write():
        store.conn.execute(
            """
            INSERT INTO buying_influences (deal_id, role, who, met, stance, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (deal_id, role) DO UPDATE SET who = excluded.who, met = excluded.met,
                stance = excluded.stance, updated_at = excluded.updated_at
            """,
            (deal_id, role, who.strip(), int(met), stance, _now()),
        )


def influences(store: Store, deal_id: str) -> dict[str, tuple[str, bool, str]]:
    rows = store.conn.execute(
        "SELECT role, who, met, stance FROM buying_influences WHERE deal_id = ?", (deal_id,)
    )
    return {role: (who or "", bool(met), stance) for role, who, met, stance in rows}


def discuss_deal(store: Store, session_id: int, deal_id: str | None) -> None:
    with store.write():
        store.conn.execute(
            "UPDATE coaching_sessions SET deal_id = ?, updated_at = ? WHERE id = ?",
            (deal_id, _now(), session_id),
        )


def session_deal(store: Store, session_id: int) -> str | None:
    row = store.conn.execute(
        "SELECT deal_id FROM coaching_sessions WHERE id = ?", (session_id,)
    ).fetchone()
    return row[0] if row else None


def open_deals_for(store: Store, rep: str, stalled_first: list[str]) -> list[tuple[str, str]]:
    """(deal_id, label) of the rep's open deals, the stalled ones first."""
    rows = store.conn.execute(
        "SELECT deal_id, name, account, stage, amount FROM deals WHERE rep = ? AND status = 'open' "
        "ORDER BY amount DESC",
        (rep,),
    ).fetchall()
    rank = {deal_id: n for n, deal_id in enumerate(stalled_first)}
    rows.sort(key=lambda row: rank.get(row[0], len(rank)))
    labels = []
    for deal_id, name, account, stage, amount in rows:
        flag = "stalled · " if deal_id in rank else ""
        money = "-" if amount is None else f"{amount:,.0f}"
        labels.append((deal_id, f"{flag}{name or deal_id} · {account or '-'} · {stage} · {money}"))
    return labels
