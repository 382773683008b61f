"""The whole benchmark suite, each figure beside its peer, medians of several runs.

Run: python -m bench.run_all [--runs 5]

It makes its own data under bench/data/: a deterministic million-deal export
across 5,000 reps (generic layout) and a database of the sample team.
Budgets: startup 1.3x a bare Textual app, import 1.5x sqlite3's .import,
report 1.0x a sqlite3 GROUP BY, typing 1.1x a bare TextArea, memory 500 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.bench_report import PEER_SQL
from bench.common import COACHTUI, DATA, report, timed
from bench.make_deals import AS_OF, write_deals

BARE_APP = """
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("bare app ready")
Bare().run()
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
import asyncio, resource, sys, datetime as dt
from pathlib import Path
from coachtui.app import CoachApp
from coachtui.store import Store
async def main():
    with Store.open(Path(sys.argv[1])) as store:
        app = CoachApp(store, today=dt.date(2026, 11, 27))
        async with app.run_test(size=(100, 30)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert len(app.query_one("RosterPane").shown) == 5000
asyncio.run(main())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = args.runs
    million = DATA / "deals-1m.csv"
    if not million.exists():
        write_deals(million, 1_000_000, 5_000)
    sample_db = DATA / "sample.db"
    if not sample_db.exists():
        from coachtui.demo import build_demo_database

        build_demo_database(sample_db, today=AS_OF).close()
    report_db = DATA / "report.db"
    if not report_db.exists():
        subprocess.run(
            [*COACHTUI, "import", "deals", str(million), "--db", str(report_db)],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    ours = [in_tmux_until([*COACHTUI, "--db", str(sample_db)], "12 reps") for _ in range(runs)]
    peer = [in_tmux_until([sys.executable, "-c", BARE_APP], "bare app ready") for _ in range(runs)]
    report("startup", ours, peer, "bare Textual app", budget=1.3)

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
    app = peak_mb([sys.executable, "-c", APP_WITH_MILLION, str(report_db)])
    print(
        f"memory     import of 1M deals {imported:6.0f} MB   app with 1M deals open "
        f"{app:6.0f} MB   (budget 500 MB each)"
    )
    _remove(target)
    print(f"(medians of {runs}; peers run in the same session on the same machine)")


if __name__ == "__main__":
    main()
