"""Tables and lists that move with vim keys too."""

from __future__ import annotations

from typing import Self

from textual import events
from textual.geometry import Size
from textual.widgets import DataTable, OptionList

from coachtui.screens import keys


class VimTable(DataTable):
    """DataTable with j/k, g/G and ctrl+d/ctrl+u aliases (hidden from the footer)."""

    BINDINGS = keys.TABLE

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)


class VimOptionList(OptionList):
    """OptionList with j/k and g/G aliases, as the tables have (hidden from the footer)."""

    BINDINGS = keys.OPTION_LIST


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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # the first column after the fixed ones (the rep): the one asked for by
        # the keys, and the one shown, which may be earlier when fewer are left
        # than fit (after end, on a wider screen)
        self.wanted_first = 0
        self.first_scrolled = 0
        self._room = 0  # the cells the columns after the fixed ones have, when they all do not fit

    def fit(self, widths: dict[str, int]) -> None:
        """Fix each column's width (column key -> cells), then lay the table
        out again: its own width follows (`get_content_width`)."""
        for key, column in self.columns.items():
            column.width, column.auto_width = widths[key.value], False
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The table's width (`width: auto`): the fixed columns and the ones
        after them that fit whole in the room, from the one asked for (or an
        earlier one, when fewer are left than fit), or all the room when every
        column fits. A column cut at the screen's edge showed figures without
        their unit or last digits: 2.7 for 2.7M, ▼153 for ▼153k. Worked out in
        the layout itself, so the first frame, a filter that shows or hides the
        scrollbar and a resize are right at once."""
        room = container.width - (
            self.styles.scrollbar_size_vertical if self.show_vertical_scrollbar else 0
        )
        fixed, scrolled = self._widths()
        if sum(fixed) + sum(scrolled) <= room:
            self._room = 0
            return room
        self._room = room - sum(fixed)
        self.first_scrolled = min(self.wanted_first, _last_first(scrolled, self._room))
        return sum(fixed) + sum(_whole(scrolled[self.first_scrolled :], self._room))

    def _widths(self) -> tuple[list[int], list[int]]:
        """The widths of the fixed columns, and of the ones after them."""
        widths = [column.get_render_width(self) for column in self.ordered_columns]
        return widths[: self.fixed_columns], widths[self.fixed_columns :]

    # The cursor is a row: left and right scroll a whole column, home and end
    # to the first and the last, and the table's width follows.

    def action_cursor_right(self) -> None:
        self._scroll_to_column(self.first_scrolled + 1)

    def action_cursor_left(self) -> None:
        self._scroll_to_column(self.first_scrolled - 1)

    def action_scroll_home(self) -> None:
        self._scroll_to_column(0)

    def action_scroll_end(self) -> None:
        self._scroll_to_column(len(self.columns))

    def _scroll_to_column(self, first: int) -> None:
        scrolled = self._widths()[1]
        last = _last_first(scrolled, self._room) if self._room else 0  # 0: every one fits
        self.wanted_first = max(0, min(first, last))
        self.first_scrolled = self.wanted_first
        self.refresh(layout=True)
        self._scroll_to_first()  # and again once the width has followed (on_resize)

    def clear(self, columns: bool = False) -> Self:
        """DataTable's clear scrolls back to the first column; the roster's
        filter refills the rows where the manager had scrolled to."""
        super().clear(columns)
        self._scroll_to_first()
        return self

    def on_resize(self) -> None:
        self._scroll_to_first()

    # The wheel sideways (shift or ctrl and the wheel, or a trackpad) a whole
    # column too: Textual's scrolls a cell at a time, and cut the columns.

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if event.shift or event.ctrl:
            self._wheel(event, 1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if event.shift or event.ctrl:
            self._wheel(event, -1)

    def on_mouse_scroll_right(self, event: events.MouseScrollRight) -> None:
        self._wheel(event, 1)

    def on_mouse_scroll_left(self, event: events.MouseScrollLeft) -> None:
        self._wheel(event, -1)

    def _wheel(self, event: events.MouseEvent, step: int) -> None:
        event.prevent_default()  # Textual's own scroll
        event.stop()
        self._scroll_to_column(self.first_scrolled + step)

    def _scroll_to_first(self) -> None:
        self.scroll_to(x=sum(self._widths()[1][: self.first_scrolled]), animate=False)

    def _update_dimensions(self, new_rows) -> None:
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
        else:  # every row is one line and no column needs measuring
            super()._update_dimensions(())


def _whole(widths: list[int], room: int) -> list[int]:
    """The widths from the first that fit whole in `room`, together."""
    fitting: list[int] = []
    for width in widths:
        if sum(fitting) + width > room:
            break
        fitting.append(width)
    return fitting


def _last_first(widths: list[int], room: int) -> int:
    """The first of the last columns that fit whole in `room` together (what `end` shows)."""
    first = len(widths)
    while first > 0 and sum(widths[first - 1 :]) <= room:
        first -= 1
    return first
