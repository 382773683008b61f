"""The command line for tests: as a real process, or in this one.

`coachtui()` starts `python -m coachtui` as a user would: for what only a
process shows (its exit on a signal, a terminal, the interpreter's start,
SQLite's locks between processes). `coachtui_here()` calls the same `main()`
in this process and returns the same CompletedProcess: for what a command
reads, writes and says, without paying a Python start and polars' import
each time. Not for `metrics`, `brief` or `impact`: they read through a second
copy of SQLite, which must not open a file this process holds open.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

from coachtui.cli import main


def coachtui(*args: str, cwd=None, env=None, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coachtui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        preexec_fn=preexec_fn,
        timeout=120,
    )


def coachtui_here(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(cwd or os.getcwd()),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse refusing the command line
            code = exit_.code
    return subprocess.CompletedProcess(
        ["coachtui", *args], code, _as_read_from_a_pipe(out), _as_read_from_a_pipe(err)
    )


def _as_read_from_a_pipe(text: io.StringIO) -> str:
    """What `subprocess.run(text=True)` reads: universal newlines."""
    return text.getvalue().replace("\r\n", "\n").replace("\r", "\n")
