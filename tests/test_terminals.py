"""Small windows, 16 colours, NO_COLOR, remapped keys and a chosen theme."""

from __future__ import annotations

import subprocess
import sys

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
        assert "at least 80x24; this one is 70x20" in str(
            app.screen.query_one("#too-small").render()
        )
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
        assert app.query_one("RosterPane").sort_key == "open_pipeline"


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
