"""Typing 400 characters into the session notes against a bare Textual TextArea,
both driven by Pilot in the same run, interleaved; the autosave runs as in real use.

Pilot presses a key, then waits until the app is idle before the next one. It
decides that by sleeping 1/50 s at a time until a sleep passes with the
process hardly working, at least twice a key: 400 keys then took ~26 s in both
apps, nearly all of it asleep. The bench waits the same way with 2 ms sleeps
(Pilot's own rule, idle below 1/20 of a sleep), so the time is the apps'
work on each key, not the sleeping.

Run: python -m bench.bench_typing [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from textual import _wait
from textual.app import App, ComposeResult
from textual.widgets import TextArea

from bench.common import Figure, arguments, emit, median
from bench.make_deals import AS_OF
from coachtui.app import CoachApp
from coachtui.importing.sample import build_demo_database
from coachtui.store import Store

TEXT = ("Emma will map the buying group at Pinnacle and book the CFO before Friday. " * 6)[:400]
IDLE_SLEEP = 0.002


class BareTextArea(App[None]):
    def compose(self) -> ComposeResult:
        yield TextArea()


@contextmanager
def shorter_idle_waits():
    """Pilot's wait for an idle app, with shorter sleeps (the same rule)."""
    kept = _wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE
    _wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE = IDLE_SLEEP, IDLE_SLEEP / 20
    try:
        yield
    finally:
        _wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE = kept


async def type_into(app: App, ready) -> float:
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        with shorter_idle_waits():
            start = time.perf_counter()
            await pilot.press(*TEXT)
            await pilot.pause()
            elapsed = time.perf_counter() - start
        text = app.focused.text
    assert text.endswith(TEXT[-20:]), text[-40:]
    return elapsed


async def bare_ready(pilot) -> None:
    pilot.app.query_one(TextArea).focus()
    await pilot.pause()


async def coach_ready(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("j", "j", "j", "j", "c")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("n")


def one_run(app_name: str, db: Path | None) -> float:
    """Seconds to type TEXT into one app, in this process."""
    if app_name == "bare":
        return asyncio.run(type_into(BareTextArea(), bare_ready))
    with Store.open(db) as store:
        return asyncio.run(type_into(CoachApp(store, today=AS_OF), coach_ready))


def figures(runs: int) -> list[Figure]:
    """Each run types into each app in a process of its own, so nothing one app
    leaves running (threads, timers) counts against the other."""
    times: dict[str, list[float]] = {"coachtui": [], "bare": []}
    with tempfile.TemporaryDirectory() as folder:
        sample = build_demo_database(Path(folder) / "sample.db", today=AS_OF)
        sample.close()
        for run in range(runs):
            # a fresh copy each run: the notes typed are saved into it
            copy = shutil.copy(Path(folder) / "sample.db", Path(folder) / f"demo{run}.db")
            for app_name in times:
                one = [sys.executable, "-m", "bench.bench_typing", "--one", app_name, "--db", copy]
                output = subprocess.run(one, check=True, capture_output=True, text=True).stdout
                times[app_name].append(float(output.split()[-1]))
    name = "typing 400 characters into session notes"
    ours, bare = median(times["coachtui"]), median(times["bare"])
    return [Figure(name, ours, "bare TextArea", bare, 1.1, "ratio")]


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--one", choices=("coachtui", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(one_run(args.one, args.db))
        return
    for figure in figures(args.runs):
        emit(figure, args.json)


if __name__ == "__main__":
    main()
