"""Startup to the roster against a bare Textual app, and what each widget of the
roster's first screen costs.

Run: python -m bench.bench_startup [--runs 7] [--json] [--widgets]
(after bench.run_all made bench/data/sample.db; the roster is painted from rows
kept by the previous start, so the first, untimed, start keeps them)

Two measures, every program interleaved with the others (a noisy moment hits
them all), medians:
- wall: seconds from launching the program in a 100x30 tmux until its text
  shows (bench.run_all.in_tmux_until), the figure of the issue;
- cpu: CPU seconds of the process when it first writes its text to the
  terminal, read from inside it. On a machine shared with other work the wall
  time mostly measures the others; the CPU time barely moves.
`--widgets` adds a bare app with one widget more each, to show what each costs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import DATA
from bench.run_all import BARE_APP, SAME_WIDGETS_APP, in_tmux_until

# runs a program (-c CODE or -m MODULE ARGS) and writes the CPU seconds spent
# when TEXT is first written to the terminal to OUT; then ends the process
TIMED = """
import os, runpy, sys, time
out, text, kind, what, *rest = sys.argv[1:]
import textual.drivers.linux_driver as linux
write = linux.LinuxDriver.write
def timed_write(self, data):
    write(self, data)
    if text in data:
        with open(out, "w") as f:
            f.write(str(time.process_time()))
linux.LinuxDriver.write = timed_write
sys.argv = [what, *rest]
if kind == "-c":
    exec(compile(what, "<string>", "exec"), {"__name__": "__main__"})
else:
    runpy.run_module(what, run_name="__main__", alter_sys=True)
"""


def _app(widgets: str, body: str) -> str:
    return (
        "from textual.app import App\n"
        f"from textual.widgets import {widgets}\n"
        "class A(App):\n    def compose(self):\n" + body + "A().run()\n"
    )


SHOWN = '        yield Static("12 reps")\n'
WIDGETS = {
    "+ Header": _app("Header, Static", "        yield Header()\n" + SHOWN),
    "+ Static header": _app("Static", '        yield Static("coachtui")\n' + SHOWN),
    "+ Footer": _app("Footer, Static", SHOWN + "        yield Footer()\n"),
    "+ TabbedContent, 5 tabs": _app(
        "Static, TabbedContent, TabPane",
        "        with TabbedContent():\n"
        '            with TabPane("1 Roster"):\n    ' + SHOWN + "            for title in "
        '("2 Review", "3 Coach", "4 History", "5 Commitments"):\n'
        "                yield TabPane(title)\n",
    ),
    "+ Input": _app("Input, Static", SHOWN + "        yield Input()\n"),
    "+ DataTable 12x12": _app(
        "DataTable, Static",
        SHOWN + "        table = DataTable()\n"
        '        table.add_columns(*"abcdefghijkl")\n'
        "        for n in range(12):\n"
        "            table.add_row(*[str(n)] * 12)\n"
        "        yield table\n",
    ),
}


def measure(args: list[str], text: str) -> tuple[float, float]:
    """Wall seconds until `text` shows, CPU seconds when it was written."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "cpu"
        wall = in_tmux_until([sys.executable, "-c", TIMED, str(out), text, *args], text)
        for _ in range(500):  # written just before it showed
            if out.exists() and out.read_text():
                return wall, float(out.read_text())
            time.sleep(0.01)
        raise TimeoutError(f"{text!r}: no CPU time written")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--widgets", action="store_true")
    options = parser.parse_args()
    os.environ["XDG_CACHE_HOME"] = str(DATA / "cache")
    programs = {
        "bare Textual app": (["-c", BARE_APP], "bare app ready"),
        "the roster's widgets, no data": (["-c", SAME_WIDGETS_APP], "12 reps"),
        "coachtui": (["-m", "coachtui", "--db", str(DATA / "sample.db")], "12 reps"),
    }
    if options.widgets:
        programs |= {name: (["-c", code], "12 reps") for name, code in WIDGETS.items()}
    measure(*programs["coachtui"])  # keeps the roster
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in programs}
    for _ in range(options.runs):
        for name, (args, text) in programs.items():
            times[name].append(measure(args, text))
    wall = {name: statistics.median(w for w, _ in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in times.items()}
    bare = "bare Textual app"
    if options.json:
        for kind, figures in (("", wall), (" (CPU)", cpu)):
            print(
                json.dumps(
                    {
                        "figure": f"startup to the roster{kind}",
                        "ours": round(figures["coachtui"], 3),
                        "peer_name": bare,
                        "peer": round(figures[bare], 3),
                        "budget": 1.3,
                        "budget_kind": "ratio",
                    }
                )
            )
        return
    for name in programs:
        print(
            f"{name:<32} wall {wall[name]:6.3f}s {wall[name] / wall[bare]:5.2f}x   "
            f"cpu {cpu[name]:6.3f}s {cpu[name] / cpu[bare]:5.2f}x "
            f"(+{cpu[name] - cpu[bare]:.3f}s)"
        )
    print(f"(medians of {options.runs}; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
