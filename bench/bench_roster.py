"""How the app feels with 5,000 reps and a million deals, driven by keys in a
headless app: the roster on the screen, the team computed, a sort, a filter
and a page of scrolling, and a rep's Review tab filled.

Each run is a first start right after the import (the database and the cache
folder put back as `coachtui import` left them), then a later start (what the
first one kept), each in a process of its own so neither inherits the other's
loaded modules; the peak memory of each process is its figure for memory.
Times count from the app's construction (Python and the imports before it
are not in them). With --json (run_all) it presses no keys: each start ends
once the team is computed and the workers started with it are through, which
is when its peak memory was always taken.

Run: python -m bench.bench_roster [--runs 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import time

from bench.common import Figure, arguments, emit, median, report_database, restore_after_import

REPS = 5000
STEPS = (
    "roster showing",
    "team computed",
    "sort",
    "reverse",
    "filter '12'",
    "clear filter",
    "page down x3",
    "review filled",
)


async def until(pilot, condition, timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        assert time.perf_counter() < deadline, "timed out"
        await pilot.pause(0.005)


async def one_run(keys: bool) -> dict[str, float]:
    """One start; with `keys`, then the sort, filter, scrolling and Review; without,
    until the workers started with the team are through (the memory's figure)."""
    from bench.make_deals import AS_OF
    from coachtui.app import CoachApp
    from coachtui.screens.review import ReviewPane
    from coachtui.screens.roster import RosterPane
    from coachtui.store import Store

    figures = {}
    with Store.open(report_database()) as store:
        gc.disable()  # as `coachtui` starts the app (cli/commands.py); it turns it on
        start = time.perf_counter()
        app = CoachApp(store, today=AS_OF)
        async with app.run_test(size=(100, 30)) as pilot:
            roster = app.query_one(RosterPane)
            await until(pilot, lambda: len(roster.shown) == REPS)
            figures["roster showing"] = time.perf_counter() - start
            await until(pilot, lambda: app.review is not None)
            figures["team computed"] = time.perf_counter() - start
            if not keys:
                await app.workers.wait_for_complete()
                return figures
            for name, pressed, done in (
                ("sort", ["s"], lambda: roster.sort_key != "rep"),
                ("reverse", ["r"], lambda: roster.sort_reverse),
                # the filter refills once typing pauses: its pause is counted
                ("filter '12'", ["slash", "1", "2"], lambda: roster.filtered_by == "12"),
                ("clear filter", ["escape"], lambda: len(roster.shown) == REPS),
                ("page down x3", ["pagedown", "pagedown", "pagedown"], lambda: True),
            ):
                begin = time.perf_counter()
                await pilot.press(*pressed)
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


def start_in_child(keys: bool) -> tuple[dict[str, float], float]:
    """One start in a process of its own: its figures and its peak memory in MB."""
    command = [sys.executable, "-m", "bench.bench_roster", "--one", *(["--keys"] if keys else [])]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("a start of the app on the million deals failed")
    return json.loads(output.splitlines()[-1]), usage.ru_maxrss / 1024


def measure(runs: int, keys: bool) -> dict[str, list]:
    """Interleaved: a first start, then a later one, `runs` times."""
    report_database()
    kept: dict[str, list] = {"first": [], "later": [], "first MB": [], "later MB": []}
    for _ in range(runs):
        restore_after_import()
        for which in ("first", "later"):
            figures, peak = start_in_child(keys)
            kept[which].append(figures)
            kept[f"{which} MB"].append(peak)
    return kept


def figures_from(kept: dict[str, list]) -> list[Figure]:
    def first(step: str) -> float:
        return median([run[step] for run in kept["first"]])

    def later(step: str) -> float:
        return median([run[step] for run in kept["later"]])

    return [
        Figure(
            "first start on 1M deals, roster shown",
            first("roster showing"),
            budget=2,
            budget_kind="seconds",
        ),
        Figure("later start on 1M deals, roster shown", later("roster showing")),
        Figure("first start on 1M deals, team computed", first("team computed")),
        Figure("later start on 1M deals, team computed", later("team computed")),
        Figure(
            "peak memory: app on 1M deals, first start",
            max(kept["first MB"]),
            budget=500,
            budget_kind="MB",
        ),
        Figure(
            "peak memory: app on 1M deals, later start",
            max(kept["later MB"]),
            budget=500,
            budget_kind="MB",
        ),
    ]


def main() -> None:
    parser = arguments(__doc__, runs=3)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keys", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(one_run(args.keys))))
        return
    # the figures for run_all need no keys pressed: the starts and the memory
    kept = measure(args.runs, keys=not args.json)
    if args.json:
        for figure in figures_from(kept):
            emit(figure, as_json=True)
        return
    print(f"{'':<15} {'first start':>11} {'later starts':>13}   (medians of {args.runs})")
    for step in STEPS:
        firsts = median([run[step] for run in kept["first"]])
        laters = median([run[step] for run in kept["later"]])
        print(f"{step:<15} {firsts:10.3f}s {laters:12.3f}s")
    print(f"{'peak memory':<15} {max(kept['first MB']):9.0f}MB {max(kept['later MB']):11.0f}MB")


if __name__ == "__main__":
    main()
