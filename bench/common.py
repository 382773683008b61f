"""Shared helpers for the benchmarks: timing commands and printing ratios."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
COACHTUI = [sys.executable, "-m", "coachtui"]


def timed(command: list[str], runs: int, setup=None, **kwargs) -> list[float]:
    """Wall-clock seconds of `command`, `runs` times; `setup` runs before each, untimed."""
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kwargs)
        times.append(time.perf_counter() - start)
    return times


def report(name: str, ours: list[float], peer: list[float], peer_name: str, budget: float) -> None:
    mine, theirs = statistics.median(ours), statistics.median(peer)
    ratio = mine / theirs
    verdict = "within" if ratio <= budget else "OVER"
    print(
        f"{name:<10} coachtui {mine:8.3f}s   {peer_name} {theirs:8.3f}s   "
        f"ratio {ratio:5.2f}x  (budget {budget:.1f}x, {verdict}; medians of {len(ours)})"
    )
