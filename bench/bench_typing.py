"""Typing 400 characters into the session notes against a bare Textual TextArea,
both driven by Pilot in the same run; the autosave runs as in real use.

Run: python -m bench.bench_typing [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import TextArea

from bench.make_deals import AS_OF
from coachtui.app import CoachApp
from coachtui.importing.sample import build_demo_database

TEXT = ("Emma will map the buying group at Pinnacle and book the CFO before Friday. " * 6)[:400]


class BareTextArea(App[None]):
    def compose(self) -> ComposeResult:
        yield TextArea()


async def type_into(app: App, ready) -> float:
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ours, bare = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            store = build_demo_database(Path(folder) / f"demo{run}.db", today=AS_OF)
            with store:
                ours.append(asyncio.run(type_into(CoachApp(store, today=AS_OF), coach_ready)))
            bare.append(asyncio.run(type_into(BareTextArea(), bare_ready)))
    mine, theirs = statistics.median(ours), statistics.median(bare)
    print(
        f"typing     coachtui {mine:8.3f}s   bare TextArea {theirs:8.3f}s   ratio "
        f"{mine / theirs:5.2f}x  (budget 1.1x; medians of {args.runs}, 400 characters)"
    )


if __name__ == "__main__":
    main()
