"""Saving what the manager types without ever making the typing wait.

Changes are kept by key (the latest text wins) and written on a worker thread
a moment after the last keystroke, and at least every `AT_LEAST_EVERY`
seconds while the typing goes on without a pause: a process killed outright
(`kill -9`, the machine's power) loses the last second at most, not the
paragraph. At once for discrete actions, and synchronously when the app
quits or the line drops. A failed write keeps the change pending, says so,
and tries again. What needs everything saved first (the end of a
session, its copy) runs after the writes, on the same worker.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from coachtui.screens.workers import run_in_thread
from coachtui.store import Store, StoreError

Write = Callable[[Store], object]
Then = Callable[[Store], Message]
TYPING_PAUSE = 0.3  # between words: each is saved once the typist pauses
AT_LEAST_EVERY = 1.0
RETRY_AFTER = 2.0
WRITE_ERRORS = (sqlite3.Error, OSError, StoreError)


class Autosave:
    def __init__(self, owner: Widget, db_path: Path, report: Callable[[str, bool], None]) -> None:
        self.owner = owner
        self.db_path = db_path
        self.report = report  # (status text, is_error)
        self.pending: dict[str, Write] = {}
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._timer: Timer | None = None
        self._unsaved_since: float | None = None  # the oldest change not yet sent to write

    def put(self, key: str, write: Write, at_once: bool = False) -> None:
        self.pending[key] = write
        if self._timer is not None:
            self._timer.stop()
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        waited = now - self._unsaved_since
        if at_once or waited >= AT_LEAST_EVERY:
            self.flush()
        else:
            pause = min(TYPING_PAUSE, AT_LEAST_EVERY - waited)
            self._timer = self.owner.set_timer(pause, self.flush)

    def flush(self, then: Then | None = None) -> None:
        """Write what is pending on a worker; then `then`, once everything is
        saved (not when a write failed), and post its message to the owner."""
        self._unsaved_since = None
        if self.pending or then is not None:
            items = dict(self.pending)
            run_in_thread(
                self.owner,
                lambda: self._write_in_thread(items, then),
                # keys never wait for the typing's saves; they wait (a second
                # at most) for what follows them, as the summary after F10
                group="autosave" if then is None else "saved-then",
                exclusive=False,
            )

    def _write_all(self, items: dict[str, Write]) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store.for_worker(self.db_path)
            for write in items.values():
                write(self._store)
            return self._store

    def _write_in_thread(self, items: dict[str, Write], then: Then | None) -> Message | None:
        try:
            store = self._write_all(items)
        except WRITE_ERRORS as exc:
            self.owner.app.call_from_thread(self._failed, exc)
            return None
        if items:
            self.owner.app.call_from_thread(self._saved, items)
        if then is None:
            return None
        with self._lock:
            return then(store)

    def _saved(self, items: dict[str, Write]) -> None:
        for key, write in items.items():
            if self.pending.get(key) is write:
                del self.pending[key]
        self.report(f"saved {dt.datetime.now():%H:%M:%S}", False)

    def _failed(self, exc: Exception) -> None:
        self.report(f"NOT SAVED ({exc}); your text is kept, retrying", True)
        self._timer = self.owner.set_timer(RETRY_AFTER, self.flush)

    def flush_now(self) -> bool:
        """Write everything pending on this thread (quit, end of session)."""
        if not self.pending:
            return True
        items = dict(self.pending)
        try:
            self._write_all(items)
        except WRITE_ERRORS as exc:
            self._failed(exc)
            return False
        self._saved(items)
        return True

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
