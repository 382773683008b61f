"""The whole benchmark suite: every figure beside its peer, ratio and budget,
medians of several runs, in one table at the end (also written as Markdown to
bench/data/results.md, for the README's Performance table).

Run: pip install -r bench/requirements.txt   (the peers: DuckDB and its sqlite extension)
     python -m bench.run_all [--runs 5]

It makes its own data under bench/data/: a deterministic million-deal export
across 5,000 reps (generic layout), its import, and a database of the sample
team. Each bench module runs as a subprocess (`python -m bench.NAME --runs N
--json`) and prints its figures in the format bench/common.py describes; a
module that is not there yet is skipped, and said so.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time

from bench.common import DATA, Figure, arguments, million_deals, read_figures, report_database

# lightest first; each module's figures print as soon as it ends
MODULES = (
    "bench_startup",
    "bench_typing",
    "bench_import",
    "bench_report",
    "bench_roster",
    "bench_coaching",
)


def run_module(name: str, runs: int) -> list[Figure]:
    if importlib.util.find_spec(f"bench.{name}") is None:
        print(f"({name}: not in this checkout, skipped)", flush=True)
        return []
    start = time.perf_counter()
    command = [sys.executable, "-m", f"bench.{name}", "--runs", str(runs), "--json"]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    figures = read_figures(done.stdout)
    if done.returncode != 0:
        print(f"({name}: FAILED, exit {done.returncode}; its figures left out)", flush=True)
        return []
    for figure in figures:
        print(figure.line(), flush=True)
    print(f"({name}: {time.perf_counter() - start:.0f} s)", flush=True)
    return figures


def cells(figure: Figure) -> list[str]:
    peer = "" if figure.peer is None else f"{figure.peer_name} {figure.shown(figure.peer)}"
    ratio = "" if figure.ratio is None else f"{figure.ratio:.2f}x"
    verdict = {True: "within", False: "OVER", None: ""}[figure.within]
    return [
        figure.figure,
        figure.shown(figure.ours),
        peer,
        ratio,
        figure.budget_text(),
        verdict,
    ]


HEADER = ["figure", "coachtui", "peer", "ratio", "budget", ""]


def as_table(figures: list[Figure]) -> str:
    rows = [HEADER, *(cells(figure) for figure in figures)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def as_markdown(figures: list[Figure]) -> str:
    lines = ["| " + " | ".join(HEADER[:5]) + " |", "|" + " --- |" * 5]
    for figure in figures:
        row = cells(figure)[:5]
        row[0] = row[0].replace("|", "\\|")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def load() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    args = arguments(__doc__).parse_args()
    began, load_before = time.perf_counter(), load()
    print(f"({load_before}; {os.cpu_count()} cores)", flush=True)
    million_deals()
    report_database()
    figures = [figure for name in MODULES for figure in run_module(name, args.runs)]
    minutes = (time.perf_counter() - began) / 60
    note = (
        f"medians of {args.runs} (peak memory: the highest run); peers run interleaved in the "
        f"same session; {load_before} at the start, {load()} at the end; {minutes:.1f} minutes"
    )
    print()
    print(as_table(figures))
    print(f"({note})")
    (DATA / "results.md").write_text(as_markdown(figures) + f"\n{note[0].upper()}{note[1:]}.\n")
    print(f"(written to {DATA / 'results.md'})")


if __name__ == "__main__":
    main()
