"""After an import: the CRM data kept as files for the numbers' next
read (`coachtui.store.kept_frames`), so the first start and the first
`coachtui metrics` after an import do not read a million deals from SQLite.

The files must hold exactly what the store would return. The deals are taken
from the import's own rows only when they are the whole deals table: the
first deals import ever, with no owner ids to resolve. After an import of
history or activities, or of reps known by name only, the deals have not
changed, and the files kept for the import before it give them (reps known
by an owner id rename the deals' reps). Otherwise nothing is kept, and the next
read goes to the store (and keeps what it read).
"""

from __future__ import annotations

import polars as pl

from coachtui.store import Store
from coachtui.store.kept_frames import (
    DEAL_SCHEMA,
    FRAMES,
    keep,
    kept_files,
    read_frame,
    read_kept_frames,
)

SMALL = tuple(name for name in FRAMES if name != "deals")


def keep_after_import(store: Store, kind: str, rows: pl.DataFrame) -> None:
    """Call after the import of `rows` of `kind` committed."""
    store.conn.execute("BEGIN")  # the version and what it holds from one snapshot
    try:
        deals = _deals(store, kind, rows)
        if deals is None:
            return
        files = kept_files(store)
        frames = {"deals": deals, **{name: read_frame(store, name) for name in SMALL}}
    finally:
        store.conn.execute("COMMIT")
    keep(frames, files)


def _deals(store: Store, kind: str, rows: pl.DataFrame) -> pl.DataFrame | None:
    """The deals table as the store would return it, if it can be had cheaply."""
    newest = store.conn.execute("SELECT kind FROM import_log ORDER BY id DESC LIMIT 1").fetchone()
    if newest is None:
        return None
    if kind == "deals":
        (deal_imports,) = store.conn.execute(
            "SELECT count(*) FROM import_log WHERE kind = 'deals'"
        ).fetchone()
        (stored,) = store.conn.execute("SELECT count(*) FROM deals").fetchone()
        if deal_imports != 1 or _owner_ids(store) or stored != rows.height:
            return None
        return rows.select(
            pl.col(name).cast(dtype) if name in rows.columns else pl.lit(None, dtype).alias(name)
            for name, dtype in DEAL_SCHEMA.items()
        )
    if newest[0] == "deals":
        return None  # someone else imported deals since
    if kind == "reps" and _owner_ids(store):
        return None  # the reps' names may have replaced owner ids in the deals
    kept = read_kept_frames(kept_files(store, store.last_import(before=1)))
    return None if kept is None else kept["deals"]


def _owner_ids(store: Store) -> bool:
    """Whether reps are known by an owner id (Salesforce OwnerId) too: then an
    import of reps or deals rewrites the deals' reps from ids to names."""
    return (
        store.conn.execute("SELECT 1 FROM reps WHERE rep_id IS NOT NULL LIMIT 1").fetchone()
        is not None
    )
