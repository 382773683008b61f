"""ctrl+c while the store is written through ADBC (the import's writes, the
commands' first read of the deals).

ADBC answers SIGINT during a statement by asking the driver to cancel it.
SQLite's driver cannot: the statement runs to its end, and ADBC then raises
the driver's refusal ("NOT_IMPLEMENTED") from the KeyboardInterrupt. Read as
a failure of the database, it would say the disk is full or the file
damaged; it is the user stopping the command.

Between statements, Python raises KeyboardInterrupt at whatever line it is
on. Raised just as a `with` block is entered or left, it can leave the
writer's generator unfinished: ADBC's connection still open on the file,
which the store's own connection (another copy of SQLite) then opens and
closes under it. That ended the process by SIGBUS, 4 times in 30 stops.
While the import writes, ctrl+c is noted instead, and raised where the
writing can stop cleanly.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator


def stop_if_interrupted(error: Exception) -> None:
    """Raise KeyboardInterrupt when ADBC's `error` stands for ctrl+c."""
    if isinstance(error.__cause__, KeyboardInterrupt):
        raise KeyboardInterrupt from None


@contextlib.contextmanager
def ctrl_c_noted() -> Iterator[Callable[[], bool]]:
    """ctrl+c noted, not raised, in the block (which asks whether it was
    pressed, to stop where it can); raised once the block is over. Only the
    main thread gets signals, and an ignored SIGINT (a job started in the
    background) stays ignored: then this changes nothing."""
    elsewhere = threading.current_thread() is not threading.main_thread()
    if elsewhere or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield lambda: False
        return
    pressed: list[bool] = []
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: pressed.append(True))
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt
