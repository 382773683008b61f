"""The schema, one migration a version: `MIGRATIONS[n]` takes a file from
version n to n + 1 (`PRAGMA user_version`). Add a version at the end; never
change one that has shipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def _crm_deals(db: sqlite_utils.Database) -> None:
    """The reps and their deals, as the last import left them."""
    db["reps"].create(
        {
            "rep": str,
            "rep_id": str,
            "manager": str,
            "region": str,
            "email": str,
            "quota": float,
        },
        pk="rep",
    )
    db["reps"].create_index(["rep_id"])
    db["deals"].create(
        {
            "deal_id": str,
            "rep": str,
            "account": str,
            "name": str,
            "stage": str,
            "status": str,
            "amount": float,
            "currency": str,
            "created_date": str,
            "close_date": str,
            "stage_entered_date": str,
            "contacts": int,
            "first_imported": str,
            "last_imported": str,
        },
        pk="deal_id",
        not_null={"rep", "stage", "status"},
    )
    db["deals"].create_index(["rep"])


def _crm_history(db: sqlite_utils.Database) -> None:
    """What happened to the deals: stage history and activities."""
    db["stage_history"].create(
        {"deal_id": str, "stage": str, "entered_at": str, "source": str},
        pk=("deal_id", "stage", "entered_at"),
    )
    db["activities"].create(
        {"activity_id": str, "rep": str, "date": str, "type": str, "deal_id": str},
        pk="activity_id",
    )
    db["activities"].create_index(["rep", "date"])


def _pipeline_and_imports(db: sqlite_utils.Database) -> None:
    """The stages in order, and the log of every import."""
    db["stages"].create(
        {"stage": str, "status": str, "sort_order": int, "preset_rank": int, "first_seen": int},
        pk="stage",
    )
    db["import_log"].create(
        {
            "id": int,
            "imported_at": str,
            "kind": str,
            "file": str,
            "layout": str,
            "rows": int,
            "new": int,
            "updated": int,
            "unchanged": int,
        },
        pk="id",
    )


def _schema_v1(db: sqlite_utils.Database) -> None:
    """CRM data: reps, deals, stage history, activities, the pipeline, imports."""
    db["meta"].create({"key": str, "value": str}, pk="key")
    _crm_deals(db)
    _crm_history(db)
    _pipeline_and_imports(db)


def _schema_v2(db: sqlite_utils.Database) -> None:
    """Coaching: sessions, notes per checklist question, ratings, commitments."""
    db["coaching_sessions"].create(
        {
            "id": int,
            "rep": str,
            "started_at": str,
            "ended_at": str,
            "focus_area": str,
            "suggested_area": str,
            "deal_id": str,
            "notes": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"rep", "started_at"},
    )
    db["coaching_sessions"].create_index(["rep", "started_at"])
    db["question_notes"].create(
        {"session_id": int, "question_id": str, "asked": int, "text": str, "updated_at": str},
        pk=("session_id", "question_id"),
        foreign_keys=[("session_id", "coaching_sessions", "id")],
    )
    db["ratings"].create(
        {"session_id": int, "area": str, "rating": int},
        pk=("session_id", "area"),
        foreign_keys=[("session_id", "coaching_sessions", "id")],
    )
    db["commitments"].create(
        {
            "id": int,
            "session_id": int,
            "rep": str,
            "text": str,
            "owner": str,
            "due_date": str,
            "status": str,
            "reviewed_in_session": int,
            "created_at": str,
        },
        pk="id",
        not_null={"session_id", "rep", "text", "status"},
        foreign_keys=[("session_id", "coaching_sessions", "id")],
    )
    db["commitments"].create_index(["rep", "status"])


def _schema_v3(db: sqlite_utils.Database) -> None:
    """Deal coaching: the cost of the prospect's problem, and who buys."""
    db["deal_values"].create(
        {
            "deal_id": str,
            "people": float,
            "hours": float,
            "rate": float,
            "answers": str,
            "per_month": float,
            "per_year": float,
            "updated_at": str,
        },
        pk="deal_id",
    )
    db["buying_influences"].create(
        {"deal_id": str, "role": str, "who": str, "met": int, "stance": str, "updated_at": str},
        pk=("deal_id", "role"),
    )


def _deals_per_session(db: sqlite_utils.Database) -> None:
    """A session may discuss several deals, each named as it was then, with
    what was learned; the single deal_id of a session moves there."""
    db["session_deals"].create(
        {
            "session_id": int,
            "deal_id": str,
            "name": str,
            "account": str,
            "currency": str,
            "notes": str,
            "added_at": str,
        },
        pk=("session_id", "deal_id"),
        not_null={"session_id", "deal_id"},
        foreign_keys=[("session_id", "coaching_sessions", "id")],
    )
    db.execute(
        """
        INSERT INTO session_deals (session_id, deal_id, name, account, currency, notes, added_at)
        SELECT s.id, s.deal_id, d.name, d.account, d.currency, '', s.updated_at
        FROM coaching_sessions s LEFT JOIN deals d ON d.deal_id = s.deal_id
        WHERE s.deal_id IS NOT NULL
        """
    )
    db.execute("ALTER TABLE coaching_sessions DROP COLUMN deal_id")


# Every text typed in a session, searchable: (table, its text, its session,
# the kind of text), `{row}` standing for the row. A row's search rowid is its
# own rowid x 4 + the kind's place here, so a trigger finds it without a scan.
SEARCHED = (
    ("coaching_sessions", "{row}notes", "{row}id", "notes"),
    ("question_notes", "{row}text", "{row}session_id", "answer"),
    ("commitments", "{row}text", "{row}session_id", "commitment"),
    (
        "session_deals",
        "coalesce({row}name, {row}deal_id) || ': ' || {row}notes",
        "{row}session_id",
        "deal",
    ),
)


def _search_row(place: int, text: str, session: str, kind: str, row: str) -> str:
    """The search row's values for a row of a searched table (`row`: "new." or "")."""
    key = f"{row}rowid * {len(SEARCHED)} + {place}"
    return f"{key}, {text.format(row=row)}, {session.format(row=row)}, '{kind}'"


def _search(db: sqlite_utils.Database) -> None:
    """Full-text search over the notes, answers, commitments and deal notes,
    kept in step with them by triggers."""
    db.execute(
        "CREATE VIRTUAL TABLE session_search USING fts5("
        "text, session_id UNINDEXED, kind UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
    )
    columns = "session_search (rowid, text, session_id, kind)"
    for place, (table, text, session, kind) in enumerate(SEARCHED):
        insert = (
            f"INSERT INTO {columns} VALUES ({_search_row(place, text, session, kind, 'new.')});"
        )
        delete = f"DELETE FROM session_search WHERE rowid = old.rowid * {len(SEARCHED)} + {place};"
        for event, body in (("INSERT", insert), ("UPDATE", delete + insert), ("DELETE", delete)):
            db.execute(
                f"CREATE TRIGGER {table}_search_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {body} END"
            )
        existing = _search_row(place, text, session, kind, "")
        db.execute(f"INSERT INTO {columns} SELECT {existing} FROM {table}")


def _schema_v4(db: sqlite_utils.Database) -> None:
    """The whole loop: deals per session, when a commitment was last marked,
    and search over everything typed."""
    _deals_per_session(db)
    # the focus is the area the manager chose; until now it was the suggestion
    # unless the manager chose another
    db.execute("UPDATE coaching_sessions SET focus_area = NULL WHERE focus_area = suggested_area")
    db["commitments"].add_column("marked_at", str)
    _search(db)


def _schema_v5(db: sqlite_utils.Database) -> None:
    """A session's commitments, made and reviewed, found by index: each was a
    scan of every commitment, once per session the History lists."""
    db["commitments"].create_index(["session_id"])
    db["commitments"].create_index(["reviewed_in_session"])


def _schema_v6(db: sqlite_utils.Database) -> None:
    """The time a session was left unfinished and not open in any coachtui,
    added when it is resumed: its length leaves it out. And the commitments a
    session carried to the next one: open again once it ends, their carrying
    was recorded nowhere."""
    db["coaching_sessions"].add_column("paused_seconds", int, not_null_default=0)
    db["carried_commitments"].create(
        {"commitment_id": int, "session_id": int},
        pk=("commitment_id", "session_id"),
        foreign_keys=[
            ("commitment_id", "commitments", "id"),
            ("session_id", "coaching_sessions", "id"),
        ],
    )
    db["carried_commitments"].create_index(["session_id"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _schema_v1,
    _schema_v2,
    _schema_v3,
    _schema_v4,
    _schema_v5,
    _schema_v6,
]
SCHEMA_VERSION = len(MIGRATIONS)
