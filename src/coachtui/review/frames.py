"""The deals, stage history and activities as polars frames, read from the store.

Three readers give the same `DealData`: `read_deal_data` through the store's
own sqlite3 connection; `read_deal_data_kept`, which keeps what it read as Arrow
files for the next start (the app); and `read_deal_data_in_bulk` through ADBC,
several times faster for a million deals (the `metrics` command).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import polars as pl

from coachtui import __version__
from coachtui.errors import StoreError
from coachtui.paths import cache_folder, create_private_file, file_problem
from coachtui.review.metrics import DEAL_SCHEMA, DealData
from coachtui.store import PIPELINE_ORDER, Store, damaged

FETCH_ROWS = 50_000
REPS = ("SELECT rep, manager FROM reps", {"rep": pl.String, "manager": pl.String})
HISTORY = (
    "SELECT deal_id, stage, entered_at FROM stage_history",
    {"deal_id": pl.String, "stage": pl.String, "entered_at": pl.Date},
)
ACTIVITIES = ("SELECT rep, date FROM activities", {"rep": pl.String, "date": pl.Date})
DEALS = (f"SELECT {', '.join(DEAL_SCHEMA)} FROM deals", DEAL_SCHEMA)


def read_deal_data(store: Store) -> DealData:
    """Everything the metrics read, through the store's connection.

    Read in slices and turned into columns: a million rows made into a frame
    row by row at once peaked at ~700 MB, this at ~250 MB.
    """

    def frame(sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
        text_schema = {
            name: pl.String if kind == pl.Date else kind for name, kind in schema.items()
        }
        cursor = store.conn.execute(sql)
        parts = [pl.DataFrame(schema=text_schema)]
        while rows := cursor.fetchmany(FETCH_ROWS):
            columns = zip(*rows, strict=True)
            parts.append(
                pl.DataFrame(
                    [
                        pl.Series(n, c, dtype=t)
                        for (n, t), c in zip(text_schema.items(), columns, strict=True)
                    ]
                )
            )
        return _dates(pl.concat(parts, rechunk=True), schema)

    return _deal_data(frame, store.pipeline())


KEPT = ("deals", "reps", "history", "activities")
KEPT_FOLDER = "deal-frames"


def read_deal_data_kept(store: Store) -> DealData:
    """`read_deal_data`, kept in the cache folder as Arrow files until an import
    changes the deals: a million deals then come back in a fraction of a
    second instead of ~3 s. The files hold CRM data, so they are 0600 in a
    0700 folder; a cache that cannot be read or written only costs time, and
    a cache that is not the user's alone (another user's folder or file, a
    link) is not used at all.
    """
    folder = cache_folder(KEPT_FOLDER)  # recomputed each time: it follows $XDG_CACHE_HOME
    if folder is None:
        return read_deal_data(store)
    store.conn.execute("BEGIN")  # the version and the rows from one snapshot
    try:
        database = _digest(str(store.path.resolve()))
        version = _digest(f"{__version__} {store.last_import()}")
        files = {name: folder / f"{database}-{version}-{name}.arrow" for name in KEPT}
        if all(_ours(file) for file in files.values()):
            try:
                frames = {name: pl.read_ipc(file) for name, file in files.items()}
                return DealData(**frames, pipeline=store.pipeline())
            except (OSError, pl.exceptions.PolarsError):
                pass  # damaged: read the store again, and keep it anew
        data = read_deal_data(store)
    finally:
        store.conn.execute("COMMIT")
    _keep(data, folder, files, older=f"{database}-*")
    return data


def _ours(file: Path) -> bool:
    """A kept file coachtui may read back: there, the user's, not a link."""
    try:
        return file_problem(file) is None
    except OSError:
        return False


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _keep(data: DealData, folder: Path, files: dict[str, Path], older: str) -> None:
    """Write the frames (each whole or not at all, in new files), and remove
    the files of this database that match `older` and are not these."""
    try:
        for old in set(folder.glob(older)) - set(files.values()):
            old.unlink(missing_ok=True)
        for name, file in files.items():
            partial = file.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            with create_private_file(partial) as out:
                getattr(data, name).write_ipc(out)
            partial.replace(file)
    except (OSError, StoreError):
        return


def read_deal_data_in_bulk(path: Path) -> DealData:
    """`read_deal_data` through ADBC (Arrow).

    The ADBC driver carries its own copy of SQLite. Two copies of SQLite with
    the same file open in one process break each other's locks, so call this
    only while this process has no `Store` open on `path` (the CLI's
    `metrics`, never the app).
    """
    import adbc_driver_manager
    import adbc_driver_sqlite.dbapi

    try:
        with adbc_driver_sqlite.dbapi.connect(str(path)) as bulk:

            def frame(sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
                table = pl.read_database(sql, connection=bulk).select(
                    pl.col(name).cast(pl.String if kind == pl.Date else kind)
                    for name, kind in schema.items()
                )
                return _dates(table, schema)

            stages = frame(PIPELINE_ORDER, {"stage": pl.String, "status": pl.String})
            return _deal_data(frame, stages.rows())
    except adbc_driver_manager.Error as exc:
        raise StoreError(damaged(path, exc)) from None


def _deal_data(frame: Callable[[str, dict], pl.DataFrame], pipeline: list) -> DealData:
    """The four frames, each read by `frame(sql, schema)`."""
    return DealData(
        deals=frame(*DEALS),
        reps=frame(*REPS),
        history=frame(*HISTORY),
        activities=frame(*ACTIVITIES),
        pipeline=pipeline,
    )


def _dates(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """ISO date text becomes pl.Date."""
    dates = [name for name, kind in schema.items() if kind == pl.Date]
    return frame.with_columns(pl.col(dates).str.to_date("%Y-%m-%d"))
