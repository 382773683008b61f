"""Shared helpers for the benchmarks: timing commands and printing figures.

Every bench module prints its figures through `emit`, one figure a line, in
one of two forms. By default a line for people:

    import of 1M deals   coachtui  3.904s   sqlite3 .import  1.090s   3.58x  (budget 2.5x, OVER)

With `--json`, one JSON object per figure per line on stdout instead, which
`bench.run_all` gathers from each module it runs as a subprocess:

    {"figure": "brief one rep", "ours": 0.71, "peer_name": null, "peer": null,
     "budget": 1.0, "budget_kind": "seconds"}

- ours, peer: medians, in seconds (or MB when budget_kind is "MB"); peer and
  peer_name are null for a figure with no peer.
- budget_kind "ratio": the budget bounds ours / peer; "seconds" and "MB": it
  bounds ours. budget is null for a figure shown only beside another tool.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
COACHTUI = [sys.executable, "-m", "coachtui"]
CACHE = DATA / "cache"
MILLION = DATA / "deals-1m.csv"
REPORT_DB = DATA / "report.db"
AFTER_IMPORT = DATA / "after-import"
BUDGET_KINDS = ("ratio", "seconds", "MB")


@dataclass(frozen=True)
class Figure:
    figure: str
    ours: float
    peer_name: str | None = None
    peer: float | None = None
    budget: float | None = None
    budget_kind: str | None = None

    @property
    def ratio(self) -> float | None:
        return self.ours / self.peer if self.peer else None

    @property
    def within(self) -> bool | None:
        """Whether the figure keeps its budget; None when it has none."""
        if self.budget is None:
            return None
        measured = self.ratio if self.budget_kind == "ratio" else self.ours
        return measured is not None and measured <= self.budget

    def budget_text(self) -> str:
        if self.budget is None:
            return ""
        unit = {"ratio": "x", "seconds": " s", "MB": " MB"}[self.budget_kind]
        return f"{self.budget:g}{unit}"

    def line(self) -> str:
        unit = "MB" if self.budget_kind == "MB" else "s"
        text = f"{self.figure:<42} coachtui {self.ours:8.3f}{unit}"
        if self.peer is not None:
            text += f"   {self.peer_name} {self.peer:.3f}{unit}   {self.ratio:5.2f}x"
        if self.budget is not None:
            text += f"  (budget {self.budget_text()}, {'within' if self.within else 'OVER'})"
        return text


def emit(figure: Figure, as_json: bool) -> None:
    """Print one figure: a JSON object on a line with --json, else a line for people."""
    if figure.budget_kind is not None and figure.budget_kind not in BUDGET_KINDS:
        raise ValueError(f"unknown budget kind {figure.budget_kind!r}")
    print(json.dumps(asdict(figure)) if as_json else figure.line(), flush=True)


def read_figures(output: str) -> list[Figure]:
    """The figures a bench module printed with --json (other lines are skipped)."""
    figures = []
    for line in output.splitlines():
        if line.startswith("{"):
            figures.append(Figure(**json.loads(line)))
    return figures


def arguments(doc: str | None, runs: int = 5) -> argparse.ArgumentParser:
    """The options every bench module takes: --runs N and --json."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--runs", type=int, default=runs, help="runs per figure (medians)")
    parser.add_argument("--json", action="store_true", help="one JSON object per figure")
    return parser


def median(values: list[float]) -> float:
    return statistics.median(values)


def run_quietly(command: list[str], **kwargs) -> None:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)


def timed_together(
    commands: dict[str, list[str]],
    runs: int,
    setup: Callable[[str], None] | None = None,
    **kwargs,
) -> dict[str, list[float]]:
    """Wall-clock seconds of each command, interleaved: run 1 of each, then run 2 of each...

    A noisy moment on a shared machine then falls on every command alike.
    `setup(name)` runs before each, untimed.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            if setup:
                setup(name)
            start = time.perf_counter()
            run_quietly(command, **kwargs)
            times[name].append(time.perf_counter() - start)
    return times


def use_bench_cache() -> None:
    """The app keeps files in its cache folder: the bench's own, not the user's.

    Children inherit it, so the commands timed read what the bench's import wrote.
    """
    os.environ["XDG_CACHE_HOME"] = str(CACHE)


def million_deals() -> Path:
    """The deterministic million-deal export across 5,000 reps, written once."""
    from bench.make_deals import write_deals

    if not MILLION.exists():
        write_deals(MILLION, 1_000_000, 5_000)
    return MILLION


def report_database() -> Path:
    """The million deals imported, once, and kept as the import left them.

    The database and the cache folder are copied to bench/data/after-import/
    right after the import, so `restore_after_import` can put back the state a
    manager has right after importing (whatever the import leaves behind).
    """
    use_bench_cache()
    if not (AFTER_IMPORT / REPORT_DB.name).exists():
        remove_database(REPORT_DB)
        shutil.rmtree(CACHE, ignore_errors=True)
        run_quietly([*COACHTUI, "import", "deals", str(million_deals()), "--db", str(REPORT_DB)])
        shutil.rmtree(AFTER_IMPORT, ignore_errors=True)
        AFTER_IMPORT.mkdir(mode=0o700, parents=True)
        _copy_state(DATA, AFTER_IMPORT)
    return REPORT_DB


def restore_after_import() -> None:
    """Put report.db and the cache folder back as the import left them."""
    remove_database(REPORT_DB)
    shutil.rmtree(CACHE, ignore_errors=True)
    _copy_state(AFTER_IMPORT, DATA)


def _copy_state(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        kept = source / f"{REPORT_DB.name}{suffix}"
        if kept.exists():
            shutil.copy2(kept, target / kept.name)
    if (source / CACHE.name).exists():
        shutil.copytree(source / CACHE.name, target / CACHE.name, symlinks=True)


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
