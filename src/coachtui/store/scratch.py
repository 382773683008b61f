"""The import's scratch file beside the database, and the ones killed imports left.

An import stages its rows in `.NAME.import-PID.tmp` next to the database and
removes it when done. A killed import leaves it behind, full of CRM rows: the
next open removes it once its process is gone, and doctor reports it.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path


def scratch_path(database: Path) -> Path:
    """This process's scratch file for an import into `database`."""
    return database.with_name(f".{database.name}.import-{os.getpid()}.tmp")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def leftover_scratch(database: Path) -> list[Path]:
    """Scratch files of imports into `database` whose process is gone."""
    prefix = f".{database.name}.import-"
    found = []
    for file in database.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = file.name.removeprefix(prefix).removesuffix(".tmp")
        if pid.isdigit() and not _running(int(pid)):
            found.append(file)
    return sorted(found)


def remove_scratch(scratch: Path) -> None:
    for file in (scratch, scratch.with_name(scratch.name + "-journal")):
        file.unlink(missing_ok=True)


def remove_leftover_scratch(database: Path) -> None:
    for scratch in leftover_scratch(database):
        remove_scratch(scratch)
