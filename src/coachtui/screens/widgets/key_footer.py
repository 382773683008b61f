"""The line of keys at the bottom, as Textual's Footer draws it, in one widget.

Footer builds a widget per key, and builds them all again, each styled on its
own, whenever the keys change: at every move of the focus between a table and
a text box, and six times for a commitment dialog opened and closed. That was
a fifth of all the work the app did in its test suite; here a change of keys
redraws one line. It looks the same: each key with its label, the command
palette's key at the right, and a click on a key does what the key does.
(Footer also dims a key that an app's check_action disables; coachtui has no
such check.) Unlike Footer, it leaves out every key a text box takes as text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.keys import REPLACED_KEYS, key_to_character
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

PALETTE_EDGE = "▏"  # Footer's border at the left of the palette's key (vkey)


class Key(NamedTuple):
    """One key shown: how it is written, its label, and what it does where."""

    shown: str
    label: str
    action: str
    node: DOMNode


def typed(key: str) -> str | None:
    """The character a key types into a text box; None for a key that types
    none (F10, escape, ctrl+ combinations). Textual's `key_to_character`
    misses the keys it names other than by the character's Unicode name
    (plus, minus, slash, at, backslash, underscore): its own filter of the
    keys a text box takes let "+/- Rate" through."""
    return key_to_character(REPLACED_KEYS.get(key, key))


def taken_as_text(key: str, screen: Screen) -> bool:
    """Whether the widget with the focus takes the key first: a text box
    takes a printable key without modifiers, types it and stops it there,
    before the bindings hear of it (but the priority ones: F10, ctrl+q)."""
    focused = screen.focused
    return focused is not None and focused.check_consume_key(key, typed(key))


def keys_shown(screen: Screen) -> tuple[list[Key], Key | None]:
    """The keys a footer on `screen` shows now (one per action, as Footer does),
    and the command palette's, which Footer puts at the right."""
    app = screen.app
    keys: dict[str, Key] = {}
    palette = None
    for key, (node, binding, _enabled, _tooltip) in screen.active_bindings.items():
        if taken_as_text(key, screen):
            continue
        shown = Key(app.get_key_display(binding), binding.description, binding.action, node)
        if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
            palette = shown
        elif binding.show:
            keys.setdefault(binding.action, shown)
    return list(keys.values()), palette


class KeyFooter(Widget):
    """The keys that act now, with their labels, on one line at the bottom."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-footer--key", "key-footer--label", "key-footer--edge"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--label {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, Key]] = []  # where each key is drawn, in cells

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, screen: Screen) -> None:
        if screen.app.app_focus:  # as Footer: not while the terminal has lost the focus
            self.refresh()

    def render(self) -> Text:
        """The keys in order as long as each fits whole, then the palette's
        key at the right: a key cut in two ("a C" for "a Commit") reads as
        another; those left out are in the help (`?`)."""
        keys, palette = keys_shown(self.screen)
        key_style = self.get_component_rich_style("key-footer--key")
        label_style = self.get_component_rich_style("key-footer--label")
        right = Text(end="")
        if palette is not None:
            right.append(PALETTE_EDGE, self.get_component_rich_style("key-footer--edge"))
            right.append(palette.shown, key_style)
            right.append(f" {palette.label} ", label_style)
        left_cells = max(0, self.size.width - right.cell_len)
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for key in keys:
            drawn = Text.assemble((f" {key.shown} ", key_style), (f"{key.label} ", label_style))
            if line.cell_len + drawn.cell_len > left_cells:
                break
            self._spans.append((line.cell_len, line.cell_len + drawn.cell_len, key))
            line.append_text(drawn)
        if palette is None:
            return line
        line.pad_right(left_cells - line.cell_len)
        self._spans.append((left_cells + cell_len(PALETTE_EDGE), self.size.width, palette))
        return line + right

    async def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                await self.app.run_action(key.action, key.node)
                return
