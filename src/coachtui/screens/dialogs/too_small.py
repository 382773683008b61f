"""Below 80x24 the layout cannot hold: say so instead of drawing a broken screen."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

from coachtui.settings import MIN_HEIGHT, MIN_WIDTH


def follow_size(app: App, size: Size) -> None:
    """Cover the app with TooSmall while the window is below the minimum."""
    too_small = size.width < MIN_WIDTH or size.height < MIN_HEIGHT
    showing = isinstance(app.screen, TooSmall)
    if too_small and not showing:
        app.push_screen(TooSmall())
    elif not too_small and showing:
        app.pop_screen()


class TooSmall(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self._say()

    def on_resize(self) -> None:
        self._say()

    def _say(self) -> None:
        size = self.app.size
        self.query_one(Static).update(
            f"coachtui needs a window of at least {MIN_WIDTH}x{MIN_HEIGHT}; this one is "
            f"{size.width}x{size.height}.\nMake the window larger: everything you typed is kept."
        )
