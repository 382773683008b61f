"""A DataTable that moves with vim keys too."""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import DataTable

from coachtui.screens import keys


class VimTable(DataTable):
    """DataTable with j/k, g/G and ctrl+d/ctrl+u aliases (hidden from the footer)."""

    BINDINGS = keys.TABLE

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)


class RosterTable(VimTable):
    """The roster's table, its columns sized once for every rep of the team.

    DataTable measures every cell of every row added (a Rich measure each,
    ~0.15 ms a cell) to size auto-width columns: 0.8 s each time the filter
    refills 5,000 reps. With every column's width set by `fit`, there is
    nothing to measure, and the columns keep their width while filtering.

    `_update_dimensions` is private to DataTable: textual is pinned exactly
    (pyproject.toml), and tests/test_roster_table.py fails if it changes.
    """

    BINDINGS = keys.ROSTER_TABLE

    def fit(self, widths: dict[str, int]) -> None:
        """Fix each column's width (column key -> cells), then lay the table
        out again: its own width follows (`get_content_width`)."""
        for key, column in self.columns.items():
            column.width, column.auto_width = widths[key.value], False
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The table's width (`width: auto`): the columns that fit whole in the
        room, from the left, or all the room when every one fits; the others
        are a scroll away. A column cut at the screen's edge showed figures
        without their unit or last digits: 2.7 for 2.7M, ▼153 for ▼153k.
        Worked out in the layout itself, so the first frame, a filter that
        shows or hides the scrollbar and a resize are right at once. (Scrolled
        right a cell at a time, a column is cut again, until home.)"""
        room = container.width - (
            self.styles.scrollbar_size_vertical if self.show_vertical_scrollbar else 0
        )
        used = 0
        for column in self.ordered_columns:
            width = column.get_render_width(self)
            if used + width > room:
                return used
            used += width
        return room

    def _update_dimensions(self, new_rows) -> None:
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
        else:  # every row is one line and no column needs measuring
            super()._update_dimensions(())
