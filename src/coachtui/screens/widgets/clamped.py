"""Text wrapped to the widget's width and cut after a number of lines, the
cut said by an ellipsis ("…") at the end of the last line shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

from coachtui.text import ELLIPSIS

if TYPE_CHECKING:
    from textual.geometry import Size


class Clamped(Widget):
    """At most `lines` lines of `text`; `update` to change it (and how many
    lines it may take, when the text is of another kind)."""

    DEFAULT_CSS = "Clamped { height: auto; }"

    def __init__(self, lines: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines = lines
        self.text = Text()

    def update(self, text: Text, lines: int | None = None) -> None:
        self.text = text
        self.lines = lines or self.lines
        self.refresh(layout=True)

    def _shown(self, width: int) -> list[Text]:
        wrapped = list(self.text.wrap(self.app.console, max(1, width)))
        if len(wrapped) > self.lines:
            wrapped = wrapped[: self.lines]
            last = wrapped[-1]
            last.rstrip()
            last.truncate(max(0, width - len(ELLIPSIS)))
            last.append(ELLIPSIS)
        return wrapped

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._shown(width))

    def render(self) -> Text:
        return Text("\n").join(self._shown(self.content_size.width))
