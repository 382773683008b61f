"""Keys typed in one burst (over SSH, or quickly) after a key that moves the
focus: `n` then the note, `esc` then `a`, in one go.

Textual hands every key to the widget focused when the app reads it, and
checks the bindings once the key has come back up; by then `n` has moved the
focus to the notes, whose editor takes printable keys, so the keys after `n`
were dropped (and after `esc`, typed into the notes). A widget with this
mixin runs the bindings of the Coach tab as it reads their keys, and passes
on the keys it reads once the focus has gone elsewhere, in the order they
were typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.app import App


class ActsAtOnce:
    """A mixin for a focusable widget, first in its bases: its `_on_key` runs
    before the widget's own (an editor's inserts the character)."""

    app: App
    ancestors: list

    async def _on_key(self, event: events.Key) -> None:
        focused = self.app.focused
        if focused is not self:
            event.stop()
            event.prevent_default()
            if focused is not None:  # None: a dialog opening; not for this widget
                focused.post_message(events.Key(event.key, event.character))
            return
        if self.check_consume_key(event.key, event.character):  # type: ignore[attr-defined]
            return  # typed into an editor
        active = self.app.screen.active_bindings.get(event.key)
        if active is None or not active.enabled or not self._in_pane(active.node):
            return  # the app's keys (tabs, help, quit) go the usual way
        event.stop()
        event.prevent_default()
        await self.app.run_action(active.binding.action, active.node)

    def _in_pane(self, node: object) -> bool:
        """This widget or one of its own, below the screen."""
        if not isinstance(node, Widget) or isinstance(node, Screen):
            return False
        return node is self or node in self.ancestors
