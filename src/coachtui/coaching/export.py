"""`coachtui export sessions`: every session with its notes, ratings and
commitments, as Markdown (for a CRM note or an email), CSV or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import TYPE_CHECKING

from coachtui.areas import FocusArea
from coachtui.store import Store
from coachtui.text import csv_cell, strict_json, visible

if TYPE_CHECKING:
    from coachtui.coaching.playbook import Playbook

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def _area_label(value: str | None) -> str:
    return FocusArea(value).label if value else "-"


def _minutes(started: str, finished: str | None) -> int | None:
    if not finished:
        return None
    seconds = (
        dt.datetime.fromisoformat(finished) - dt.datetime.fromisoformat(started)
    ).total_seconds()
    return round(seconds / 60)


def collect_sessions(
    store: Store,
    playbook: Playbook,
    rep: str | None = None,
    since: dt.date | None = None,
    session_id: int | None = None,
) -> list[dict]:
    """Sessions oldest first, unfinished ones included, as plain data; with
    `session_id`, that one session."""
    questions = {
        f"{area.id.value}.{q.id}": (area.id.value, q.text)
        for area in playbook.areas
        for q in area.questions
    }
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
    rows = store.conn.execute(
        "SELECT id, rep, started_at, ended_at, updated_at, focus_area, suggested_area, notes "
        f"FROM coaching_sessions WHERE {' AND '.join(where)} ORDER BY started_at, id",
        params,
    ).fetchall()
    sessions = []
    for id_, rep_name, started, ended, updated, focus, suggested, notes in rows:
        checklist = [
            {
                "area": questions.get(question, ("", ""))[0],
                "question": questions.get(question, ("", question))[1],
                "asked": bool(asked),
                "notes": text or "",
            }
            for question, asked, text in store.conn.execute(
                "SELECT question_id, asked, text FROM question_notes WHERE session_id = ? "
                "ORDER BY question_id",
                (id_,),
            )
        ]
        made = [
            {"text": text, "owner": owner, "due_date": due, "status": status}
            for text, owner, due, status in store.conn.execute(
                "SELECT text, owner, due_date, status FROM commitments WHERE session_id = ? "
                "ORDER BY id",
                (id_,),
            )
        ]
        reviewed = [
            {"text": text, "status": status}
            for text, status in store.conn.execute(
                "SELECT text, status FROM commitments WHERE reviewed_in_session = ? ORDER BY id",
                (id_,),
            )
        ]
        sessions.append(
            {
                "id": id_,
                "rep": rep_name,
                "started_at": started,
                "ended_at": ended,
                "minutes": _minutes(started, ended or updated),
                "finished": ended is not None,
                "focus_area": focus,
                "suggested_area": suggested,
                "notes": notes or "",
                "checklist": checklist,
                "ratings": dict(
                    store.conn.execute(
                        "SELECT area, rating FROM ratings WHERE session_id = ? ORDER BY area",
                        (id_,),
                    ).fetchall()
                ),
                "commitments": made,
                "reviewed_commitments": reviewed,
            }
        )
    return sessions


def markdown_text(text: str) -> str:
    """User or CRM text, shown literally in Markdown (control characters made visible)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(text))


def as_markdown(sessions: list[dict]) -> str:
    out: list[str] = []
    for s in sessions:
        day = s["started_at"][:10]
        length = f", {s['minutes']} min" if s["minutes"] is not None else ""
        state = "" if s["finished"] else " (unfinished)"
        out.append(f"## Coaching session: {markdown_text(s['rep'])}, {day}{length}{state}\n")
        focus, suggested = _area_label(s["focus_area"]), _area_label(s["suggested_area"])
        out.append(f"Focus: {focus} (suggested: {suggested})\n")
        if s["reviewed_commitments"]:
            out.append("### Last commitments\n")
            out += [
                f"- {c['status']}: {markdown_text(c['text'])}" for c in s["reviewed_commitments"]
            ]
            out.append("")
        if s["notes"].strip():
            out.append("### Notes\n")
            out += [markdown_text(line) for line in s["notes"].strip().splitlines()]
            out.append("")
        if s["checklist"]:
            out.append("### Checklist\n")
            for item in s["checklist"]:
                mark = "x" if item["asked"] else " "
                note = f": {markdown_text(item['notes'])}" if item["notes"] else ""
                out.append(f"- [{mark}] {markdown_text(item['question'])}{note}")
            out.append("")
        if s["ratings"]:
            out.append("### Skill ratings\n")
            out += [f"- {_area_label(area)}: {rating}/5" for area, rating in s["ratings"].items()]
            out.append("")
        if s["commitments"]:
            out.append("### Commitments\n")
            for c in s["commitments"]:
                due = f", due {c['due_date']}" if c["due_date"] else ""
                mark = "x" if c["status"] == "kept" else " "
                state = f", {c['status']}" if c["status"] in ("missed", "carried") else ""
                out.append(f"- [{mark}] {markdown_text(c['text'])} ({c['owner']}{due}{state})")
            out.append("")
        out.append("")
    return "\n".join(out).rstrip() + "\n" if out else ""


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
)


def as_csv(sessions: list[dict]) -> str:
    """One row a session; lists joined with " | " inside their cell; text safe
    for a spreadsheet (`csv_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in sessions:
        row = [
            s["id"],
            s["rep"],
            s["started_at"],
            s["ended_at"] or "",
            "" if s["minutes"] is None else s["minutes"],
            s["focus_area"] or "",
            s["suggested_area"] or "",
            " | ".join(f"{area}={rating}" for area, rating in s["ratings"].items()),
            s["notes"],
            " | ".join(
                f"[{'x' if i['asked'] else ' '}] {i['question']}: {i['notes']}"
                for i in s["checklist"]
            ),
            " | ".join(
                f"{c['text']} ({c['owner']}, due {c['due_date'] or '-'})" for c in s["commitments"]
            ),
            " | ".join(f"{c['status']}: {c['text']}" for c in s["reviewed_commitments"]),
        ]
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def as_json(sessions: list[dict]) -> str:
    return strict_json({"sessions": sessions})
