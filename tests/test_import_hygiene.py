"""The core never loads Textual or Rich; the commands that show no UI never
load Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import coachtui

SOURCE = Path(coachtui.__file__).resolve().parent
# the terminal UI, the command line that starts it, and `python -m coachtui`
NOT_CORE = ("coachtui.app", "coachtui.screens", "coachtui.cli", "coachtui.__main__")


def _modules() -> list[str]:
    """Every module of coachtui, by name, from its files."""
    names = []
    for path in sorted(SOURCE.rglob("*.py")):
        parts = ("coachtui", *path.relative_to(SOURCE).with_suffix("").parts)
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _of(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in packages)


def _loaded_by(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """Which of `packages` a fresh Python has loaded after importing `modules`."""
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in modules)
        + f"print(*sorted({{m.split('.')[0] for m in sys.modules}} & {set(packages)!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_core_modules_do_not_import_textual():
    """Every module but the UI's and the command line's: no Textual, no Rich."""
    core = [m for m in _modules() if not _of(m, NOT_CORE)]
    assert "coachtui.review.metrics" in core and "coachtui.store.schema" in core
    assert _loaded_by(core, ("textual", "rich")) == []


def test_the_command_line_loads_no_textual_until_the_app_starts():
    command_line = [m for m in _modules() if _of(m, ("coachtui.cli",))]
    assert "coachtui.cli.metrics_table" in command_line
    assert _loaded_by(command_line, ("textual",)) == []


def test_the_command_line_is_read_before_anything_heavy_loads():
    """Every `coachtui` start parses its arguments, the kinds and layouts of an
    import among them; polars and pydantic load only with the work itself."""
    code = (
        "import sys\n"
        "from coachtui.cli.commands import _parser\n"
        "_parser().parse_args(['import', 'deals', 'deals.csv', '--format', 'hubspot'])\n"
        "print(sorted(m for m in ('polars', 'pydantic', 'sqlite_utils') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
