"""A session is open in one coachtui at a time: two terminals that resumed one
session each saved their notes over the other's. Another process holds the
session here (locks are a process's: the app and a test share one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from coachtui.app import CoachApp
from coachtui.coaching import sessions as coaching
from coachtui.screens.coach import CoachPane
from coachtui.store.held import HeldSessions
from tests.conftest import TODAY, settle, wait_until

HOLD = """
import sys, time
from pathlib import Path
from coachtui.store.held import HeldSessions
held = HeldSessions(Path(sys.argv[1]))
assert held.hold(int(sys.argv[2]))
print("held", flush=True)
time.sleep(60)
"""


@pytest.fixture
def held_elsewhere():
    """Hold a session of a database in another process, until the test ends."""
    holders = []

    def hold(database: Path, session_id: int) -> subprocess.Popen:
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(database), str(session_id)],
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout.readline() == "held\n"
        return holder

    yield hold
    for holder in holders:
        holder.kill()
        holder.wait()


def test_a_session_held_by_another_process_cannot_be_held_until_it_ends(tmp_path, held_elsewhere):
    database = tmp_path / "team.db"
    holder = held_elsewhere(database, 7)
    here = HeldSessions(database)
    assert not here.hold(7) and here.held_elsewhere(7)
    assert here.hold(8) and not here.held_elsewhere(8)  # one byte a session
    holder.kill()  # kill -9: the system lets go of its locks
    holder.wait()
    assert not here.held_elsewhere(7) and here.hold(7)


def test_a_file_of_locks_that_is_a_link_holds_nothing_and_fails_nothing(tmp_path):
    database = tmp_path / "team.db"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("")
    Path(f"{database}.sessions-held").symlink_to(elsewhere)
    assert HeldSessions(database).hold(7)
    assert elsewhere.read_text() == ""


async def test_a_session_open_in_another_coachtui_is_not_opened_here(demo_store, held_elsewhere):
    session = coaching.start_or_resume(demo_store, "Emma Novak", None)
    held_elsewhere(demo_store.path, session.id)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        pane = app.query_one(CoachPane)
        header = pane.query_one("#coach-header", Static)
        await wait_until(pilot, lambda: "open in another coachtui" in str(header.render()))
        await pilot.press("1", "j", "j", "j", "j", "c")
        await settle(pilot)
        assert pane.state is None
        assert any("open in another coachtui" in n.message for n in app._notifications)
