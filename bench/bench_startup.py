"""Startup to the roster, in a real terminal (tmux, 100x30), against a bare
Textual app, interleaved. The sample team's roster is kept from the start
before, as in daily use. Also the floor: the roster's widgets with no data, no
database and no code of ours.

A start takes a third of a second, and the host's noise moves one by tens
of milliseconds: each figure is the median of three times the runs asked for.

Run: python -m bench.bench_startup [--runs 5] [--json]
"""

from __future__ import annotations

import compileall
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import coachtui
from bench.common import COACHTUI, DATA, Figure, median, print_figures
from bench.make_deals import AS_OF

STARTS_PER_RUN = 3

BARE_APP = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("bare app ready")
Bare().run()
"""

# Not a peer but a floor: the roster's widgets (header, tabs, a filter box, a
# table of 12 rows, footer) with no data, no database and no code of ours.
SAME_WIDGETS_APP = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header, Input, Static, TabbedContent, TabPane
class SameWidgets(App):
    def compose(self):
        yield Header()
        with TabbedContent():
            with TabPane("1 Roster"):
                yield Static("12 reps")
                yield Input()
                table = DataTable()
                table.add_columns(*"abcdefghijk")
                for n in range(12):
                    table.add_row(*[str(n)] * 11)
                yield table
            for title in ("2 Review", "3 Coach", "4 History"):
                yield TabPane(title)
        yield Footer()
SameWidgets().run()
"""


def in_tmux_until(command: list[str], text: str, timeout: float = 60) -> float:
    """Seconds from starting `command` in a 100x30 tmux window until `text` shows.

    Each run has a tmux server of its own, on a socket in a folder of its own:
    a new session on a server that is still shutting down after the last run
    fails now and then, and tmux leaves the socket behind when it is killed.
    """
    with tempfile.TemporaryDirectory() as folder:
        tmux = ["tmux", "-S", str(Path(folder) / "socket")]
        shell_command = " ".join(f"'{part}'" for part in command)
        start = time.perf_counter()
        new = [*tmux, "new-session", "-d", "-x", "100", "-y", "30", shell_command]
        subprocess.run(new, check=True)
        try:
            while time.perf_counter() - start < timeout:
                screen = subprocess.run(
                    [*tmux, "capture-pane", "-p"], capture_output=True, text=True
                ).stdout
                if text in screen:
                    return time.perf_counter() - start
                time.sleep(0.01)
            raise TimeoutError(f"{text!r} never showed")
        finally:
            subprocess.run([*tmux, "kill-server"], capture_output=True)


def sample_database() -> Path:
    sample_db = DATA / "sample.db"
    if not sample_db.exists():
        from coachtui.importing.sample import build_demo_database

        build_demo_database(sample_db, today=AS_OF).close()
    return sample_db


def figures(runs: int) -> list[Figure]:
    sample_db = sample_database()
    # pip compiles an installed package's bytecode; a development checkout (or
    # PYTHONDONTWRITEBYTECODE) would compile coachtui's modules at every start
    compileall.compile_dir(Path(coachtui.__file__).parent, quiet=1)
    in_tmux_until([*COACHTUI, "--db", str(sample_db)], "12 reps")  # keeps the roster
    ours, peer, floor = [], [], []
    for _ in range(runs * STARTS_PER_RUN):  # interleaved: a noisy moment hits all three
        ours.append(in_tmux_until([*COACHTUI, "--db", str(sample_db)], "12 reps"))
        peer.append(in_tmux_until([sys.executable, "-c", BARE_APP], "bare app ready"))
        floor.append(in_tmux_until([sys.executable, "-c", SAME_WIDGETS_APP], "12 reps"))
    bare = median(peer)
    return [
        Figure(
            "startup to the roster (tmux, sample team)",
            median(ours),
            "bare Textual app",
            bare,
            1.3,
            "ratio",
        ),
        Figure(
            "floor: the roster's widgets alone (no coachtui)",
            median(floor),
            "bare Textual app",
            bare,
        ),
    ]


if __name__ == "__main__":
    print_figures(figures, __doc__)
