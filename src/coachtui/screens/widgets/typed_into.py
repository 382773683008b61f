"""A text box that hands what is typed into it straight to its owner."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import TextArea


class TypedInto(TextArea):
    """A TextArea that gives its text to `typed` at each change and sends its
    Changed and SelectionChanged no further: bubbled up through the containers
    to the checklist, the two messages of every key kept the frame with that
    key waiting behind them (0.2 ms of a 4 ms key)."""

    def __init__(self, typed: Callable[[str], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.typed = typed

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.typed(self.text)

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        event.stop()
