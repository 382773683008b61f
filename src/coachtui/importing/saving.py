"""Saving typed rows of each kind into the store, inside the import's transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl

from coachtui.importing.layouts import stage_rank
from coachtui.importing.options import ImportOptions
from coachtui.importing.parsing import status_from_stage
from coachtui.importing.summary import ImportSummary
from coachtui.importing.writing import Counts, Staged, Writer, upsert
from coachtui.store import connect
from coachtui.store.database import LAST_IMPORT, import_mark

_REPS_BY_ID = "SELECT rep_id FROM reps WHERE rep_id IS NOT NULL"


def _resolve_rep_ids(table: str) -> str:
    """SQL that replaces owner ids (Salesforce OwnerId) with the reps' names."""
    return f"""
        UPDATE {table} SET rep = (SELECT r.rep FROM reps r WHERE r.rep_id = {table}.rep)
        WHERE rep IN ({_REPS_BY_ID})
    """


def _reps_by_id(writer: Writer, rows: pl.DataFrame) -> pl.DataFrame:
    """`rows` with owner ids (Salesforce OwnerId) replaced by the reps' names."""
    known = dict(writer.rows("SELECT rep_id, rep FROM reps WHERE rep_id IS NOT NULL"))
    if not known:
        return rows
    return rows.with_columns(pl.col("rep").replace(known))


_STAGES = {
    "stage": pl.String,
    "status": pl.String,
    "sort_order": pl.Int64,
    "preset_rank": pl.Int64,
    "first_seen": pl.Int64,
}


def register_stages(writer: Writer, rows: pl.DataFrame, layout: str) -> None:
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
    next_seen = writer.value("SELECT COALESCE(MAX(first_seen), -1) + 1 FROM stages")
    stages = pl.DataFrame(
        [
            (stage, status, order, stage_rank(layout, stage), next_seen + n)
            for n, (stage, status, order) in enumerate(
                found.select("stage", "status", "stage_order").iter_rows()
            )
        ],
        schema=_STAGES,
        orient="row",
    )
    writer.insert(
        """
        INSERT INTO stages (stage, status, sort_order, preset_rank, first_seen)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (stage) DO UPDATE SET
            status = excluded.status,
            sort_order = COALESCE(excluded.sort_order, stages.sort_order),
            preset_rank = COALESCE(excluded.preset_rank, stages.preset_rank)
        """,
        stages,
    )


Given = frozenset[str]  # the fields the file's columns give (its mapping)
Save = Callable[[Writer, pl.DataFrame, ImportOptions, str, Given], Counts]


def _save_deals(
    writer: Writer, rows: pl.DataFrame, options: ImportOptions, layout: str, given: Given
) -> Counts:
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
    staged = Staged.of(
        _reps_by_id(writer, rows.drop("stage_order")),
        {"first_imported": today, "last_imported": today},
    )
    on_update = {
        "first_imported": "old.first_imported",
        "stage_entered_date": f"""COALESCE(excluded.stage_entered_date,
                CASE WHEN old.stage IS NOT excluded.stage THEN '{today}'
                ELSE old.stage_entered_date END)""",
    }
    if "close_date" in staged.said_nothing_of(given):  # won or lost since: it was expected
        on_update["close_date"] = (
            "CASE WHEN old.status IS NOT excluded.status THEN NULL ELSE old.close_date END"
        )
    counts = upsert(
        writer,
        "deals",
        staged,
        "deal_id",
        keep_when_blank=("stage_entered_date",),
        given=given,
        bookkeeping=("first_imported", "last_imported"),
        on_update=on_update,
        before_upsert=(record_stage_changes,),  # (a first import has none to record)
    )
    register_stages(writer, rows, layout)
    return counts


def _save_reps(
    writer: Writer, rows: pl.DataFrame, options: ImportOptions, layout: str, given: Given
) -> Counts:
    counts = upsert(writer, "reps", Staged.of(rows), "rep", given=given)
    for table in ("deals", "activities"):
        writer.execute(_resolve_rep_ids(table))
    return counts


def _save_history(
    writer: Writer, rows: pl.DataFrame, options: ImportOptions, layout: str, given: Given
) -> Counts:
    register_stages(
        writer,
        rows.select("stage", status_from_stage(options), stage_order=pl.lit(None, pl.Int64)),
        layout,
    )
    source = Staged.of(rows, {"source": "file"}).stage(writer)
    before = writer.value("SELECT total_changes()")
    writer.execute(
        "INSERT OR IGNORE INTO stage_history (deal_id, stage, entered_at, source) "
        f"SELECT deal_id, stage, entered_at, source FROM {source}"
    )
    new = writer.value("SELECT total_changes()") - before
    return Counts(new=new, updated=0, unchanged=rows.height - new)


def _save_activities(
    writer: Writer, rows: pl.DataFrame, options: ImportOptions, layout: str, given: Given
) -> Counts:
    return upsert(
        writer, "activities", Staged.of(_reps_by_id(writer, rows)), "activity_id", given=given
    )


# the table each kind fills
TABLES = {"deals": "deals", "reps": "reps", "history": "stage_history", "activities": "activities"}
SAVERS: dict[str, Save] = {
    "deals": _save_deals,
    "reps": _save_reps,
    "history": _save_history,
    "activities": _save_activities,
}


def log_import(
    writer: Writer, kind: str, file: Path, layout: str, rows: int, counts: Counts
) -> None:
    """Record an import, inside its transaction."""
    entry = {
        "imported_at": dt.datetime.now().isoformat(timespec="seconds"),
        "kind": kind,
        "file": str(file),
        "layout": layout,
        "rows": rows,
        "new": counts.new,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
    }
    names = ", ".join(entry)
    marks = ", ".join("?" for _ in entry)
    writer.insert(f"INSERT INTO import_log ({names}) VALUES ({marks})", pl.DataFrame([entry]))


def logged_since(database: Path, mark: str) -> ImportSummary | None:
    """The last import, when it is not the one `mark` (`Store.last_import`)
    names: one that committed since, its summary as the log keeps it (not
    the columns used, the encoding or the warnings). Read on a connection of
    its own: the store's may be closed, when the import was stopped as ADBC
    had the file."""
    with contextlib.closing(connect(database, read_only=True)) as conn:
        newest = conn.execute(LAST_IMPORT, (0,)).fetchone()
        if import_mark(newest) == mark:
            return None
        kind, file, layout, rows, new, updated, unchanged = conn.execute(
            "SELECT kind, file, layout, rows, new, updated, unchanged FROM import_log WHERE id = ?",
            (newest[0],),
        ).fetchone()
    return ImportSummary(
        kind=kind,
        file=file,
        layout=layout,
        encoding="",
        mapping={},
        rows=rows,
        new=new,
        updated=updated,
        unchanged=unchanged,
    )
