"""How the roster feels with 5,000 reps and a million deals: time to the first
paint, to the filled roster, and for a sort, a filter and a page of scrolling,
driven by keys in a headless app. Medians of several runs.

Run: python -m bench.bench_roster [--runs 3]   (after bench/bench_report.py made report.db)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from bench.common import DATA
from bench.make_deals import AS_OF
from coachtui.app import CoachApp
from coachtui.screens.roster import RosterPane
from coachtui.store import Store


async def one_run() -> dict[str, float]:
    figures = {}
    with Store.open(DATA / "report.db") as store:
        start = time.perf_counter()
        app = CoachApp(store, today=AS_OF)
        async with app.run_test(size=(100, 30)) as pilot:
            figures["first paint"] = time.perf_counter() - start
            await app.workers.wait_for_complete()
            await pilot.pause()
            figures["roster filled"] = time.perf_counter() - start
            assert len(app.query_one(RosterPane).shown) == 5000
            for name, keys in (
                ("sort", ["s"]),
                ("reverse", ["r"]),
                ("filter '12'", ["slash", "1", "2"]),
                ("clear filter", ["escape"]),
                ("page down x3", ["pagedown", "pagedown", "pagedown"]),
            ):
                start = time.perf_counter()
                await pilot.press(*keys)
                await pilot.pause()
                figures[name] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [asyncio.run(one_run()) for _ in range(args.runs)]
    for name in runs[0]:
        print(f"{name:<15} {statistics.median(r[name] for r in runs):7.3f}s")


if __name__ == "__main__":
    main()
