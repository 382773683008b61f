"""The suite's shorter Pilot waits and its apps without animation (tests/conftest.py)."""

from __future__ import annotations

from textual import _wait
from textual.app import App

from tests.conftest import PILOT_IDLE_SLEEP


def test_pilot_waits_for_idle_as_set():
    # wait_for_idle reads the two names at each call: if textual renames or
    # binds them once, the suite is back to 40 ms a key and this fails
    assert {"SLEEP_GRANULARITY", "SLEEP_IDLE"} <= set(_wait.wait_for_idle.__code__.co_names)
    assert _wait.SLEEP_GRANULARITY == PILOT_IDLE_SLEEP
    assert _wait.SLEEP_IDLE == PILOT_IDLE_SLEEP / 20


def test_apps_in_the_suite_do_not_animate():
    assert App().animation_level == "none"
