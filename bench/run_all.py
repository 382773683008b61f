"""The whole benchmark suite, each figure beside its peer, medians of several runs.

Run: python -m bench.run_all [--runs 5]

It makes its own data under bench/data/: a deterministic million-deal export
across 5,000 reps (generic layout) and a database of the sample team.
Budgets: startup 1.3x a bare Textual app, import 1.5x sqlite3's .import,
report 1.0x a sqlite3 GROUP BY, typing 1.1x a bare TextArea, memory 500 MB.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import coachtui
from bench.bench_report import PEER_SQL
from bench.common import COACHTUI, DATA, report, timed
from bench.make_deals import AS_OF, write_deals
from coachtui.paths import cache_dir

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


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def in_tmux_until(command: list[str], text: str, timeout: float = 60) -> float:
    """Seconds from starting `command` in a 100x30 tmux window until `text` shows.

    Each run has a tmux server of its own (`-L`): a new session on a server that
    is still shutting down after the last run fails now and then.
    """
    tmux = ["tmux", "-L", f"bench-{os.getpid()}-{time.monotonic_ns()}"]
    shell_command = " ".join(f"'{part}'" for part in command)
    start = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-x", "100", "-y", "30", shell_command], check=True)
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


def peak_mb(command: list[str]) -> float:
    """Peak resident memory of a command (and what it waits for), in MB."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command} failed")
    return usage.ru_maxrss / 1024


APP_WITH_MILLION = """
import asyncio, sys, datetime as dt
from pathlib import Path
from coachtui.app import CoachApp
from coachtui.store import Store
async def main():
    with Store.open(Path(sys.argv[1])) as store:
        app = CoachApp(store, today=dt.date(2026, 11, 27))
        async with app.run_test(size=(100, 30)) as pilot:
            while app.review is None:  # the team computed
                await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            assert len(app.query_one("RosterPane").shown) == 5000
asyncio.run(main())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = args.runs
    # the app keeps files in its cache folder: the bench's own, not the user's
    os.environ["XDG_CACHE_HOME"] = str(DATA / "cache")
    million = DATA / "deals-1m.csv"
    if not million.exists():
        write_deals(million, 1_000_000, 5_000)
    sample_db = DATA / "sample.db"
    if not sample_db.exists():
        from coachtui.importing.sample import build_demo_database

        build_demo_database(sample_db, today=AS_OF).close()
    report_db = DATA / "report.db"
    if not report_db.exists():
        subprocess.run(
            [*COACHTUI, "import", "deals", str(million), "--db", str(report_db)],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    # pip compiles an installed package's bytecode; a development checkout (or
    # PYTHONDONTWRITEBYTECODE) would compile coachtui's modules at every start
    compileall.compile_dir(Path(coachtui.__file__).parent, quiet=1)
    in_tmux_until([*COACHTUI, "--db", str(sample_db)], "12 reps")  # keeps the roster
    ours, peer, floor = [], [], []
    for _ in range(runs):  # interleaved: a noisy moment hits all three
        ours.append(in_tmux_until([*COACHTUI, "--db", str(sample_db)], "12 reps"))
        peer.append(in_tmux_until([sys.executable, "-c", BARE_APP], "bare app ready"))
        floor.append(in_tmux_until([sys.executable, "-c", SAME_WIDGETS_APP], "12 reps"))
    report("startup", ours, peer, "bare Textual app", budget=1.3)
    print(
        f"           (the roster's widgets with no data: {statistics.median(floor):.3f}s, "
        f"{statistics.median(floor) / statistics.median(peer):.2f}x the bare app)"
    )

    target = DATA / "import.db"
    ours = timed(
        [*COACHTUI, "import", "deals", str(million), "--db", str(target)],
        runs,
        setup=lambda: _remove(target),
    )
    peer = timed(
        [shutil.which("sqlite3"), str(target), f".import --csv {million} deals"],
        runs,
        setup=lambda: _remove(target),
    )
    report("import", ours, peer, "sqlite3 .import", budget=1.5)

    ours = timed(
        [
            *COACHTUI,
            "metrics",
            "--db",
            str(report_db),
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "csv",
        ],
        runs,
    )
    peer = timed([shutil.which("sqlite3"), str(report_db), PEER_SQL], runs)
    report("report", ours, peer, "sqlite3 GROUP BY", budget=1.0)

    subprocess.run([sys.executable, "-m", "bench.bench_typing", "--runs", str(runs)], check=True)

    _remove(target)
    imported = peak_mb([*COACHTUI, "import", "deals", str(million), "--db", str(target)])
    shutil.rmtree(cache_dir() / "deal-frames", ignore_errors=True)
    first = peak_mb([sys.executable, "-c", APP_WITH_MILLION, str(report_db)])
    later = peak_mb([sys.executable, "-c", APP_WITH_MILLION, str(report_db)])
    print(
        f"memory     import of 1M deals {imported:4.0f} MB   app with 1M deals open "
        f"{first:4.0f} MB (first start) {later:4.0f} MB (deals kept)   (budget 500 MB each)"
    )
    _remove(target)
    print(f"(medians of {runs}; peers run in the same session on the same machine)")


if __name__ == "__main__":
    main()
