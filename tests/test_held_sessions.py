"""A session is open in one coachtui at a time: two terminals that resumed one
session each saved their notes over the other's. Another process holds the
session here (locks are a process's: the app and a test share one)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coachtui.app import CoachApp
from coachtui.coaching import sessions as coaching
from coachtui.screens.coach import CoachPane
from coachtui.store.held import HeldSessions
from tests.conftest import TODAY, settle

HOLD = """
import sys, time
from pathlib import Path
from coachtui.store.held import HeldSessions
held = HeldSessions(Path(sys.argv[1]))
assert held.hold(int(sys.argv[2]))
print("held", flush=True)
time.sleep(60)
"""


TRY = """
import sys
from pathlib import Path
from coachtui.store.held import HeldSessions
print(HeldSessions(Path(sys.argv[1])).hold(int(sys.argv[2])))
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
    assert not here.hold(7)
    assert here.hold(8)  # one byte a session
    holder.kill()  # kill -9: the system lets go of its locks
    holder.wait()
    assert here.hold(7)


def test_where_locks_cannot_be_had_every_session_may_be_held(tmp_path, monkeypatch):
    """A file system without locks (NFS without its lock daemon) said every
    session was held elsewhere: none could be resumed."""
    import errno

    from coachtui.store import held

    def no_locks(*_args):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(held.fcntl, "lockf", no_locks)
    assert HeldSessions(tmp_path / "team.db").hold(7)


@pytest.mark.parametrize("target", ["a file", "nothing"])
def test_a_file_of_locks_that_is_a_link_holds_nothing_and_fails_nothing(tmp_path, target):
    database = tmp_path / "team.db"
    elsewhere = tmp_path / "elsewhere"
    if target == "a file":
        elsewhere.write_text("")
    Path(f"{database}.sessions-held").symlink_to(elsewhere)
    assert HeldSessions(database).hold(7)
    assert (elsewhere.read_text() == "") if target == "a file" else not elsewhere.exists()


def refused(app) -> bool:
    return any("open in another coachtui" in n.message for n in app._notifications)


async def test_a_session_open_in_another_coachtui_is_not_opened_here(demo_store, held_elsewhere):
    session = coaching.start_or_resume(demo_store, "Emma Novak", None)
    held_elsewhere(demo_store.path, session.id)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "c")
        await settle(pilot)
        assert app.query_one(CoachPane).state is None and refused(app)


async def test_a_session_another_coachtui_starts_meanwhile_is_not_opened_here(
    demo_store, held_elsewhere, monkeypatch
):
    """Between this one finding no session of the rep's and starting one,
    another coachtui started it: both had it open."""
    from coachtui.coaching import records

    app = CoachApp(demo_store, today=TODAY)
    found = records.unfinished_session

    def started_elsewhere_meanwhile(store, rep):
        monkeypatch.setattr(records, "unfinished_session", found)
        session = coaching.start_or_resume(demo_store, rep, None)
        held_elsewhere(demo_store.path, session.id)
        return None  # what this one saw a moment before

    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(records, "unfinished_session", started_elsewhere_meanwhile)
        await pilot.press("j", "j", "j", "j", "c")
        await settle(pilot)
        assert app.query_one(CoachPane).state is None and refused(app)


async def test_a_session_that_fails_to_open_is_not_held(demo_store, monkeypatch):
    from coachtui.store import StoreError

    session = coaching.start_or_resume(demo_store, "Emma Novak", None)
    app = CoachApp(demo_store, today=TODAY)

    def busy(*_args, **_options):
        raise StoreError("the database is busy")

    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(coaching, "open_live_session", busy)
        await pilot.press("j", "j", "j", "j", "c")
        await settle(pilot)
        held_here = app.query_one(CoachPane).held
        probe = subprocess.run(
            [sys.executable, "-c", TRY, str(demo_store.path), str(session.id)],
            capture_output=True,
            text=True,
        )
        assert held_here is not None and probe.stdout.strip() == "True"
