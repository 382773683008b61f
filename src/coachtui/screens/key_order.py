"""Keys that arrive in a burst land where they would have landed typed slowly.

Over a laggy SSH link keystrokes arrive batched. Textual hands each key to the
widget focused at the moment it is read, before the key before it has been
handled: `a` then "Call the CFO" sends the text to the checklist, not to the
commitment dialog that `a` opens, and `12<tab>6` in the calculator gives 126.

The app takes one key at a time: a key is held until the one before it has
gone all the way through (its handlers, bindings and the messages they
posted), the screen it opened is mounted and focused, and that screen's own
reading (the deal dialog's list of deals) is done. Typed slowly, nothing is
held. A key waits at most `HOLD_AT_MOST` for that: a key whose handling is
lost (its widget removed) cannot stop the keyboard. What the app has put off
until its own work is done (a session asked for before the team is computed,
at a start) is waited for until that work ends, and then as above.

Escape is the other casualty of a burst: the terminal sends it as the byte
that also starts escape sequences, and Textual waits for the rest of a
sequence, so `esc` then `j` arriving together read as alt+j, and text typed
after `esc` up to the next `esc` read as "^" and the text. `EscapeThenKey`
reads ESC and a key that starts no sequence as escape, then that key.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.dom import DOMNode
from textual.driver import Driver
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import WorkerState

from coachtui.screens.workers import asked_by

HOLD_AT_MOST = 1.0  # seconds a key waits for the one before it
RECHECK = 0.005
# keys never wait for the autosave (it may wait on a lock) nor for an import
# (it runs for seconds, and Escape stops it)
NOT_WAITED_FOR = frozenset({"autosave", "import"})
# TextArea loads with the Coach tab, after the first paint: until it has
# loaded, no widget is one
TEXT_AREA_MODULE = "textual.widgets._text_area"


ESC = "\x1b"
# what follows ESC in the sequences a terminal sends: CSI, SS3, OSC, DCS, APC, PM, ST
SEQUENCE_STARTS = frozenset("[O]P_^\\")


class EscapeThenKey(XTermParser):
    """ESC and then a key that starts no escape sequence are two keys, escape
    and that key (coachtui binds no alt+letter).

    `_sequence_to_key_events` is private to Textual's parser: textual is pinned
    exactly (pyproject.toml), and tests/test_keys_in_a_burst.py fails if it changes.
    """

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if len(sequence) == 2 and sequence[0] == ESC:
            key = sequence[1]
            if key.isprintable() and key not in SEQUENCE_STARTS:
                yield events.Key("escape", ESC)
                yield from super()._sequence_to_key_events(key)
                return
        yield from super()._sequence_to_key_events(sequence, alt)


def read_escape_then_key(driver: type[Driver]) -> None:
    """Make `driver` read the terminal with EscapeThenKey."""
    module = sys.modules[driver.__module__]
    if getattr(module, "XTermParser", None) is XTermParser:
        module.XTermParser = EscapeThenKey


def is_editor(widget: Widget) -> bool:
    """An Input or a TextArea: the widgets a printable key types into."""
    text_area = sys.modules.get(TEXT_AREA_MODULE)
    return isinstance(widget, Input) or (
        text_area is not None and isinstance(widget, text_area.TextArea)
    )


class KeyHandled(Message):
    """Posted after a key to the widget that got it: it bubbles to the app
    behind the key, so the app knows the key has gone through."""

    def __init__(self, key: events.Key) -> None:
        super().__init__()
        self.key = key


class KeysInOrder:
    """A mixin for the App (before App in the bases): keys in order, one at a time."""

    _held: deque[events.Key]
    _in_flight: events.Key | None = None  # sent, not yet through
    _settling = False  # through: what it set off is still going on
    _sent_at = 0.0
    _recheck: Timer | None = None

    def get_driver_class(self: App) -> type[Driver]:
        driver = super().get_driver_class()
        read_escape_then_key(driver)
        return driver

    async def on_event(self: App, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not hasattr(self, "_held"):
                self._held = deque()
            self._held.append(event)
            await self._send_held()
        else:
            await super().on_event(event)

    async def _send_held(self: App) -> None:
        """Send the held keys, each once the one before it has settled."""
        while self._held:
            if not self._key_may_go():
                self._check_again()
                return
            key = self._held.popleft()
            target = self.focused or self.screen
            self._sent_at = time.monotonic()
            await super().on_event(key)  # the priority bindings, else to the focus
            if not key.is_forwarded:  # a priority binding (F10) ran: let it settle
                self._settling = True
            elif not (key.is_printable and is_editor(target)):
                # it travels from `target` up to the app, KeyHandled behind it;
                # a character typed into a text box moves nothing: no wait
                self._in_flight = key
                target.post_message(KeyHandled(key))

    def on_key_handled(self: App, message: KeyHandled) -> None:
        message.stop()
        if message.key is self._in_flight:
            self._in_flight, self._settling = None, True
            # after what the key queued on the app (a focus() is a call_later)
            self.call_later(self._send_held)

    def _check_again(self: App) -> None:
        if self._recheck is None:
            self._recheck = self.set_timer(RECHECK, self._rechecked)

    async def _rechecked(self: App) -> None:
        self._recheck = None
        if self.screen_stack:  # none once the app has closed: nowhere to send them
            await self._send_held()

    def _key_may_go(self: App) -> bool:
        """Nothing asked for is put off, the key before has gone through and
        what it set off has settled."""
        if self.still_handling():  # then it settles, from the moment it is done
            self._settling, self._sent_at = True, time.monotonic()
            return False
        if time.monotonic() - self._sent_at > HOLD_AT_MOST:
            self._in_flight, self._settling = None, False  # do not wait any more
        if self._in_flight is not None or (self._settling and not self._screen_quiet()):
            return False
        self._settling = False
        return True

    def still_handling(self) -> bool:
        """Whether the app has put off what was asked for until work of its own
        is done (the team computed, say): the keys wait until it is done.
        Only for work that ends, in success or failure."""
        return False

    def _screen_quiet(self: App) -> bool:
        """Nothing left to do on the screen: it is mounted, no message waits in
        it or on the app, and its own readings (not the autosave) are done."""
        screen = self.screen
        if not screen.is_mounted or not self._message_queue.empty():
            return False
        nodes: set[DOMNode] = {screen, *screen.walk_children()}
        if any(not node._message_queue.empty() for node in nodes):
            return False
        return not any(
            asked_by(worker) in nodes
            and worker.group not in NOT_WAITED_FOR
            and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for worker in self.workers
        )
