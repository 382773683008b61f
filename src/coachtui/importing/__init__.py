"""Turning CRM exports (CSV) into coachtui's store: all rows or none."""

from coachtui.importing.errors import ImportRefused, RowProblem
from coachtui.importing.options import ImportOptions
from coachtui.importing.run import import_file

__all__ = ["ImportOptions", "ImportRefused", "RowProblem", "import_file"]
