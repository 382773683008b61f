"""The deals, stage history and activities as polars frames, read from the store.

Three readers give the same `DealData`: `read_deal_data` through the store's
own sqlite3 connection; `read_deal_data_kept`, for the app, from the
files kept for the database's last import (`coachtui.store.kept_frames`), else
from the store, then kept; and `read_deal_data_for_command`, for `metrics`,
`brief` and `impact`: the kept files, else through ADBC (several times faster
than sqlite3 for a million deals), then kept.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from coachtui.errors import StoreError
from coachtui.review.metrics import DealData
from coachtui.store import PIPELINE_ORDER, Store, damaged
from coachtui.store.database import LAST_IMPORT, import_mark
from coachtui.store.kept_frames import (
    FRAMES,
    Frames,
    as_dates,
    files_for,
    frames_of_last_import,
    in_one_piece,
    keep,
    read_frames,
    read_kept_frames,
)
from coachtui.store.stopped import stop_if_interrupted

KEPT = tuple(FRAMES)


def read_deal_data(store: Store) -> DealData:
    """Everything the metrics read, through the store's connection."""
    return DealData(**read_frames(store), pipeline=store.pipeline())


def read_deal_data_kept(store: Store) -> DealData:
    """`read_deal_data`, from the files kept for the last import when they are
    there: a million deals then come back in a fraction of a second instead of
    ~3 s."""
    version, frames = frames_of_last_import(store)
    return DealData(**frames, pipeline=store.pipeline(), imported=version)


def read_deal_data_for_command(path: Path) -> DealData:
    """The kept files of the database at `path` when they hold its last import,
    else `read_deal_data_in_bulk`, kept for the next command or start. Only
    while this process has no `Store` open on `path` (see below)."""
    with Store.for_worker(path, read_only=True) as store:
        store.conn.execute("BEGIN")  # the version and the pipeline from one snapshot
        version = store.last_import()
        frames = read_kept_frames(files_for(path, version))
        pipeline = store.pipeline()
        store.conn.execute("COMMIT")
    if frames is not None:
        return DealData(**frames, pipeline=pipeline, imported=version)
    data = read_deal_data_in_bulk(path)
    keep({name: getattr(data, name) for name in KEPT}, files_for(path, data.imported))
    return data


def read_deal_data_in_bulk(path: Path) -> DealData:
    """`read_deal_data`, with the last import's mark, through ADBC (Arrow) in
    one transaction (one snapshot).

    The ADBC driver carries its own copy of SQLite. Two copies of SQLite with
    the same file open in one process break each other's locks, so call this
    only while this process has no `Store` open on `path` (the commands, never
    the app).
    """
    import adbc_driver_manager
    import adbc_driver_sqlite.dbapi

    try:
        with adbc_driver_sqlite.dbapi.connect(str(path)) as bulk:  # not autocommit

            def frame(sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
                table = pl.read_database(sql, connection=bulk).select(
                    pl.col(name).cast(pl.String if kind == pl.Date else kind)
                    for name, kind in schema.items()
                )
                return in_one_piece(as_dates(table, schema))

            last = pl.read_database(LAST_IMPORT.replace("?", "0"), connection=bulk).rows()
            version = import_mark(last[0] if last else None)
            stages = frame(PIPELINE_ORDER, {"stage": pl.String, "status": pl.String})
            frames: Frames = {name: frame(*FRAMES[name]) for name in KEPT}
            return DealData(**frames, pipeline=stages.rows(), imported=version)
    except adbc_driver_manager.Error as exc:
        stop_if_interrupted(exc)
        raise StoreError(damaged(path, exc)) from None
