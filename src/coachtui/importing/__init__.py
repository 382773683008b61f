"""Turning CRM exports (CSV) into coachtui's store: all rows or none.

The package loads nothing itself: the CLI reads the kinds and the layouts of
an import (`fields.KINDS`, `layouts.LAYOUTS`) on every start, the app's
included. What an import needs loads when it is first asked for
(`import_file` brings polars with it).
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coachtui.importing.errors import ImportRefused, RowProblem
    from coachtui.importing.options import ImportOptions
    from coachtui.importing.run import import_file

__all__ = ["ImportOptions", "ImportRefused", "RowProblem", "import_file"]
# the module each of them lives in
_WHERE = {
    "ImportOptions": "options",
    "ImportRefused": "errors",
    "RowProblem": "errors",
    "import_file": "run",
}


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
