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

from coachtui.demo import build_demo_database
from coachtui.store import Store
from tests.conftest import TODAY, rows


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_killing_the_app_loses_at_most_the_last_second(tmp_path):
    db = tmp_path / "demo.db"
    build_demo_database(db, today=TODAY).close()
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    app = subprocess.Popen(
        [sys.executable, "-m", "coachtui", "coach", "Emma Novak", "--db", str(db)],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    output = bytearray()

    def screen_shows(text: bytes) -> bool:
        try:
            while True:
                ready, _, _ = select.select([main], [], [], 0.05)
                if not ready:
                    break
                output.extend(os.read(main, 65536))
        except OSError:
            pass
        return text in output

    def pause(seconds: float) -> None:
        """Wait, reading the screen meanwhile so the app never blocks on its output."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen_shows(b"")

    try:
        # the Coach tab is up when the session's checklist shows
        assert wait_for(lambda: screen_shows(b"Checklist")), output[-2000:]
        pause(1.0)
        os.write(main, b"n")
        pause(0.3)
        for char in "Emma will book the CFO":
            os.write(main, char.encode())
            pause(0.02)
        pause(1.5)  # a pause in typing: the autosave writes
        os.write(main, b" and then")  # typed, not yet saved when the line drops
        pause(0.1)
        app.send_signal(signal.SIGKILL)
        app.wait(10)
    finally:
        if app.poll() is None:
            app.kill()
        os.close(main)
    with Store.open(db) as store:
        notes = rows(store, "SELECT notes, ended_at FROM coaching_sessions")
    assert notes == [("Emma will book the CFO", None)]


WRITER = """
import sys
from pathlib import Path
from coachtui import coaching
from coachtui.store import Store
db, rep, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Store.open(db) as store:
    session = coaching.start_or_resume(store, rep, None)
    for n in range(count):
        coaching.save_question(store, session.id, f"q{n}", text=f"{rep} note {n}")
        coaching.add_commitment(store, session.id, rep, f"{rep} commitment {n}")
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


def test_a_dropped_connection_saves_everything_typed(tmp_path):
    """SIGHUP mid-sentence, with no pause for the autosave: the text is saved."""
    db = tmp_path / "demo.db"
    build_demo_database(db, today=TODAY).close()
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    app = subprocess.Popen(
        [sys.executable, "-m", "coachtui", "coach", "Emma Novak", "--db", str(db)],
        stdin=child,
        stdout=child,
        stderr=child,
        start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(child)
    seen = bytearray()

    def pause(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.05)
            if ready:
                with contextlib.suppress(OSError):
                    seen.extend(os.read(main, 65536))

    try:
        assert wait_for(lambda: pause(0.1) or b"Checklist" in seen)
        pause(1.0)
        os.write(main, b"n")
        pause(0.3)
        os.write(main, b"call dropped mid-sen")
        pause(0.2)  # less than the autosave pause
        app.send_signal(signal.SIGHUP)
        assert app.wait(15) == 0
    finally:
        if app.poll() is None:
            app.kill()
        os.close(main)
    with Store.open(db) as store:
        assert rows(store, "SELECT notes, ended_at FROM coaching_sessions") == [
            ("call dropped mid-sen", None)
        ]
