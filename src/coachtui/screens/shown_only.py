"""The main screen, drawn by a compositor that renders only what shows.

To redraw a changed region, Textual's compositor renders every widget whose
container overlaps the region, front to back, and keeps the front one's
cells. The session notes sit five containers deep in the Coach tab: a key
typed there rendered seventeen widgets for the one that changed, and took
1.5 times a bare TextArea's time to its frame. This compositor renders only
the widgets whose visible part meets the region, front to back, and stops at
the first that covers the region whole: nothing behind it can show there
(Textual keeps the front widget's cells, and a widget's lines are as wide as
it is). A full redraw is a region too: the whole screen.

Textual is pinned to one version (pyproject.toml); the compositor's
`_get_renders` is private to it, and tests/test_shown_only.py holds this one
to Textual's cell for cell.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip


class ShownOnlyCompositor(Compositor):
    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        crop = crop or self.size.region  # Textual's: none, or an empty one, is all
        for widget, (region, clip) in self.visible_widgets.items():
            shown = region.intersection(clip)
            if not crop.overlaps(shown):
                continue
            yield region, clip, widget.render_lines(shown.translate(-region.offset))
            if shown.contains_region(crop):
                return


class MainScreen(Screen[None]):
    """The screen of the tabs, under every dialog."""

    def __init__(self) -> None:
        super().__init__(id="_default")  # Textual's name for the first screen
        self._compositor = ShownOnlyCompositor()
