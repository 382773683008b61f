"""Writing parsed rows into the store with set-based SQL, counting what changed.

Rows go into a temporary table with `executemany`, and one INSERT ... ON
CONFLICT statement upserts them; sqlite-utils' `upsert_all` would build a dict
per row and cannot say which rows were new, updated or unchanged.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Counts:
    new: int
    updated: int
    unchanged: int


def _stage_incoming(conn: sqlite3.Connection, frame: pl.DataFrame, key: str) -> None:
    conn.execute("DROP TABLE IF EXISTS temp.incoming")
    columns = ", ".join(f'"{c}"' + (" PRIMARY KEY" if c == key else "") for c in frame.columns)
    conn.execute(f"CREATE TEMP TABLE incoming ({columns})")
    marks = ", ".join("?" for _ in frame.columns)
    conn.executemany(f"INSERT INTO temp.incoming VALUES ({marks})", frame.iter_rows())


def upsert(
    conn: sqlite3.Connection,
    table: str,
    frame: pl.DataFrame,
    key: str,
    *,
    keep_when_blank: tuple[str, ...] = (),
    bookkeeping: tuple[str, ...] = (),
    on_update: dict[str, str] | None = None,
    before_upsert: tuple[str, ...] = (),
) -> Counts:
    """Insert or update `frame` into `table` by `key`, inside the caller's transaction.

    `keep_when_blank`: columns whose blank incoming value keeps the stored
    one (and is no change). `bookkeeping`: columns written but never
    compared (when a row was imported). `on_update`: SQL for a column on update, in terms
    of `old` (the stored row) and `excluded`. `before_upsert`: statements run
    once the rows are in `temp.incoming` (to rewrite them, or to record what
    is about to change). Dates are written as ISO text.
    """
    frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
    _stage_incoming(conn, frame, key)
    for statement in before_upsert:
        conn.execute(statement)
    values = [c for c in frame.columns if c != key]

    def incoming(column: str) -> str:
        if column in keep_when_blank:
            return f'COALESCE(i."{column}", old."{column}")'
        return f'i."{column}"'

    compared = [c for c in values if c not in bookkeeping]
    differs = " OR ".join(f'old."{c}" IS NOT {incoming(c)}' for c in compared) or "0"
    new, updated = conn.execute(
        f"""
        SELECT COUNT(*) FILTER (WHERE old."{key}" IS NULL),
               COUNT(*) FILTER (WHERE old."{key}" IS NOT NULL AND ({differs}))
        FROM temp.incoming i LEFT JOIN "{table}" old ON old."{key}" = i."{key}"
        """
    ).fetchone()
    assignments = {c: f'excluded."{c}"' for c in values}
    assignments |= {c: f'COALESCE(excluded."{c}", old."{c}")' for c in keep_when_blank}
    assignments |= on_update or {}
    names = ", ".join(f'"{c}"' for c in frame.columns)
    sets = ", ".join(f'"{c}" = {sql}' for c, sql in assignments.items())
    conn.execute(
        f"""
        INSERT INTO "{table}" AS old ({names}) SELECT {names} FROM temp.incoming WHERE true
        ON CONFLICT ("{key}") DO UPDATE SET {sets}
        """
    )
    conn.execute("DROP TABLE temp.incoming")
    return Counts(new=new, updated=updated, unchanged=frame.height - new - updated)
