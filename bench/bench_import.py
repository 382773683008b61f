"""`coachtui import deals` of a million deals against `sqlite3 .import`.

Three figures, each run interleaved with its peer so that a noisy moment hits
both: a first import into a new database (budget 2.5x `sqlite3 .import` into
a new file), a re-import of the same file into the full database (every row
unchanged: the upsert path; against a first import in the same run, no
budget), and the peak memory of a first import (budget 500 MB).

`sqlite3 .import` writes text into a table with no key, no index and no
checks; coachtui reads and checks every value, and writes the deals with
their key and the rep index, in one transaction.

Run: python -m bench.bench_import [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from bench.common import COACHTUI, DATA
from bench.make_deals import write_deals

BUDGET_RATIO = 2.5
BUDGET_MB = 500


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def peak_mb(command: list[str]) -> float:
    """Peak resident memory of a command, in MB."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command} failed")
    return usage.ru_maxrss / 1024


def measure(runs: int) -> list[dict]:
    million = DATA / "deals-1m.csv"
    if not million.exists():
        write_deals(million, 1_000_000, 5_000)
    ours_db, peer_db = DATA / "import.db", DATA / "import-peer.db"
    ours_command = [*COACHTUI, "import", "deals", str(million), "--db", str(ours_db)]
    peer_command = [shutil.which("sqlite3"), str(peer_db), f".import --csv {million} deals"]
    fresh, again, peer = [], [], []
    for _ in range(runs):  # interleaved
        _remove(ours_db)
        fresh.append(_seconds(ours_command))
        again.append(_seconds(ours_command))
        _remove(peer_db)
        peer.append(_seconds(peer_command))
    _remove(ours_db)
    memory = peak_mb(ours_command)
    for db in (ours_db, peer_db):
        _remove(db)
    first, reimport = statistics.median(fresh), statistics.median(again)
    return [
        _figure("import of 1M deals", first, "sqlite3 .import", statistics.median(peer)),
        _figure("re-import of 1M deals (unchanged)", reimport, "first import", first),
        {
            "figure": "peak memory: import of 1M deals",
            "ours": round(memory, 1),
            "peer_name": None,
            "peer": None,
            "budget": BUDGET_MB,
            "budget_kind": "MB",
        },
    ]


def _figure(name: str, ours: float, peer_name: str, peer: float) -> dict:
    budgeted = peer_name.startswith("sqlite3")
    return {
        "figure": name,
        "ours": round(ours, 3),
        "peer_name": peer_name,
        "peer": round(peer, 3),
        "budget": BUDGET_RATIO if budgeted else None,
        "budget_kind": "ratio" if budgeted else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="one JSON object per figure")
    args = parser.parse_args()
    figures = measure(args.runs)
    for figure in figures:
        if args.json:
            print(json.dumps(figure))
        elif figure["budget_kind"] == "MB":
            print(f"{figure['figure']:<36} {figure['ours']:8.0f} MB   (budget {BUDGET_MB} MB)")
        else:
            ratio = figure["ours"] / figure["peer"]
            budget = f"budget {figure['budget']}x" if figure["budget"] else "no budget"
            print(
                f"{figure['figure']:<36} coachtui {figure['ours']:7.2f}s   "
                f"{figure['peer_name']} {figure['peer']:7.2f}s   ratio {ratio:5.2f}x  ({budget})"
            )
    if not args.json:
        print(f"(medians of {args.runs}, interleaved; load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
