"""How much of a file an import reads: a whole file, a line, a cell.

A CRM export is a regular file of a few megabytes, at most a few gigabytes.
Anything else (a device such as /dev/zero, a FIFO with no writer, a socket)
is refused before a byte is read. A file is read in blocks, and refused as
soon as it passes the total (2 GB by default, the `import_max_mb` setting) or
a line passes 16 MB; a cell may hold 1 MB, whichever reader reads it. So no
input makes an import run for ever or fill the memory.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from coachtui.settings import Settings

MB = 1024 * 1024
MAX_FILE_MB = Settings.import_max_mb  # the setting's default
MAX_LINE_BYTES = 16 * MB
MAX_CELL_BYTES = 1 * MB
BLOCK_BYTES = 1 * MB
_NOT_REGULAR = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotImportable(Exception):
    """The input is not a file an import reads; the message says why."""


def size(n: int) -> str:
    return f"{n:,} bytes" if n < MB else f"{n / MB:,.0f} MB"


_ENDS = re.compile(rb"[\r\n]")


def _first_end(block: bytes) -> int:
    """Where the first line of `block` ends; -1 when it has no end of line."""
    found = _ENDS.search(block)
    return found.start() if found else -1


def _last_end(block: bytes) -> int:
    """Where the last end of line of `block` is (one is)."""
    newline = block.rfind(b"\n")
    return max(newline, block.rfind(b"\r", newline + 1))


def _long_line(data: list[bytes]) -> NotImportable:
    """The line being read in the last of `data`'s blocks is too long."""
    number = sum(block.count(b"\n") for block in data[:-1]) + 1
    return NotImportable(
        f"line {number} is over {size(MAX_LINE_BYTES)} long, the most an import reads "
        "a line; is this a CSV export?"
    )


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`, read in blocks. Raises
    NotImportable for anything but a regular file, a file past `max_bytes`
    or a line past MAX_LINE_BYTES (as soon as it is seen), and OSError when
    the file cannot be read. A FIFO is opened without waiting for a writer."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    mode = os.fstat(fd).st_mode
    for test, kind in _NOT_REGULAR:
        if test(mode):
            os.close(fd)
            raise NotImportable(f"this is {kind}, not a CSV file; coachtui imports files only")
    with os.fdopen(fd, "rb", buffering=0) as handle:
        blocks: list[bytes] = []
        total = line = 0  # the bytes read; the bytes of the line being read
        while block := handle.read(BLOCK_BYTES):
            blocks.append(block)
            total += len(block)
            if total > max_bytes:
                raise NotImportable(
                    f"the file is over {size(max_bytes)}, the most an import reads "
                    "(the import_max_mb setting)"
                )
            first = _first_end(block)
            if first < 0:
                line += len(block)
            elif line + first > MAX_LINE_BYTES:
                raise _long_line(blocks)
            else:
                line = len(block) - _last_end(block) - 1
            if line > MAX_LINE_BYTES:
                raise _long_line(blocks)
        return b"".join(blocks)
