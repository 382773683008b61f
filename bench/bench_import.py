"""`coachtui import deals` of a million deals against `sqlite3 .import`,
interleaved, each a whole process: a first import into a new database (budget
2.5x `sqlite3 .import` into a new file), a re-import of the same file into the
full database (every row unchanged, the upsert path; beside the first import,
no budget), and the peak memory of a first import (the highest of its runs).

`sqlite3 .import` writes text into a table with no key, no index and no
checks; coachtui reads and checks every value, and writes the deals with
their key and the rep index, in one transaction.

Run: python -m bench.bench_import [--runs 5] [--json]
"""

from __future__ import annotations

import shutil

from bench.common import (
    COACHTUI,
    DATA,
    Figure,
    median,
    million_deals,
    print_figures,
    timed_together,
    use_bench_cache,
)
from coachtui.store import remove_database


def figures(runs: int) -> list[Figure]:
    use_bench_cache()
    million, ours, theirs = million_deals(), DATA / "import.db", DATA / "import-peer.db"
    importing = [*COACHTUI, "import", "deals", str(million), "--db", str(ours)]
    commands = {  # in this order in each round: the re-import finds the first import's file
        "coachtui": importing,
        "re-import": importing,
        "sqlite3": [shutil.which("sqlite3"), str(theirs), f".import --csv {million} deals"],
    }
    fresh = {"coachtui": ours, "sqlite3": theirs}
    peaks: dict[str, list[float]] = {}
    times = timed_together(
        commands,
        runs,
        setup=lambda name: remove_database(fresh[name]) if name in fresh else None,
        peaks=peaks,
    )
    for database in fresh.values():
        remove_database(database)
    first = median(times["coachtui"])
    return [
        Figure(
            "import of 1M deals", first, "sqlite3 .import", median(times["sqlite3"]), 2.5, "ratio"
        ),
        Figure(
            "re-import of 1M deals (unchanged)", median(times["re-import"]), "first import", first
        ),
        Figure(
            "peak memory: import of 1M deals", max(peaks["coachtui"]), budget=500, budget_kind="MB"
        ),
    ]


if __name__ == "__main__":
    print_figures(figures, __doc__)
