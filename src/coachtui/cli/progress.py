"""A progress bar on stderr for imports that run longer than a couple of seconds."""

from __future__ import annotations

import json
import signal
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress

SHOW_AFTER_SECONDS = 2.0
PHASES = ("reading", "checking", "writing")


class ImportProgress:
    """Called with each phase of an import; draws a bar once two seconds have passed.

    Nothing is drawn when stderr is not a terminal (scripts, cron, tests).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._phase = "reading"
        self._bar: Progress | None = None
        self._task = None
        self._timer = threading.Timer(SHOW_AFTER_SECONDS, self._show)
        self._timer.daemon = True
        if sys.stderr.isatty():
            self._timer.start()

    def _step(self) -> int:
        word = self._phase.split()[0]
        return PHASES.index(word) if word in PHASES else 0

    def _show(self) -> None:
        # Rich loads only for a bar drawn (~35 ms at the start of every import)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        with self._lock:
            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=Console(file=sys.stderr),
                transient=True,
            )
            self._task = self._bar.add_task(self._phase, total=len(PHASES), completed=self._step())
            self._bar.start()

    def __call__(self, phase: str) -> None:
        with self._lock:
            self._phase = phase
            if self._bar is not None:
                self._bar.update(self._task, description=phase, completed=self._step())

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            if self._bar is not None:
                self._bar.stop()


class ProgressLines:
    """The phases of an import, then what it did, as JSON lines on stdout: for
    the app, which runs the import in a process of its own. A SIGTERM (the
    user cancelled) ends the import as an error would: nothing is written."""

    def __init__(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)

    @staticmethod
    def _stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    @staticmethod
    def _say(**what: object) -> None:
        print(json.dumps(what), flush=True)

    def __call__(self, phase: str) -> None:
        self._say(phase=phase)

    def done(self, line: str, warnings: list[str]) -> None:
        self._say(imported=line, warnings=warnings)

    def close(self) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
