"""`coachtui metrics` over a million deals against a hand-written sqlite3 GROUP BY.

The peer computes, in one query, the per-rep figures SQL can: counts, sums,
win rate, average deal size, average cycle and velocity (not the stalled
deals, which need a per-team median SQLite does not have). Both read the same
database file.

Run: python bench/bench_report.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess

from bench.common import COACHTUI, DATA, report, timed
from bench.make_deals import AS_OF, write_deals

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    csv_path = DATA / "deals-1m.csv"
    if not csv_path.exists():
        write_deals(csv_path, 1_000_000, 5_000)
    db = DATA / "report.db"
    if not db.exists():
        subprocess.run([*COACHTUI, "import", "deals", str(csv_path), "--db", str(db)], check=True)
    sqlite = shutil.which("sqlite3")
    ours = timed(
        [*COACHTUI, "metrics", "--db", str(db), "--as-of", A, "--format", "csv"], args.runs
    )
    peer = timed([sqlite, str(db), PEER_SQL], args.runs)
    report("report", ours, peer, "sqlite3", budget=1.0)


if __name__ == "__main__":
    main()
