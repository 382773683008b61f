"""The deals, stage history and activities as polars frames, read from the store.

Two readers give the same `DealData`: `read_deal_data` through the store's own
sqlite3 connection (the app), and `read_deal_data_in_bulk` through ADBC, which
is several times faster for a million deals (the `metrics` command).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from coachtui.errors import StoreError
from coachtui.metrics import DEAL_SCHEMA, DealData
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

    return DealData(
        deals=frame(*DEALS),
        reps=frame(*REPS),
        history=frame(*HISTORY),
        activities=frame(*ACTIVITIES),
        pipeline=store.pipeline(),
    )


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
            return DealData(
                deals=frame(*DEALS),
                reps=frame(*REPS),
                history=frame(*HISTORY),
                activities=frame(*ACTIVITIES),
                pipeline=stages.rows(),
            )
    except adbc_driver_manager.Error as exc:
        raise StoreError(damaged(path, exc)) from None


def _dates(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """ISO date text becomes pl.Date."""
    dates = [name for name, kind in schema.items() if kind == pl.Date]
    return frame.with_columns(pl.col(dates).str.to_date("%Y-%m-%d"))
