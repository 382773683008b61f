"""One coachtui at a time in a session.

Two terminals that resumed the same session each saved their own notes over
the other's, and the second F10 its own end: what was typed in the first was
gone, with no word in either. A session on the Coach tab is now held by a
lock of one byte (at the session's id) on a file beside the database, and
another coachtui on that database cannot resume it while it is held. The
system lets go of a process's locks when it ends, however it ends (kill -9,
a dropped connection), so a session left open is never locked out.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import threading
from pathlib import Path

LOCKS_SUFFIX = ".sessions-held"


class HeldSessions:
    """The sessions this process has open, for the database at `database`.
    Its workers hold and let go (one at a time: `_turn`)."""

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + LOCKS_SUFFIX)
        self._fd: int | None = None
        self._turn = threading.Lock()

    def hold(self, session_id: int) -> bool:
        """Hold the session; False when another coachtui holds it. When locks
        cannot be had here (the file is a link, a folder or not the user's;
        a file system without them), every session may be held."""
        with self._turn:
            fd = self._locks()
            if fd is None:
                return True
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, session_id)
            except OSError as exc:
                return exc.errno not in (errno.EACCES, errno.EAGAIN)  # held elsewhere
            return True

    def let_go(self, session_id: int) -> None:
        with self._turn:
            if self._fd is not None:
                with contextlib.suppress(OSError):
                    fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, session_id)

    def _locks(self) -> int | None:
        """The file of locks, open for as long as this process runs (closing any
        descriptor of it would let go of every lock); None when it cannot be
        used: a link, a folder, not the user's."""
        if self._fd is None:
            flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
            try:
                fd = os.open(self.path, flags, 0o600)
            except OSError:
                return None
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                os.close(fd)
                return None
            self._fd = fd
        return self._fd
