"""The theme: the configured one, else ANSI colours on a 16-colour terminal;
and no colour at all with NO_COLOR."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from textual.app import App
from textual.filter import LineFilter, Monochrome, NoColor

from coachtui.settings import ANSI_THEMES, sixteen_colours

TERMINAL_COLOURS = NoColor()
# the app's CSS_PATH has the first paint's styles; these come after it
LATER_STYLES = Path(__file__).with_name("coachtui.tcss")


def choose_theme(wanted: str | None, available: Iterable[str]) -> tuple[str, str | None]:
    """The theme to use, and what to tell the manager when the configured one
    does not exist."""
    available = sorted(available)
    default = ANSI_THEMES[0] if sixteen_colours() else "textual-dark"
    if wanted and wanted not in available:
        return default, f"theme {wanted!r} is not one of: {', '.join(available)}"
    return wanted or default, None


def read_later_styles(app: App) -> None:
    """The other tabs' and the dialogs' styles, once the roster is painted: only
    this file is parsed (the stylesheet keeps what it parsed), then every screen
    open is styled again."""
    stylesheet = app.stylesheet
    if not stylesheet.has_source(str(LATER_STYLES), ""):
        stylesheet.read(LATER_STYLES)
        stylesheet.parse()
        for screen in app.screen_stack:
            stylesheet.update(screen)


class LegibleWithoutColour:
    """A mixin for the App: with NO_COLOR, the terminal's own two colours.

    Textual turns every colour into a grey under NO_COLOR (its Monochrome
    filter, chosen before the theme is known): red on the roster's dark rows
    became grey 237 on 235, and a 16-colour terminal (TERM=linux) got black on
    black everywhere. Text and ground are the terminal's default colours
    instead, and what colour marked is marked by bold, reverse or underline
    (the `:nocolor` rules of first_paint.tcss, the `▼` of a below-team cell).
    """

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = super().get_line_filters()  # type: ignore[misc]
        return [TERMINAL_COLOURS if isinstance(f, Monochrome) else f for f in filters]
