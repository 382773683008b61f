"""Writing parsed rows into the store with set-based SQL, counting what changed.

The rows are first written to a scratch SQLite file through ADBC (Arrow, in
bulk: several times faster than `executemany` from Python), which is attached
to the store's connection; one INSERT ... SELECT ... ON CONFLICT statement then
upserts them inside the import's transaction. sqlite-utils' `upsert_all` would
build a dict per row and cannot say which rows were new, updated or unchanged.
The store itself changes only in that one transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import adbc_driver_manager
import adbc_driver_sqlite.dbapi
import polars as pl

from coachtui.errors import StoreError
from coachtui.paths import create_private_file
from coachtui.store import Store
from coachtui.store.scratch import remove_scratch, scratch_path

STAGING = "staging"


@dataclass(frozen=True)
class Counts:
    new: int
    updated: int
    unchanged: int


@contextlib.contextmanager
def staged(store: Store, frame: pl.DataFrame) -> Iterator[str]:
    """`frame` as the table `staging.incoming`, for the length of the block.

    Call it outside a transaction (SQLite cannot attach inside one).
    """
    scratch = scratch_path(store.path)
    scratch.unlink(missing_ok=True)
    create_private_file(scratch).close()  # never through a link
    try:
        frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        try:
            with adbc_driver_sqlite.dbapi.connect(str(scratch)) as bulk:
                frame.write_database("incoming", connection=bulk, engine="adbc")
                bulk.commit()
        except adbc_driver_manager.Error as exc:
            raise StoreError(
                f"could not stage the import beside {store.path} ({exc.args[0].splitlines()[0]}); "
                "nothing was changed. Free some disk space, then try again"
            ) from None
        store.conn.execute(f"ATTACH DATABASE ? AS {STAGING}", (str(scratch),))
        try:
            yield f"{STAGING}.incoming"
        finally:
            store.conn.execute(f"DETACH DATABASE {STAGING}")
    finally:
        remove_scratch(scratch)


def _bulk_load(conn: sqlite3.Connection, table: str, source: str, names: str) -> int:
    """Into an empty table: a plain insert, with the secondary indexes built after."""
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    inserted = conn.execute(
        f'INSERT INTO "{table}" ({names}) SELECT {names} FROM {source}'
    ).rowcount
    for _name, sql in indexes:
        conn.execute(sql)
    return inserted


def has_rows(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0] == 1


def upsert(
    conn: sqlite3.Connection,
    table: str,
    source: str,
    columns: list[str],
    key: str,
    *,
    keep_when_blank: tuple[str, ...] = (),
    bookkeeping: tuple[str, ...] = (),
    on_update: dict[str, str] | None = None,
    before_upsert: tuple[str, ...] = (),
) -> Counts:
    """Insert or update the rows of `source` into `table` by `key`, inside the
    caller's transaction.

    `keep_when_blank`: columns whose blank incoming value keeps the stored
    one (and is no change). `bookkeeping`: columns written but never
    compared (when a row was imported). `on_update`: SQL for a column on
    update, in terms of `old` (the stored row) and `excluded`.
    `before_upsert`: statements run first, with `{source}` for the rows'
    table (to rewrite them, or to record what is about to change).
    """
    for statement in before_upsert:
        conn.execute(statement.format(source=source))
    names = ", ".join(f'"{c}"' for c in columns)
    if not has_rows(conn, table):
        return Counts(new=_bulk_load(conn, table, source, names), updated=0, unchanged=0)
    values = [c for c in columns if c != key]

    def incoming(column: str) -> str:
        if column in keep_when_blank:
            return f'COALESCE(i."{column}", old."{column}")'
        return f'i."{column}"'

    compared = [c for c in values if c not in bookkeeping]
    differs = " OR ".join(f'old."{c}" IS NOT {incoming(c)}' for c in compared) or "0"
    total, new, updated = conn.execute(
        f"""
        SELECT COUNT(*), COUNT(*) FILTER (WHERE old."{key}" IS NULL),
               COUNT(*) FILTER (WHERE old."{key}" IS NOT NULL AND ({differs}))
        FROM {source} i LEFT JOIN "{table}" old ON old."{key}" = i."{key}"
        """
    ).fetchone()
    assignments = {c: f'excluded."{c}"' for c in values}
    assignments |= {c: f'COALESCE(excluded."{c}", old."{c}")' for c in keep_when_blank}
    assignments |= on_update or {}
    sets = ", ".join(f'"{c}" = {sql}' for c, sql in assignments.items())
    conn.execute(
        f"""
        INSERT INTO "{table}" AS old ({names}) SELECT {names} FROM {source} WHERE true
        ON CONFLICT ("{key}") DO UPDATE SET {sets}
        """
    )
    return Counts(new=new, updated=updated, unchanged=total - new - updated)
