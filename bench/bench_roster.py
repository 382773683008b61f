"""How the app feels with 5,000 reps and a million deals, driven by keys in a
headless app: the roster on the screen, the team computed, a sort, a filter
and a page of scrolling, and a rep's Review tab filled. The first start comes
right after the import of the million deals (which keeps them as Arrow files)
and computes the team; the later ones paint the roster kept from the start
before. Medians of the later starts.

Run: python -m bench.bench_roster [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import time
from pathlib import Path

from bench.common import COACHTUI, DATA
from bench.make_deals import AS_OF, write_deals
from coachtui.app import CoachApp
from coachtui.screens.review import ReviewPane
from coachtui.screens.roster import RosterPane
from coachtui.store import Store

REPS = 5000


async def until(pilot, condition, timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        assert time.perf_counter() < deadline, "timed out"
        await pilot.pause(0.005)


async def one_run(db: Path) -> dict[str, float]:
    figures = {}
    with Store.open(db) as store:
        start = time.perf_counter()
        app = CoachApp(store, today=AS_OF)
        async with app.run_test(size=(100, 30)) as pilot:
            roster = app.query_one(RosterPane)
            await until(pilot, lambda: len(roster.shown) == REPS)
            figures["roster showing"] = time.perf_counter() - start
            await until(pilot, lambda: app.review is not None)
            figures["team computed"] = time.perf_counter() - start
            for name, keys, done in (
                ("sort", ["s"], lambda: roster.sort_key != "rep"),
                ("reverse", ["r"], lambda: roster.sort_reverse),
                # the filter refills once typing pauses: its pause is counted
                ("filter '12'", ["slash", "1", "2"], lambda: roster.filtered_by == "12"),
                ("clear filter", ["escape"], lambda: len(roster.shown) == REPS),
                ("page down x3", ["pagedown", "pagedown", "pagedown"], lambda: True),
            ):
                begin = time.perf_counter()
                await pilot.press(*keys)
                await until(pilot, done)
                await pilot.pause()
                figures[name] = time.perf_counter() - begin
            begin = time.perf_counter()
            await pilot.press("enter")
            review = app.query_one(ReviewPane)
            await until(pilot, lambda: review.rep is not None)
            await review.workers.wait_for_complete()
            await pilot.pause()
            figures["review filled"] = time.perf_counter() - begin
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    # a first start right after an import: the deals kept by it, no roster yet
    os.environ["XDG_CACHE_HOME"] = str(DATA / "cache")
    csv_path = DATA / "deals-1m.csv"
    if not csv_path.exists():
        write_deals(csv_path, 1_000_000, REPS)
    db = DATA / "first-start.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    subprocess.run(
        [*COACHTUI, "import", "deals", str(csv_path), "--db", str(db)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    first = asyncio.run(one_run(db))
    later = [asyncio.run(one_run(db)) for _ in range(args.runs)]
    print(f"{'':<15} {'first start':>11} {'later starts':>13}")
    for name in first:
        median = statistics.median(r[name] for r in later)
        print(f"{name:<15} {first[name]:10.3f}s {median:12.3f}s")


if __name__ == "__main__":
    main()
