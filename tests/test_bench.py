"""The benchmark suite's own contracts: the one format its figures travel in,
the table run_all prints, and peers that compute the same numbers."""

from __future__ import annotations

import json
import math
import shutil
import subprocess

import pytest
from bench.bench_report import duckdb_cli, peers, sqlite_extension
from bench.common import Figure, emit, read_figures
from bench.make_deals import write_deals
from bench.run_all import as_markdown, as_table

from tests.command_line import coachtui


def test_a_figure_travels_as_one_json_line_and_back(capsys):
    figures = [
        Figure("brief one rep", 0.71, budget=1.0, budget_kind="seconds"),
        Figure("import of 1M deals", 3.9, "sqlite3 .import", 1.09, 2.5, "ratio"),
        Figure("`coachtui metrics` over 1M deals", 1.7, "DuckDB, CSV", 0.4),
    ]
    for figure in figures:
        emit(figure, as_json=True)
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert len(lines) == 3
    assert json.loads(lines[0]) == {
        "figure": "brief one rep",
        "ours": 0.71,
        "peer_name": None,
        "peer": None,
        "budget": 1.0,
        "budget_kind": "seconds",
    }
    assert read_figures("a line for people\n" + printed) == figures


def test_a_figure_and_its_peer_are_shown_in_one_unit():
    line = Figure("typing: a key to its frame", 0.00345, "bare TextArea", 0.0025, 1.1, "ratio")
    assert " ".join(line.line().split()) == (
        "typing: a key to its frame coachtui 3.45 ms bare TextArea 2.50 ms 1.38x "
        "(budget 1.1x, OVER)"
    )
    mixed = Figure("the slowest key", 0.12, "bare TextArea", 0.08)
    assert "coachtui    0.120 s   bare TextArea 0.080 s" in mixed.line()


def test_the_budget_bounds_the_ratio_or_the_figure_itself():
    assert Figure("import", 3.9, "sqlite3", 1.09, 2.5, "ratio").within is False
    assert Figure("import", 2.0, "sqlite3", 1.0, 2.5, "ratio").within is True
    assert Figure("brief", 0.7, budget=1.0, budget_kind="seconds").within is True
    assert Figure("memory", 501, budget=500, budget_kind="MB").within is False
    assert Figure("beside DuckDB", 1.7, "DuckDB", 0.4).within is None


def test_run_all_shows_every_figure_beside_its_peer_ratio_and_budget():
    figures = [
        Figure("import of 1M deals", 3.9, "sqlite3 .import", 1.3, 2.5, "ratio"),
        Figure("peak memory: import", 443.2, budget=500, budget_kind="MB"),
        Figure("metrics | beside DuckDB", 1.7, "DuckDB, CSV", 0.4),
        Figure("typing: a key to its frame", 0.00345, "bare TextArea", 0.0025, 1.1, "ratio"),
    ]
    table = as_table(figures).splitlines()
    assert "3.900 s" in table[1] and "sqlite3 .import 1.300 s" in table[1]
    assert "3.00x" in table[1] and "2.5x" in table[1] and table[1].endswith("OVER")
    assert "443 MB" in table[2] and table[2].endswith("within")
    assert "4.25x" in table[3]
    assert "3.45 ms" in table[4] and "bare TextArea 2.50 ms" in table[4] and "1.38x" in table[4]
    markdown = as_markdown(figures).splitlines()
    assert markdown[0] == "| figure | coachtui | peer | ratio | budget |"
    typing = "| typing: a key to its frame | 3.45 ms | bare TextArea 2.50 ms | 1.38x | 1.1x |"
    assert markdown[5] == typing
    assert (
        markdown[2] == "| import of 1M deals | 3.900 s | sqlite3 .import 1.300 s | 3.00x | 2.5x |"
    )
    assert markdown[4].startswith("| metrics \\| beside DuckDB |")


def per_rep(output: str, separator: str) -> list[list]:
    rows = output.splitlines()
    if separator == ",":
        rows = rows[1:]  # the header

    def value(text: str):
        return None if text in ("", "NULL") else float(text)

    return [[row.split(separator)[0], *map(value, row.split(separator)[1:])] for row in rows]


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 shell")
def test_every_peer_computes_the_same_per_rep_numbers(tmp_path):
    csv_path = write_deals(tmp_path / "deals.csv", 3_000, 40)
    db = tmp_path / "team.db"
    imported = coachtui("import", "deals", str(csv_path), "--db", str(db))
    assert imported.returncode == 0, imported.stderr
    commands = peers(csv_path, db)
    if duckdb_cli() and sqlite_extension():
        assert {"DuckDB, CSV", "DuckDB, SQLite file"} <= set(commands)
    outputs = {
        name: subprocess.run(command, check=True, capture_output=True, text=True).stdout
        for name, command in commands.items()
    }
    expected = per_rep(outputs.pop("sqlite3 GROUP BY"), "|")
    assert len(expected) == 40 and sum(row[1] for row in expected) > 0
    for name, output in outputs.items():
        rows = per_rep(output, ",")
        assert [row[0] for row in rows] == [row[0] for row in expected], name
        for theirs, ours in zip(rows, expected, strict=True):
            for a, b in zip(theirs[1:], ours[1:], strict=True):
                assert a == b or math.isclose(a, b, rel_tol=1e-9), (name, theirs, ours)
