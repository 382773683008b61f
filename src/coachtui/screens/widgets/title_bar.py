"""The line at the top: the icon and the app's title, as Textual's Header
draws them, in one widget instead of Header's four (and their styles) before
the first paint."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget

ICON = "◆"
# Header's icon takes 8 cells at the left and its clock space 10 at the right;
# the title is centred between them
ICON_CELLS, CLOCK_CELLS = 8, 10


class TitleBar(Widget):
    """The icon (a click opens the command palette, as Header's does) and the title."""

    def render(self) -> Text:
        title = self.app.title
        between = self.size.width - ICON_CELLS - CLOCK_CELLS
        left = ICON_CELLS + max(0, (between - cell_len(title)) // 2)
        line = Text(f" {ICON}".ljust(left), no_wrap=True, overflow="ellipsis")
        line.append(title)
        return line

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_CELLS:
            event.stop()
            await self.run_action("app.command_palette")
