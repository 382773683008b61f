"""`coachtui import` of a million deals into a new database against sqlite3's
`.import` of the same CSV, interleaved, each a whole process; and the import's
peak memory (the highest of its runs).

Run: python -m bench.bench_import [--runs 5] [--json]
"""

from __future__ import annotations

import shutil

from bench.common import (
    COACHTUI,
    DATA,
    Figure,
    arguments,
    emit,
    median,
    million_deals,
    remove_database,
    timed_together,
    use_bench_cache,
)


def figures(runs: int) -> list[Figure]:
    use_bench_cache()
    million, target = million_deals(), DATA / "import.db"
    commands = {
        "coachtui": [*COACHTUI, "import", "deals", str(million), "--db", str(target)],
        "sqlite3": [shutil.which("sqlite3"), str(target), f".import --csv {million} deals"],
    }
    peaks: dict[str, list[float]] = {}
    times = timed_together(commands, runs, setup=lambda _name: remove_database(target), peaks=peaks)
    remove_database(target)
    return [
        Figure(
            "import of 1M deals",
            median(times["coachtui"]),
            "sqlite3 .import",
            median(times["sqlite3"]),
            2.5,
            "ratio",
        ),
        Figure(
            "peak memory: import of 1M deals", max(peaks["coachtui"]), budget=500, budget_kind="MB"
        ),
    ]


def main() -> None:
    args = arguments(__doc__).parse_args()
    for figure in figures(args.runs):
        emit(figure, args.json)


if __name__ == "__main__":
    main()
