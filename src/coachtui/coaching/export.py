"""`coachtui export sessions`: every session with its notes, ratings and
commitments, as Markdown (for a CRM note or an email), CSV or JSON, from the
typed records of `coachtui.coaching.records`."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from coachtui.areas import FocusArea
from coachtui.coaching.records import (
    INFLUENCE_ROLES,
    VALUE_QUESTIONS,
    ChecklistItem,
    Commitment,
    DealDiscussed,
    Influence,
    SessionRecord,
)
from coachtui.coaching.statuses import CommitmentStatus
from coachtui.text import csv_cell, money, strict_json, visible

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _area_label(area: FocusArea | None) -> str:
    return area.label if area else "-"


def markdown_text(text: str) -> str:
    """User or CRM text, shown literally in Markdown (control characters made visible)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(text))


def as_markdown(sessions: list[SessionRecord], escaped: bool = True) -> str:
    """The sessions in Markdown. `escaped`: user and CRM text escaped so that a
    Markdown reader shows it literally (the export); else as typed, for a copy
    pasted into a CRM note that reads as plain text (no `\\[` or `\\*`)."""
    say = markdown_text if escaped else visible
    out = [line for record in sessions for line in _markdown_session(record, say)]
    return "\n".join(out).rstrip() + "\n" if out else ""


def _markdown_session(record: SessionRecord, say: Callable[[str], str]) -> list[str]:
    s = record.session
    length = f", {s.minutes} min" if s.minutes is not None else ""
    state = "" if s.finished else " (unfinished)"
    out = [
        f"## Coaching session: {say(s.rep)}, {s.started_at:%Y-%m-%d}{length}{state}\n",
        f"Focus: {_area_label(s.area)} (suggested: {_area_label(s.suggested_area)})\n",
    ]
    sections = (
        ("Last commitments", [f"- {c.status}: {say(c.text)}" for c in record.reviewed]),
        ("Notes", [say(line) for line in s.notes.strip().splitlines()]),
        ("Checklist", [_markdown_item(item, say) for item in record.checklist]),
        ("Skill ratings", [f"- {a.label}: {rating}/5" for a, rating in record.ratings.items()]),
        ("Commitments", [_markdown_commitment(c, say) for c in record.commitments]),
        ("Deals discussed", [line for deal in record.deals for line in _markdown_deal(deal, say)]),
    )
    for title, lines in sections:
        if lines:
            items = lines if title == "Notes" else map(_hanging, lines)
            out += [f"### {title}\n", *items, ""]
    return [*out, ""]


def _hanging(item: str) -> str:
    """A list item over several lines (an answer, what was learned): the next
    lines indented under its text, so that they stay in the item."""
    indent = " " * (len(item) - len(item.lstrip(" ")) + 2)
    return item.replace("\n", "\n" + indent)


def _markdown_item(item: ChecklistItem, say: Callable[[str], str]) -> str:
    mark = "x" if item.asked else " "
    return f"- [{mark}] {say(asked_and_answered(item.question, item.notes))}"


def asked_and_answered(question: str, answer: str) -> str:
    """ "What is it now? 40 hours a week", or "Budget owner: unclear"."""
    if not answer:
        return question
    return f"{question} {answer}" if question.endswith("?") else f"{question}: {answer}"


def _markdown_commitment(c: Commitment, say: Callable[[str], str]) -> str:
    due = f", due {c.due_date}" if c.due_date else ""
    mark = "x" if c.status is CommitmentStatus.KEPT else " "
    state = "" if c.status in (CommitmentStatus.OPEN, CommitmentStatus.KEPT) else f", {c.status}"
    return f"- [{mark}] {say(c.text)} ({c.owner}{due}{state})"


def _markdown_deal(deal: DealDiscussed, say: Callable[[str], str]) -> list[str]:
    lines = [f"- {say(deal.title)}: {say(cost_of_inaction(deal))}"]
    lines += [f"  - {say(value_answer_text(*answer))}" for answer in deal.value_answers]
    lines += [f"  - {say(influence_text(i))}" for i in deal.influences]
    if deal.notes.strip():
        lines.append(f"  - learned: {say(deal.notes.strip())}")
    return lines


def cost_of_inaction(deal: DealDiscussed) -> str:
    """ "cost of inaction $4,000 a month, $48,000 a year", or that it is not worked out."""
    if deal.cost_of_inaction_year is None:
        return "cost of inaction not worked out"
    month = money(deal.cost_of_inaction_month, deal.currency)
    year = money(deal.cost_of_inaction_year, deal.currency)
    return f"cost of inaction {month} a month, {year} a year"


def value_answer_text(question: str, answer: str) -> str:
    """ "What is it now? 40 hours a week on manual reconciliation"."""
    return asked_and_answered(dict(VALUE_QUESTIONS).get(question, question), answer)


def influence_text(influence: Influence) -> str:
    """ "Economic buyer: Dana Ross, met, supportive"."""
    role = dict(INFLUENCE_ROLES).get(influence.role, influence.role)
    who = influence.who or "nobody named"
    return f"{role}: {who}, {'met' if influence.met else 'not met'}, {influence.stance}"


CSV_COLUMNS = (
    "id",
    "rep",
    "started_at",
    "ended_at",
    "minutes",
    "focus_area",
    "suggested_area",
    "ratings",
    "notes",
    "checklist",
    "commitments",
    "reviewed_commitments",
    "deals",
)


def as_csv(sessions: list[SessionRecord]) -> str:
    """One row a session; lists joined with " | " inside their cell; text safe
    for a spreadsheet (`csv_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([csv_cell(cell) for cell in _csv_row(record)] for record in sessions)
    return out.getvalue()


def _csv_row(record: SessionRecord) -> list:
    s = record.session
    return [
        s.id,
        s.rep,
        s.started_at.isoformat(),
        s.ended_at.isoformat() if s.ended_at else "",
        "" if s.minutes is None else s.minutes,
        s.focus_area or "",
        s.suggested_area or "",
        " | ".join(f"{area}={rating}" for area, rating in record.ratings.items()),
        s.notes,
        " | ".join(
            f"[{'x' if i.asked else ' '}] {asked_and_answered(i.question, i.notes)}"
            for i in record.checklist
        ),
        " | ".join(f"{c.text} ({c.owner}, due {c.due_date or '-'})" for c in record.commitments),
        " | ".join(f"{c.status}: {c.text}" for c in record.reviewed),
        " | ".join("; ".join(_deal_parts(deal)) for deal in record.deals),
    ]


def _deal_parts(deal: DealDiscussed) -> list[str]:
    learned = [f"learned: {deal.notes.strip()}"] if deal.notes.strip() else []
    return [
        f"{deal.title}: {cost_of_inaction(deal)}",
        *(value_answer_text(*answer) for answer in deal.value_answers),
        *map(influence_text, deal.influences),
        *learned,
    ]


def as_json(sessions: list[SessionRecord]) -> str:
    return strict_json({"sessions": [record.as_dict() for record in sessions]})
