"""Shared helpers for the benchmarks: timing commands and printing figures.

Every bench module prints its figures through `emit`, one figure a line, in
one of two forms. By default a line for people:

    import of 1M deals   coachtui  3.904 s   sqlite3 .import 1.090 s   3.58x  (budget 2.5x, OVER)

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
import hashlib
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

from coachtui.store import Store, remove_database

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
COACHTUI = [sys.executable, "-m", "coachtui"]
CACHE = DATA / "cache"
MILLION = DATA / "deals-1m.csv"
REPORT_DB = DATA / "report.db"
AFTER_IMPORT = DATA / "after-import"
BUDGET_KINDS = ("ratio", "seconds", "MB")
FIELDS = ("figure", "ours", "peer_name", "peer", "budget", "budget_kind")


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

    def shown(self, value: float) -> str:
        """A value of the figure with its unit, the same for ours and the
        peer's: MB, seconds, or milliseconds when both are under a tenth of a
        second (a key's time would read 0.003 s)."""
        if self.budget_kind == "MB":
            return f"{value:.0f} MB"
        if max(value for value in (self.ours, self.peer) if value is not None) < 0.1:
            return f"{value * 1000:.2f} ms"
        return f"{value:.3f} s"

    def line(self) -> str:
        text = f"{self.figure:<46} coachtui {self.shown(self.ours):>10}"
        if self.peer is not None:
            text += f"   {self.peer_name} {self.shown(self.peer)}   {self.ratio:5.2f}x"
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
            fields = json.loads(line)
            figures.append(Figure(**{name: fields.get(name) for name in FIELDS}))
    return figures


def arguments(doc: str | None, runs: int = 5) -> argparse.ArgumentParser:
    """The options every bench module takes: --runs N and --json."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--runs", type=int, default=runs, help="runs per figure (medians)")
    parser.add_argument("--json", action="store_true", help="one JSON object per figure")
    return parser


def print_figures(figures: Callable[[int], list[Figure]], doc: str | None) -> None:
    """A bench module's main: its figures, for people or (--json) for run_all."""
    args = arguments(doc).parse_args()
    for figure in figures(args.runs):
        emit(figure, args.json)


def median(values: list[float]) -> float:
    return statistics.median(values)


def run_quietly(command: list[str], **kwargs) -> float:
    """Run a command to its end, its output dropped; its peak resident memory in MB
    (the largest of it and the children it waited for)."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, **kwargs)
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command[:4]} failed")
    return usage.ru_maxrss / 1024


def timed_together(
    commands: dict[str, list[str]],
    runs: int,
    setup: Callable[[str], None] | None = None,
    peaks: dict[str, list[float]] | None = None,
    **kwargs,
) -> dict[str, list[float]]:
    """Wall-clock seconds of each command, interleaved: run 1 of each, then run 2 of each...

    A noisy moment on a shared machine then falls on every command alike.
    `setup(name)` runs before each, untimed; `peaks`, when given, gets each
    run's peak memory in MB by name.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            if setup:
                setup(name)
            start = time.perf_counter()
            peak = run_quietly(command, **kwargs)
            times[name].append(time.perf_counter() - start)
            if peaks is not None:
                peaks.setdefault(name, []).append(peak)
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
    """The million deals imported (again when coachtui's code changed), with a
    note of what the import left.

    Right after the import, the meta rows of the database and the app's cache
    folder are kept in bench/data/after-import/, so `restore_after_import` can
    put back the state a manager has right after importing (whatever the
    import leaves behind, kept files or not).
    """
    use_bench_cache()
    stamp = AFTER_IMPORT / "code"
    if not stamp.exists() or stamp.read_text() != code_version():
        remove_database(REPORT_DB)
        shutil.rmtree(CACHE, ignore_errors=True)
        run_quietly([*COACHTUI, "import", "deals", str(million_deals()), "--db", str(REPORT_DB)])
        shutil.rmtree(AFTER_IMPORT, ignore_errors=True)
        AFTER_IMPORT.mkdir(mode=0o700, parents=True)
        _copy_cache(_app_cache(), AFTER_IMPORT / "cache")
        with Store.open(REPORT_DB) as store:
            rows = store.conn.execute("SELECT key, value FROM meta").fetchall()
        (AFTER_IMPORT / "meta.json").write_text(json.dumps(rows))
        stamp.write_text(code_version())
    return REPORT_DB


def code_version() -> str:
    """A digest of coachtui's source: what an import leaves may change with any of it."""
    import coachtui

    digest = hashlib.sha256()
    for source in sorted(Path(coachtui.__file__).parent.rglob("*.py")):
        digest.update(str(source).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def restore_after_import() -> None:
    """Put report.db's meta rows and the cache folder back as the import left them.

    Through coachtui's own store, in place: a copied or rewritten file is one
    the app did not write, which it rightly checks page by page at its next
    open (store/integrity.py), a cost no first start after an import pays.
    The record of that check (`checked`) stays, as it follows the file.
    """
    rows = json.loads((AFTER_IMPORT / "meta.json").read_text())
    with Store.open(REPORT_DB) as store, store.write() as db:
        db["meta"].delete_where()
        db["meta"].insert_all([{"key": key, "value": value} for key, value in rows], pk="key")
    cache = _app_cache()
    for entry in cache.iterdir():
        if entry.name != "checked":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    _copy_cache(AFTER_IMPORT / "cache", cache)


def _app_cache() -> Path:
    from coachtui.paths import cache_dir

    return cache_dir()


def _copy_cache(source: Path, target: Path) -> None:
    """Everything in the app's cache folder but the integrity checks' record."""
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.name == "checked":
            continue
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, target / entry.name)
