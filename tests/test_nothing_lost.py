"""No coaching note is lost: a real process killed mid-sentence, and two
managers writing while a third process re-imports deals."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable

from coachtui.store import Store
from tests.conftest import rows


class Terminal:
    """coachtui with these arguments in a pseudo-terminal of 100x30, as over SSH."""

    def __init__(self, db, *args: str) -> None:
        self.screen = bytearray()
        self.fd, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.app = subprocess.Popen(
            [sys.executable, "-m", "coachtui", *args, "--db", str(db)],
            stdin=child,
            stdout=child,
            stderr=child,
            start_new_session=True,
            env={**os.environ, "TERM": "xterm-256color"},
        )
        os.close(child)

    def pause(self, seconds: float) -> None:
        """Wait, reading the screen meanwhile so the app never blocks on its output."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.02)
            if ready:
                with contextlib.suppress(OSError):
                    self.screen.extend(os.read(self.fd, 65536))

    def wait_until(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, bytes(self.screen[-2000:])
            self.pause(0.1)

    def wait_for(self, text: bytes) -> None:
        self.wait_until(lambda: text in self.screen)

    def type(self, text: str, per_key: float = 0.0) -> None:
        for char in text if per_key else [text]:
            os.write(self.fd, char.encode())
            self.pause(per_key)

    def close(self) -> None:
        if self.app.poll() is None:
            self.app.kill()
        with contextlib.suppress(OSError):  # closed already when the terminal hung up
            os.close(self.fd)


TYPED = 60  # characters typed without a pause, 15 a second


def coached_notes(db):
    with Store.open(db) as store:
        return rows(store, "SELECT notes, ended_at FROM coaching_sessions")


def test_killing_the_app_loses_at_most_what_was_typed_since_the_last_pause(demo_db):
    terminal = Terminal(demo_db, "coach", "Emma Novak")
    try:
        terminal.wait_for(b"Checklist")  # the Coach tab is up
        terminal.pause(1.0)
        terminal.type("n")
        terminal.pause(0.3)
        terminal.type("Emma will book the CFO", per_key=0.02)
        # a pause in typing: the autosave writes
        terminal.wait_until(lambda: coached_notes(demo_db) == [("Emma will book the CFO", None)])
        terminal.type(" and then")  # typed, not yet saved when the line drops
        terminal.pause(0.1)
        terminal.app.send_signal(signal.SIGKILL)
        terminal.app.wait(10)
    finally:
        terminal.close()
    assert coached_notes(demo_db) == [("Emma will book the CFO", None)]


def test_typing_without_a_pause_is_saved_every_second(demo_db):
    """Four seconds of typing with no pause, then kill -9: what was typed up to
    about a second before the kill is in the database (saved every two
    seconds, the last two seconds of four would be lost)."""
    db = demo_db
    terminal = Terminal(db, "coach", "Emma Novak")
    text = "Emma will map the buying group at Pinnacle and book the CFO before Friday " * 2
    try:
        terminal.wait_for(b"Checklist")
        terminal.pause(1.0)
        terminal.type("n")
        terminal.pause(0.3)
        start = time.monotonic()
        terminal.type(text[:TYPED], per_key=0.05)  # 4 s, never a pause of 0.3 s
        typing = time.monotonic() - start
        terminal.app.send_signal(signal.SIGKILL)
        terminal.app.wait(10)
    finally:
        terminal.close()
    [(notes, _ended)] = coached_notes(db)
    assert text.startswith(notes)
    # typed at about 15 keys a second: at most the last second, and what the slow
    # machine did not read yet, are lost
    assert len(notes) >= TYPED * (typing - 1.5) / typing, (len(notes), typing)


def test_a_dropped_connection_saves_everything_typed(demo_db):
    """SIGHUP mid-sentence, with no pause for the autosave: the text is saved."""
    terminal = Terminal(demo_db, "coach", "Emma Novak")
    try:
        terminal.wait_for(b"Checklist")
        terminal.pause(1.0)
        terminal.type("n")
        terminal.pause(0.3)
        terminal.type("call dropped mid-sen")
        terminal.pause(0.1)  # less than the autosave pause
        terminal.app.send_signal(signal.SIGHUP)
        assert terminal.app.wait(15) == 0
    finally:
        terminal.close()
    assert coached_notes(demo_db) == [("call dropped mid-sen", None)]


def test_the_app_ends_when_its_terminal_goes_away_as_it_starts(demo_db):
    """The window closed (or SSH dropped) the moment the roster showed: the
    terminal is gone before the SIGHUP, and the process must still end."""
    for _ in range(3):
        terminal = Terminal(demo_db)
        try:
            terminal.wait_for(b"12 reps")
            os.close(terminal.fd)
            terminal.app.send_signal(signal.SIGHUP)
            assert terminal.app.wait(15) == 0
        finally:
            terminal.close()


WRITER = """
import sys
from pathlib import Path
from coachtui.coaching import commitments
from coachtui.coaching import sessions as coaching
from coachtui.store import Store
db, rep, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Store.open(db) as store:
    session = coaching.start_or_resume(store, rep, None)
    for n in range(count):
        coaching.save_question(store, session.id, f"q{n}", text=f"{rep} note {n}")
        commitments.add_commitment(store, session.id, rep, f"{rep} commitment {n}")
print("done")
"""

IMPORTER = """
import sys
from pathlib import Path
from coachtui.importing import import_file
from coachtui.store import Store
db, export, times = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
with Store.open(db) as store:
    for _ in range(times):
        import_file(store, "deals", export)
print("done")
"""


def test_two_managers_and_an_import_at_once(tmp_path):
    db = tmp_path / "shared.db"
    Store.open(db).close()
    big = tmp_path / "deals.csv"
    lines = ["deal_id,rep,stage,amount,created_date"]
    lines += [f"D{n},Rep {n % 40},Prospecting,{n},2026-01-01" for n in range(20_000)]
    big.write_text("\n".join(lines) + "\n")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), rep, "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rep in ("Ava", "Ben")
    ]
    procs.append(
        subprocess.Popen(
            [sys.executable, "-c", IMPORTER, str(db), str(big), "3"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    )
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "database is locked" not in err
        assert out.strip() == "done"
    with Store.open(db) as store:
        for rep in ("Ava", "Ben"):
            notes = rows(
                store,
                "SELECT COUNT(*) FROM question_notes q JOIN coaching_sessions s "
                "ON s.id = q.session_id WHERE s.rep = ?",
                rep,
            )
            assert notes == [(60,)]
            assert rows(store, "SELECT COUNT(*) FROM commitments WHERE rep = ?", rep) == [(60,)]
        assert rows(store, "SELECT COUNT(*) FROM deals") == [(20_000,)]
