"""The shape of the code, held by tools: the import rules of pyproject.toml
(import-linter), no import cycles, short functions and readable UI files."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

import coachtui

ROOT = Path(__file__).resolve().parents[1]
SOURCE = Path(coachtui.__file__).resolve().parent
MAX_FUNCTION_LINES = 60
MAX_UI_FILE_LINES = 400
LINT_IMPORTS = (
    "import sys\n"
    "from importlinter.cli import lint_imports_command\n"
    "sys.exit(lint_imports_command())"
)


def test_the_import_rules_hold():
    """pyproject.toml's contracts: who may import Textual and Rich, the layers,
    and the parts that know nothing of each other."""
    result = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that import each other, directly or not (Tarjan)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in stack:
                lowest[module] = min(lowest[module], index[imported])
        if lowest[module] == index[module]:
            group = stack[stack.index(module) :]
            del stack[stack.index(module) :]
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_no_import_cycles():
    """No module imports, even inside a function, one that imports it back."""
    graph = grimp.build_graph("coachtui", cache_dir=None)
    assert _cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(module)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.d")
    graph.add_import(importer="a.d", imported="a.b")
    assert _cycles(graph) == [["a.b", "a.c", "a.d"]]


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def test_functions_are_under_60_lines():
    long = [
        f"{path.relative_to(SOURCE)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno})"
        for path in sorted(SOURCE.rglob("*.py"))
        for node in _functions(path)
        if node.end_lineno - node.lineno > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_ui_files_are_under_400_lines():
    ui = [SOURCE / "app.py", *sorted((SOURCE / "screens").rglob("*.py"))]
    long = [
        f"{path.relative_to(SOURCE)} ({lines})"
        for path in ui
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_UI_FILE_LINES
    ]
    assert long == []
