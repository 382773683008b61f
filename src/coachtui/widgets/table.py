"""A DataTable that moves with vim keys too."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class VimTable(DataTable):
    """DataTable with j/k, g/G and ctrl+d/ctrl+u aliases (hidden from the footer)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Select", show=False, id="table.select"),
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "First row", show=False, id="table.first"),
        Binding("G", "scroll_bottom", "Last row", show=False, id="table.last"),
        Binding("ctrl+d", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("ctrl+u", "page_up", "Page up", show=False, id="table.page_up"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)


class RosterTable(VimTable):
    BINDINGS = [Binding("enter", "select_cursor", "Open rep", id="roster.open")]
