"""The suite's apps do not animate (tests/conftest.py)."""

from __future__ import annotations

from textual.app import App


def test_apps_in_the_suite_do_not_animate():
    assert App().animation_level == "none"
