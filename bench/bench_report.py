"""`coachtui metrics` over a million deals against the tools a data-savvy
manager would reach for instead, each timed as a whole process, interleaved:

- sqlite3: one hand-written GROUP BY over the same database file (the budget's peer);
- DuckDB's CLI: the same GROUP BY over the same CSV export (read_csv), and over
  the same database file through DuckDB's sqlite extension, loaded from its
  file (bench/requirements.txt installs it; nothing is fetched at run time);
- polars: a lazy scan of the same CSV and the same group-by.

The peers compute the per-rep figures SQL can: counts, sums, win rate, average
deal size, average cycle and velocity (not the stalled deals, which need a
per-team median SQLite does not have). The CSV peers derive each deal's status
from its stage, as the import does.

Run: python -m bench.bench_report [--runs 5] [--json]
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sys
from pathlib import Path

from bench.common import (
    COACHTUI,
    Figure,
    median,
    million_deals,
    print_figures,
    report_database,
    restore_after_import,
    timed_together,
)
from bench.make_deals import AS_OF

A = AS_OF.isoformat()
PEER_SQL = f"""
WITH flagged AS (
  SELECT rep, amount, created_date, close_date,
    status = 'open' AND (created_date IS NULL OR created_date <= '{A}') AS is_open,
    created_date > date('{A}', '-90 days') AND created_date <= '{A}' AS is_new,
    status = 'won' AND close_date > date('{A}', '-90 days') AND close_date <= '{A}' AS is_won,
    status = 'lost' AND close_date > date('{A}', '-90 days') AND close_date <= '{A}' AS is_lost
  FROM deals
), per_rep AS (
  SELECT rep,
    SUM(is_open) AS open_deals,
    TOTAL(CASE WHEN is_open THEN amount END) AS open_pipeline,
    SUM(is_new) AS new_deals,
    TOTAL(CASE WHEN is_new THEN amount END) AS new_pipeline,
    SUM(is_won) AS won_deals,
    SUM(is_lost) AS lost_deals,
    TOTAL(CASE WHEN is_won THEN amount END) AS won_amount,
    AVG(CASE WHEN is_won THEN amount END) AS avg_deal_size,
    AVG(CASE WHEN is_won THEN julianday(close_date) - julianday(created_date) END)
      AS avg_cycle_days
  FROM flagged GROUP BY rep
)
SELECT *, 1.0 * won_deals / NULLIF(won_deals + lost_deals, 0) AS win_rate,
  open_deals * (1.0 * won_deals / NULLIF(won_deals + lost_deals, 0)) * avg_deal_size
    / NULLIF(avg_cycle_days, 0) AS sales_velocity
FROM per_rep ORDER BY rep;
"""

# The same query in DuckDB's dialect, over a `deals` relation with typed dates.
SINCE = (AS_OF - dt.timedelta(days=90)).isoformat()
DUCKDB_SQL = f"""
WITH deals AS ({{deals}}), flagged AS (
  SELECT rep, amount, created_date, close_date,
    status = 'open' AND (created_date IS NULL OR created_date <= DATE '{A}') AS is_open,
    created_date > DATE '{SINCE}' AND created_date <= DATE '{A}' AS is_new,
    status = 'won' AND close_date > DATE '{SINCE}' AND close_date <= DATE '{A}' AS is_won,
    status = 'lost' AND close_date > DATE '{SINCE}' AND close_date <= DATE '{A}' AS is_lost
  FROM deals
), per_rep AS (
  SELECT rep,
    count(*) FILTER (is_open) AS open_deals,
    coalesce(sum(amount) FILTER (is_open), 0) AS open_pipeline,
    count(*) FILTER (is_new) AS new_deals,
    coalesce(sum(amount) FILTER (is_new), 0) AS new_pipeline,
    count(*) FILTER (is_won) AS won_deals,
    count(*) FILTER (is_lost) AS lost_deals,
    coalesce(sum(amount) FILTER (is_won), 0) AS won_amount,
    avg(amount) FILTER (is_won) AS avg_deal_size,
    avg(close_date - created_date) FILTER (is_won) AS avg_cycle_days
  FROM flagged GROUP BY rep
)
SELECT *, won_deals / NULLIF(won_deals + lost_deals, 0) AS win_rate,
  open_deals * (won_deals / NULLIF(won_deals + lost_deals, 0)) * avg_deal_size
    / NULLIF(avg_cycle_days, 0) AS sales_velocity
FROM per_rep ORDER BY rep;
"""
DUCKDB_FROM_CSV = """SELECT rep, amount, created_date, close_date,
  CASE stage WHEN 'Won' THEN 'won' WHEN 'Lost' THEN 'lost' ELSE 'open' END AS status
  FROM read_csv('{csv}')"""
DUCKDB_FROM_SQLITE = """SELECT rep, amount, status,
  CAST(created_date AS DATE) AS created_date, CAST(close_date AS DATE) AS close_date
  FROM crm.deals"""
# never fetch an extension: the sqlite one is loaded from its installed file
DUCKDB_OFFLINE = "SET autoinstall_known_extensions = false; SET autoload_known_extensions = false;"

POLARS_PEER = """
import sys, datetime as dt, polars as pl
as_of = dt.date.fromisoformat(sys.argv[2])
since = as_of - dt.timedelta(days=90)
c = pl.col
status = (
    pl.when(c.stage == "Won").then(pl.lit("won"))
    .when(c.stage == "Lost").then(pl.lit("lost")).otherwise(pl.lit("open"))
)
deals = pl.scan_csv(sys.argv[1], try_parse_dates=True).with_columns(status=status)
is_open = (c.status == "open") & (c.created_date.is_null() | (c.created_date <= as_of))
is_new = (c.created_date > since) & (c.created_date <= as_of)
closed = (c.close_date > since) & (c.close_date <= as_of)
is_won = (c.status == "won") & closed
is_lost = (c.status == "lost") & closed
per_rep = (
    deals.group_by("rep").agg(
        open_deals=is_open.sum(), open_pipeline=c.amount.filter(is_open).sum(),
        new_deals=is_new.sum(), new_pipeline=c.amount.filter(is_new).sum(),
        won_deals=is_won.sum(), lost_deals=is_lost.sum(),
        won_amount=c.amount.filter(is_won).sum(),
        avg_deal_size=c.amount.filter(is_won).mean(),
        avg_cycle_days=(c.close_date - c.created_date).dt.total_days().filter(is_won).mean(),
    )
    .with_columns(win_rate=c.won_deals / (c.won_deals + c.lost_deals).replace(0, None))
    .with_columns(sales_velocity=c.open_deals * c.win_rate * c.avg_deal_size / c.avg_cycle_days)
    .sort("rep")
)
per_rep.collect().write_csv(sys.stdout)
"""


def duckdb_cli() -> str | None:
    """The DuckDB CLI binary that the duckdb-cli package ships (not its Python wrapper,
    whose own start would count against DuckDB)."""
    spec = importlib.util.find_spec("duckdb_cli")
    if spec is None or spec.origin is None:
        return shutil.which("duckdb")
    binary = Path(spec.origin).parent / "duckdb"
    return str(binary) if binary.exists() else shutil.which("duckdb")


def sqlite_extension() -> Path | None:
    """DuckDB's sqlite extension, as the duckdb-extension-sqlite-scanner package ships it."""
    spec = importlib.util.find_spec("duckdb_extension_sqlite_scanner")
    if spec is None or spec.origin is None:
        return None
    return next(Path(spec.origin).parent.rglob("sqlite_scanner.duckdb_extension"), None)


def peers(csv_path: Path, db: Path) -> dict[str, list[str]]:
    """Each peer's whole command, by the name the figures give it."""
    commands = {"sqlite3 GROUP BY": [shutil.which("sqlite3"), str(db), PEER_SQL]}
    duckdb = duckdb_cli()
    if duckdb:
        from_csv = DUCKDB_SQL.format(deals=DUCKDB_FROM_CSV.format(csv=csv_path))
        commands["DuckDB, CSV"] = [duckdb, "-csv", "-c", DUCKDB_OFFLINE + from_csv]
        extension = sqlite_extension()
        if extension:
            attach = f"LOAD '{extension}'; ATTACH '{db}' AS crm (TYPE sqlite, READ_ONLY);"
            from_db = DUCKDB_SQL.format(deals=DUCKDB_FROM_SQLITE)
            commands["DuckDB, SQLite file"] = [
                duckdb,
                "-csv",
                "-c",
                DUCKDB_OFFLINE + attach + from_db,
            ]
    if len(commands) < 3:
        print(
            "(DuckDB or its sqlite extension missing: pip install -r bench/requirements.txt)",
            file=sys.stderr,
        )
    commands["polars lazy CSV"] = [sys.executable, "-c", POLARS_PEER, str(csv_path), A]
    return commands


def figures(runs: int) -> list[Figure]:
    csv_path, db = million_deals(), report_database()
    restore_after_import()  # what the import left, whatever ran since
    ours = [*COACHTUI, "metrics", "--db", str(db), "--as-of", A, "--format", "csv"]
    times = timed_together({"coachtui": ours, **peers(csv_path, db)}, runs)
    mine = median(times.pop("coachtui"))
    name = "`coachtui metrics` over 1M deals"
    result = [
        Figure(name, mine, "sqlite3 GROUP BY", median(times.pop("sqlite3 GROUP BY")), 0.5, "ratio")
    ]
    result += [Figure(name, mine, peer, median(seconds)) for peer, seconds in times.items()]
    return result


if __name__ == "__main__":
    print_figures(figures, __doc__)
