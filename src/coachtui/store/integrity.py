"""Is the database file as coachtui left it? If not, SQLite's quick_check says
whether it is healthy, before anything is read from it, written to it or
copied from it.

`PRAGMA quick_check` reads every page: seconds for a million deals, too slow
for every start. So it runs only when the file changed since it was last
known good. coachtui's own writes record the file's state when they end
(`Store.write`, `Store.close`), so only a change made by something else
costs a check: another program, a copy or restore, a failing disk.

The state is the database's and its -wal file's device, inode, size and
modification time, the database's change time, and SQLite's change counter. It is kept in
the cache folder, a small file per database: deleting it costs one check,
and a cache that is not the user's alone is not used (every open checks).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

from coachtui.errors import StoreError
from coachtui.paths import cache_folder, create_private_file, file_problem

FOLDER = "checked"
# SQLite's result codes
BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
READONLY, IO_ERROR, FULL, NOT_A_DATABASE = 8, 10, 13, 26


def file_state(path: Path) -> str:
    """What changes when anything writes to the database (raises OSError)."""
    parts = []
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            info = os.stat(file)
        except FileNotFoundError:
            info = None
        if info is None or info.st_size == 0:  # an empty WAL holds nothing
            parts.append("-")
            continue
        parts.append(f"{info.st_dev}.{info.st_ino}.{info.st_size}.{info.st_mtime_ns}")
        if file == path:  # (SQLite run by root chowns the WAL when it opens it)
            parts.append(str(info.st_ctime_ns))
    parts.append(os.pread(_reader(path), 4, 24).hex())  # the header's change counter
    return " ".join(parts)


_READERS: dict[str, int] = {}
_READERS_LOCK = threading.Lock()


def _reader(path: Path) -> int:
    """A file descriptor on the database, kept open for the life of the process.

    Closing any descriptor of a file drops every POSIX lock this process holds
    on it, SQLite's included: a connection that lost its shared lock lets
    another process take the file for its own when it closes, checkpoint and
    delete the WAL under a writer's feet. So the header is read through a
    descriptor that is never closed while the file is the same one.
    """
    key = os.path.realpath(path)
    with _READERS_LOCK:
        fd = _READERS.get(key)
        if fd is not None and os.path.samestat(os.fstat(fd), os.stat(key)):
            return fd
        if fd is not None:  # another file by that name now: no lock of ours on it
            os.close(fd)
        fd = _READERS[key] = os.open(key, os.O_RDONLY | os.O_CLOEXEC)
        return fd


def _record(path: Path) -> Path | None:
    folder = cache_folder(FOLDER)
    if folder is None:
        return None
    return folder / hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]


def _recorded(record: Path) -> str | None:
    try:
        return record.read_text() if file_problem(record) is None else None
    except (OSError, UnicodeDecodeError):
        return None


def known_good(path: Path) -> bool:
    """The file is as coachtui last left it, or last found it healthy."""
    try:
        record = _record(path)
        return record is not None and _recorded(record) == file_state(path)
    except OSError:
        return False


def remember(path: Path, state: str | None = None) -> None:
    """Record the file's state (`state`, else its state now) as known good."""
    try:
        record = _record(path)
        state = state or file_state(path)
        if record is None or _recorded(record) == state:
            return
        partial = record.with_name(f"{record.name}.{os.getpid()}-{threading.get_ident()}")
        partial.unlink(missing_ok=True)
        with create_private_file(partial) as out:
            out.write(state.encode())
        partial.replace(record)
    except (OSError, StoreError):
        return  # the next open checks the file again: it only costs time


def verify(conn: sqlite3.Connection, path: Path) -> None:
    """Raise StoreError when the file changed since it was known good and
    SQLite's quick_check finds it damaged."""
    state = file_state(path)
    record = _record(path)
    if record is not None and _recorded(record) == state:
        return
    found = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if found != ["ok"]:
        raise StoreError(damage(path, "; ".join(found)))
    remember(path, state)


def damage(path: Path, detail: object) -> str:
    return (
        f"{path} could not be read: the database is damaged ({detail}); "
        "run coachtui doctor; restore a backup"
    )


def busy(path: Path) -> str:
    return f"another coachtui or sqlite3 holds a write lock on {path}; try again"


def damaged(path: Path, exc: Exception) -> str:
    """What to say when the database at `path` cannot be used: a StoreError
    says it already; SQLite's errors by their code (busy, read-only, disk
    full or failing), and anything else as damage."""
    if isinstance(exc, StoreError):
        return str(exc)
    code = error_code(exc)
    if code in BUSY:
        return busy(path)
    if code == READONLY:
        return f"{path} cannot be written ({exc}); nothing was changed"
    if code in (FULL, IO_ERROR):
        return (
            f"could not write {path} ({exc}): nothing was changed. The disk may be full: "
            "free some space, then try again"
        )
    return damage(path, exc)


def error_code(exc: Exception) -> int:
    """SQLite's primary result code for `exc`; 0 when it has none."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
