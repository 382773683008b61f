"""The suite's apps do not animate (tests/conftest.py)."""

from __future__ import annotations

from textual.app import App


def test_apps_in_the_suite_do_not_animate():
    assert App().animation_level == "none"


def test_the_app_never_animates_whatever_textual_is_told(monkeypatch, demo_store):
    """Over SSH each frame of an animation is a repaint down the link, and the
    tab underline's, cut short by a summary pushed in the same burst of keys,
    stayed under the old tab."""
    from textual import constants

    from coachtui.app import CoachApp

    monkeypatch.setattr(constants, "TEXTUAL_ANIMATIONS", "full")
    assert App().animation_level == "full"
    assert CoachApp(demo_store).animation_level == "none"
