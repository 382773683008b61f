"""Typing 400 characters into the session notes against a bare Textual
TextArea: for each key, the time from the key reaching the app to the frame
composed with it (under Pilot an app is headless: the frame is composed, not
written to a terminal). Both apps are driven by Pilot in the same run,
interleaved, each in a process of its own; the autosave runs as in real use.

Pilot sends the next key as soon as the app is idle, every 7-9 ms here, which
is faster than Textual's 60 frames a second: keys then wait for the frame
clock (a first version saw every key of both apps shown 14.4 ms after it
came). A typist's keys come 50 ms or more apart, and a frame follows each at
once. So the clock is lifted here (TEXTUAL_FPS=1000): each key has a frame of
its own, as at a typist's pace, and the time is each app's own work on it.
A run's figures are the median of its 400 keys, which a noisy moment on the
machine moves little, and its slowest key (a save, a layout, a collection).

Pilot waits for an idle app with 2 ms sleeps here (its own rule, idle below
1/20 of a sleep) instead of 20 ms, which only shortens the run.

Run: python -m bench.bench_typing [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from textual import _wait, events
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


async def type_into(app: App, ready) -> list[float]:
    """Seconds from each key reaching `app` to the frame composed with it."""
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        editor, driver = app.focused, app._driver
        assert editor.text == "", editor.text
        sent: list[float] = []  # when each key reached the app
        shown: list[float] = []  # when the frame with that key was drawn
        send, display = driver.send_message, app._display

        def send_and_note(message) -> None:
            if isinstance(message, events.Key):
                sent.append(time.perf_counter())
            send(message)

        def display_and_note(screen, update) -> None:
            if len(shown) < len(sent) and len(editor.text) >= len(sent):
                shown.append(time.perf_counter())
            display(screen, update)

        driver.send_message, app._display = send_and_note, display_and_note
        with shorter_idle_waits():
            await pilot.press(*TEXT)
            await pilot.pause()
        text = editor.text
    assert text.endswith(TEXT[-20:]), text[-40:]
    assert len(shown) == len(sent) == len(TEXT), (len(shown), len(sent))
    # each frame came before the next key: it is that key's
    assert all(frame < key for frame, key in zip(shown[:-1], sent[1:], strict=True)), "late"
    return [after - before for before, after in zip(sent, shown, strict=True)]


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


def one_run(app_name: str, db: Path | None) -> list[float]:
    """Seconds from each key to its frame, typing TEXT into one app here."""
    if app_name == "bare":
        return asyncio.run(type_into(BareTextArea(), bare_ready))
    gc.disable()  # as `coachtui` starts the app: it runs the collector its own way
    with Store.open(db) as store:
        return asyncio.run(type_into(CoachApp(store, today=AS_OF), coach_ready))


def figures(runs: int) -> list[Figure]:
    """Each run types into each app in a process of its own, so nothing one app
    leaves running (threads, timers) counts against the other."""
    typical: dict[str, list[float]] = {"coachtui": [], "bare": []}
    slowest: dict[str, list[float]] = {"coachtui": [], "bare": []}
    unclocked = {**os.environ, "TEXTUAL_FPS": "1000"}
    with tempfile.TemporaryDirectory() as folder:
        sample = build_demo_database(Path(folder) / "sample.db", today=AS_OF)
        sample.close()
        for run in range(runs):
            # a fresh copy each run: the notes typed are saved into it
            copy = shutil.copy(Path(folder) / "sample.db", Path(folder) / f"demo{run}.db")
            for app_name in typical:
                one = [sys.executable, "-m", "bench.bench_typing", "--one", app_name, "--db", copy]
                output = subprocess.run(
                    one, check=True, capture_output=True, text=True, env=unclocked
                ).stdout
                keys = [float(seconds) for seconds in output.split()]
                typical[app_name].append(median(keys))
                slowest[app_name].append(max(keys))
    return [
        Figure(
            "typing into session notes: a key to its frame",
            median(typical["coachtui"]),
            "bare TextArea",
            median(typical["bare"]),
            1.1,
            "ratio",
        ),
        Figure(
            "typing: the slowest of the 400 keys",
            median(slowest["coachtui"]),
            "bare TextArea",
            median(slowest["bare"]),
        ),
    ]


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--one", choices=("coachtui", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(*one_run(args.one, args.db))
        return
    for figure in figures(args.runs):
        emit(figure, args.json)


if __name__ == "__main__":
    main()
