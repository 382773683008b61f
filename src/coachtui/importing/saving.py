"""Saving typed rows of each kind: what goes to the staging table, then the
SQL that takes it into the store, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from coachtui.importing.layouts import stage_rank
from coachtui.importing.options import ImportOptions
from coachtui.importing.parsing import status_from_stage
from coachtui.importing.writing import Counts, has_rows, upsert
from coachtui.store import Store

_REPS_BY_ID = "SELECT rep_id FROM reps WHERE rep_id IS NOT NULL"


def _resolve_rep_ids(table: str) -> str:
    """SQL that replaces owner ids (Salesforce OwnerId) with the reps' names."""
    return f"""
        UPDATE {table} SET rep = (SELECT r.rep FROM reps r WHERE r.rep_id = {table}.rep)
        WHERE rep IN ({_REPS_BY_ID})
    """


def register_stages(store: Store, rows: pl.DataFrame, layout: str) -> None:
    """Record the stages `rows` show (columns stage, status, stage_order), with what
    orders them: the file's own stage order, the CRM's default pipeline, first
    appearance. A stage already known keeps its first appearance."""
    found = (
        rows.with_row_index("appearance")
        .group_by("stage")
        .agg(
            pl.col("appearance").min(),
            pl.col("stage_order").min(),
            pl.col("status").mode().sort().first(),
        )
        .sort("appearance")
    )
    next_seen = store.conn.execute(
        "SELECT COALESCE(MAX(first_seen), -1) + 1 FROM stages"
    ).fetchone()[0]
    store.conn.executemany(
        """
        INSERT INTO stages (stage, status, sort_order, preset_rank, first_seen)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (stage) DO UPDATE SET
            status = excluded.status,
            sort_order = COALESCE(excluded.sort_order, stages.sort_order),
            preset_rank = COALESCE(excluded.preset_rank, stages.preset_rank)
        """,
        (
            (stage, status, order, stage_rank(layout, stage), next_seen + n)
            for n, (stage, status, order) in enumerate(
                found.select("stage", "status", "stage_order").iter_rows()
            )
        ),
    )


@dataclass(frozen=True)
class Saver:
    """`staged(rows, options)`: the frame to stage. `save(store, source, columns,
    rows, options, layout)`: take the staged rows into the store."""

    staged: Callable[[pl.DataFrame, ImportOptions], pl.DataFrame]
    save: Callable[[Store, str, list[str], pl.DataFrame, ImportOptions, str], Counts]


def _as_is(rows: pl.DataFrame, options: ImportOptions) -> pl.DataFrame:
    return rows


def _deals_staged(rows: pl.DataFrame, options: ImportOptions) -> pl.DataFrame:
    today = options.today.isoformat()
    return rows.drop("stage_order").with_columns(
        first_imported=pl.lit(today), last_imported=pl.lit(today)
    )


def _save_deals(store, source, columns, rows, options, layout) -> Counts:
    today = options.today.isoformat()
    # a stage that changed since the last import entered on the import date,
    # unless the deal's stage history comes from a history file
    record_stage_changes = f"""
        INSERT OR IGNORE INTO stage_history (deal_id, stage, entered_at, source)
        SELECT i.deal_id, i.stage, '{today}', 'import'
        FROM {{source}} i JOIN deals d ON d.deal_id = i.deal_id
        WHERE d.stage IS NOT i.stage
          AND NOT EXISTS (
              SELECT 1 FROM stage_history h WHERE h.deal_id = i.deal_id AND h.source = 'file'
          )
    """
    before = [_resolve_rep_ids("{source}")]  # noqa: RUF027 - upsert fills in {source}
    if has_rows(store.conn, "deals"):  # a first import has no stage changes to record
        before.append(record_stage_changes)
    counts = upsert(
        store.conn,
        "deals",
        source,
        columns,
        "deal_id",
        keep_when_blank=("stage_entered_date",),
        bookkeeping=("first_imported", "last_imported"),
        on_update={
            "first_imported": "old.first_imported",
            "stage_entered_date": f"""COALESCE(excluded.stage_entered_date,
                    CASE WHEN old.stage IS NOT excluded.stage THEN '{today}'
                    ELSE old.stage_entered_date END)""",
        },
        before_upsert=tuple(before),
    )
    register_stages(store, rows, layout)
    return counts


def _save_reps(store, source, columns, rows, options, layout) -> Counts:
    counts = upsert(store.conn, "reps", source, columns, "rep")
    for table in ("deals", "activities"):
        store.conn.execute(_resolve_rep_ids(table))
    return counts


def _history_staged(rows: pl.DataFrame, options: ImportOptions) -> pl.DataFrame:
    return rows.with_columns(source=pl.lit("file"))


def _save_history(store, source, columns, rows, options, layout) -> Counts:
    register_stages(
        store,
        rows.select("stage", status_from_stage(options), stage_order=pl.lit(None, pl.Int64)),
        layout,
    )
    before = store.conn.total_changes
    store.conn.execute(
        "INSERT OR IGNORE INTO stage_history (deal_id, stage, entered_at, source) "
        f"SELECT deal_id, stage, entered_at, source FROM {source}"
    )
    new = store.conn.total_changes - before
    return Counts(new=new, updated=0, unchanged=rows.height - new)


def _save_activities(store, source, columns, rows, options, layout) -> Counts:
    return upsert(
        store.conn,
        "activities",
        source,
        columns,
        "activity_id",
        before_upsert=(_resolve_rep_ids("{source}"),),
    )


SAVERS: dict[str, Saver] = {
    "deals": Saver(_deals_staged, _save_deals),
    "reps": Saver(_as_is, _save_reps),
    "history": Saver(_history_staged, _save_history),
    "activities": Saver(_as_is, _save_activities),
}
