"""Work off the UI thread: every worker of the app starts here.

A worker runs on a thread of its own, over a connection of its own
(`Store.for_worker`: the app's first `Store.open` checked and migrated the
file), and posts the message its work returns to the widget that asked.

Workers run on the app's node with `exit_on_error=False`: a failure reaches
`CoachApp.on_worker_state_changed`, which shows `failure()` and keeps the app
running. `asked_by` says which node a worker works for: keys typed in a burst
wait for the workers of the screen shown (key_order.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from weakref import WeakKeyDictionary

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker

from coachtui.store import Store, StoreError, damaged

BUSY = (
    "The database is busy: another coachtui or an import is writing to it. "
    "Nothing was lost; try again in a moment."
)


_ASKED_BY: WeakKeyDictionary[Worker, MessagePump] = WeakKeyDictionary()


def asked_by(worker: Worker) -> MessagePump:
    """The node a worker posts its message to: the one that started it here,
    else the one it runs on."""
    return _ASKED_BY.get(worker, worker.node)


def run_in_thread(
    node: MessagePump,
    work: Callable[[], Message | None],
    *,
    group: str,
    exclusive: bool = True,
) -> Worker:
    """Run `work` on a thread and post the message it returns to `node`.

    With `exclusive`, a newer worker of the group replaces an older one, and
    the older one's message is dropped.
    """

    def run() -> None:
        message = work()
        if message is not None and not get_current_worker().is_cancelled:
            node.post_message(message)

    worker = node.app.run_worker(
        run, name=group, group=group, thread=True, exclusive=exclusive, exit_on_error=False
    )
    _ASKED_BY[worker] = node
    return worker


def run_on_store(
    node: MessagePump,
    db_path: Path,
    work: Callable[[Store], Message | None],
    *,
    group: str,
    exclusive: bool = True,
) -> Worker:
    """`run_in_thread`, with a connection of the worker's own to the database."""

    def with_store() -> Message | None:
        with Store.for_worker(db_path) as store:
            return work(store)

    return run_in_thread(node, with_store, group=group, exclusive=exclusive)


def failure(db_path: Path, error: BaseException) -> str | None:
    """What to tell the manager when a worker failed on the database; None
    for anything else (a bug, not to be hidden)."""
    if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
        return BUSY
    if isinstance(error, (sqlite3.Error, StoreError)):
        return damaged(db_path, error)
    return None
