"""Deal work in a session: the deal under discussion, the cost of inaction
(the dollarizing calculator) and the buying influences."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from coachtui.coaching.records import INFLUENCE_ROLES, STANCES, deal_title, stored_answers
from coachtui.coaching.sessions import timestamp
from coachtui.store import Store

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
                timestamp(),
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
        "answers": stored_answers(answers),
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
            (deal_id, role, who.strip(), int(met), stance, timestamp()),
        )


def discuss_deal(store: Store, session_id: int, deal_id: str) -> None:
    """Add a deal to those the session discusses, named as the CRM has it now."""
    with store.write():
        store.conn.execute(
            """
            INSERT INTO session_deals (session_id, deal_id, name, account, currency, notes,
                                       added_at)
            SELECT ?, ?, d.name, d.account, d.currency, '', ?
            FROM (SELECT 1) LEFT JOIN deals d ON d.deal_id = ?
            WHERE 1 ON CONFLICT (session_id, deal_id) DO NOTHING
            """,
            (session_id, deal_id, timestamp(), deal_id),
        )
        store.conn.execute(
            "UPDATE coaching_sessions SET updated_at = ? WHERE id = ?", (timestamp(), session_id)
        )


def save_deal_notes(store: Store, session_id: int, deal_id: str, notes: str) -> None:
    """What was learned about the deal in this session."""
    with store.write():
        store.conn.execute(
            "UPDATE session_deals SET notes = ? WHERE session_id = ? AND deal_id = ?",
            (notes, session_id, deal_id),
        )


@dataclass(frozen=True)
class OpenDeal:
    """An open deal of the rep, as the deal picker lists it."""

    deal_id: str
    name: str | None
    account: str | None
    stage: str | None
    amount: float | None
    currency: str | None
    stalled: bool

    @property
    def title(self) -> str:
        return deal_title(self.deal_id, self.name, self.account)


def open_deals_for(store: Store, rep: str, stalled_first: list[str]) -> list[OpenDeal]:
    """The rep's open deals: the stalled ones first (in `stalled_first`'s order),
    then the largest."""
    rows = store.conn.execute(
        "SELECT deal_id, name, account, stage, amount, currency FROM deals "
        "WHERE rep = ? AND status = 'open' ORDER BY amount DESC",
        (rep,),
    ).fetchall()
    rank = {deal_id: n for n, deal_id in enumerate(stalled_first)}
    rows.sort(key=lambda row: rank.get(row[0], len(rank)))
    return [OpenDeal(*row, stalled=row[0] in rank) for row in rows]
