"""The core and the non-UI commands never load Textual."""

from __future__ import annotations

import subprocess
import sys

CORE = (
    "coachtui.cli.commands",
    "coachtui.paths",
    "coachtui.importing.models",
    "coachtui.store.database",
    "coachtui.importing",
    "coachtui.importing.sample",
)


def test_core_modules_do_not_import_textual():
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in CORE)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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
