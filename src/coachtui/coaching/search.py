"""Search every session's notes, answers, commitments and deal notes, of all
reps or of a team, with SQLite's FTS5 (the `session_search` table, kept in step by
triggers): newest session first, each hit with the line that holds it.

What the manager types is never read as FTS5 syntax: each word is quoted and
matched as the start of a word, and all of them must be in the same text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from coachtui.store import Store
from coachtui.text import visible

LINE_WIDTH = 100  # a hit's line is trimmed to about this, around the match
_BEFORE_MATCH = 20  # of which this much comes before the match, at most
_WORD = re.compile(r"[^\W_]+")  # letters and digits, as FTS5's unicode61 splits words


@dataclass(frozen=True)
class Hit:
    session_id: int
    rep: str
    started_at: dt.datetime
    kind: str  # notes, answer, commitment or deal: what the text is in the session
    line: str  # the line that holds the match, plain, trimmed around it


def match_expression(text: str) -> str | None:
    """The FTS5 query for what the manager typed, or None when it has no word:
    `budget "q2"` -> `"budget"* "q2"*`."""
    words = _WORD.findall(text)
    return " ".join(f'"{word}"*' for word in words) or None


def search(store: Store, text: str, team: Collection[str] | None = None) -> list[Hit]:
    """Every text of every session (of `team`'s reps, when given) that holds
    all the words, newest session first, the best match first within a session."""
    expression = match_expression(text)
    if expression is None:
        return []
    rows = store.conn.execute(
        """
        SELECT f.session_id, s.rep, s.started_at, f.kind, f.text
        FROM session_search f JOIN coaching_sessions s ON s.id = f.session_id
        WHERE session_search MATCH ?
        ORDER BY s.started_at DESC, s.id DESC, f.rank
        """,
        (expression,),
    )
    words = [_folded(word) for word in _WORD.findall(text)]
    return [
        Hit(session_id, rep, dt.datetime.fromisoformat(started), kind, _matching_line(body, words))
        for session_id, rep, started, kind, body in rows
        if team is None or rep in team
    ]


def _folded(text: str) -> str:
    """Lower case without accents, as the search compares words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _matching_line(text: str, words: list[str]) -> str:
    """The first line with a word that starts like one of `words`, trimmed around it."""
    lines = [line.replace("\t", " ").strip() for line in text.splitlines()]
    for line in lines:
        for word in _WORD.finditer(line):
            if _folded(word.group()).startswith(tuple(words)):
                return _around(line, word.start())
    return _around(next((line for line in lines if line), ""), 0)


def _around(line: str, at: int) -> str:
    """From a little before the match, which then shows in the History's
    narrow column at 80x24 (it cuts what does not fit), to LINE_WIDTH on."""
    before = max(0, at - _BEFORE_MATCH)
    start = line.rfind(" ", 0, before) + 1  # at a word's start, if one is near
    if at - start > 2 * _BEFORE_MATCH:
        start = before
    end = start + LINE_WIDTH
    return f"{'…' if start else ''}{visible(line[start:end])}{'…' if end < len(line) else ''}"
