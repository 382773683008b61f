"""Small windows, 16 colours, NO_COLOR, remapped keys and a chosen theme."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coachtui.app import CoachApp
from coachtui.screens.dialogs.help import binding_ids
from coachtui.screens.dialogs.too_small import TooSmall
from coachtui.settings import Settings
from tests.conftest import TODAY, settle


async def test_below_80x24_says_make_the_window_larger(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmall)
        said = str(app.screen.query_one("#too-small").render())
        assert "at least 80x24; this one is 70x20" in said
        assert "\\n" not in said and "20.\nMake the window larger" in said
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmall)
        await pilot.resize_terminal(79, 24)
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)


async def test_keys_can_be_remapped_in_the_configuration(demo_store):
    settings = Settings(keys={"roster.sort": "o", "review.window": "W"})
    app = CoachApp(demo_store, settings, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert app.query_one("RosterPane").sort_key == "focus"


async def test_unknown_theme_and_binding_are_named_and_defaults_used(demo_store):
    settings = Settings(theme="neon", keys={"no.such": "x"})
    app = CoachApp(demo_store, settings, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("theme 'neon' is not one of" in m for m in messages)
        assert any("no binding named no.such" in m for m in messages)
        assert app.theme == "textual-dark"


async def test_a_configured_theme(demo_store):
    app = CoachApp(demo_store, Settings(theme="gruvbox"), today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "gruvbox"


def test_every_binding_has_an_id_to_remap():
    ids = binding_ids()
    assert {"quit", "session.end", "roster.sort", "coach.notes", "review.window"} <= ids


async def test_term_linux_gets_the_ansi_theme(demo_store, monkeypatch):
    monkeypatch.setenv("TERM", "linux")
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "ansi-dark"


def test_the_help_knows_every_key_without_loading_the_app():
    """keys.py holds the bindings: the help needs neither the app nor the panes."""
    code = (
        "import sys\n"
        "from coachtui.screens.dialogs.help import binding_ids\n"
        "assert 'coach.commit' in binding_ids()\n"
        "print(sorted(m for m in sys.modules if m == 'coachtui.app' or "
        "m.startswith(('coachtui.screens.coach', 'coachtui.screens.roster'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def luminance(colour) -> float:
    red, green, blue = colour.get_truecolor()
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def unreadable(app) -> list[str]:
    """Text drawn in (nearly) the colour of its ground, as the terminal gets it."""
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            style = segment.style
            if not segment.text.strip() or style is None:
                continue
            ink, ground = style.color, style.bgcolor
            if style.reverse:
                ink, ground = ground, ink
            if ink is None or ground is None or ink.is_default or ground.is_default:
                continue  # the terminal's own pair of colours
            if abs(luminance(ink) - luminance(ground)) < 0.3:
                found.append(f"line {y}: {segment.text!r} {ink.name} on {ground.name}")
    return found


@pytest.mark.parametrize("keys", [(), ("j", "j", "j", "j", "c")], ids=["roster", "coach"])
@pytest.mark.parametrize(
    "environ",
    [{"NO_COLOR": "1"}, {"NO_COLOR": "1", "TERM": "linux"}],
    ids=["no_color", "linux_no_color"],
)
async def test_no_text_in_the_colour_of_its_ground(demo_store, monkeypatch, environ, keys):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        assert unreadable(app) == []
        if not keys:  # a below-team cell: marked, and bold
            strips = app.screen._compositor.render_strips()
            below = [s for strip in strips[5:] for s in strip if "▼" in s.text]
            assert below and all(s.style.bold for s in below)


def test_the_help_lists_every_key_of_every_tab_and_dialog():
    from textual.binding import Binding

    from coachtui.screens import keys
    from coachtui.screens.dialogs.help import sections

    bound = {
        b.id
        for name in dir(keys)
        if isinstance(getattr(keys, name), list)
        for b in getattr(keys, name)
        if isinstance(b, Binding)
    }
    assert bound <= binding_ids()  # shown, and so remappable by id
    history = dict(sections())["History"]
    assert {"enter", "a"} <= {b.key for b in history}
    summary = next(b for title, bs in sections() if title.startswith("A session's") for b in bs)
    assert summary.key == "y" and summary.id == "summary.copy"
