"""Turning CRM exports (CSV) into coachtui's store: all rows or none.

The package loads nothing heavy: the CLI reads the kinds and the layouts of
an import (`fields.KINDS`, `layouts.LAYOUTS`) on every start. `import_file`
brings polars with it, when it is first asked for.
"""

from typing import TYPE_CHECKING

from coachtui.importing.errors import ImportRefused, RowProblem
from coachtui.importing.options import ImportOptions

if TYPE_CHECKING:
    from coachtui.importing.run import import_file

__all__ = ["ImportOptions", "ImportRefused", "RowProblem", "import_file"]


def __getattr__(name: str):
    if name == "import_file":
        from coachtui.importing.run import import_file

        return import_file
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
