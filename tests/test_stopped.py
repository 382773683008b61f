"""ctrl+c: a command stops with one line and exit 130, and leaves nothing
half done (an import is one transaction; a backup or a demo half made is
removed)."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys

import adbc_driver_manager
import polars as pl
import pytest

from coachtui.cli import commands, main
from coachtui.importing import run, saving, writing
from coachtui.importing.sample import open_demo_database
from coachtui.review import frames
from coachtui.store import Store
from coachtui.store.stopped import ctrl_c_noted
from tests.conftest import FIXTURES, rows


def test_ctrl_c_while_an_import_writes_stops_it_and_changes_nothing(tmp_path, monkeypatch, capsys):
    """ADBC asks SQLite to cancel the statement, and, as SQLite cannot, raises
    that refusal from the KeyboardInterrupt: not a full disk."""
    db = tmp_path / "team.db"
    assert main(["import", "reps", str(FIXTURES / "sales_teams.csv"), "--db", str(db)]) == 0
    before = db.read_bytes()

    def interrupted(self, sql, frame):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as stop:
            raise adbc_driver_manager.NotSupportedError("NOT_IMPLEMENTED: cancel") from stop

    monkeypatch.setattr(writing._Bulk, "insert", interrupted)
    capsys.readouterr()
    assert main(["import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db)]) == 130
    assert capsys.readouterr().err == "coachtui: stopped (ctrl+c)\n"
    assert db.read_bytes() == before


def test_ctrl_c_in_a_report_is_one_line(monkeypatch, capsys, demo_db):
    def interrupted(_args):
        raise KeyboardInterrupt

    monkeypatch.setitem(commands.RUNNERS, "metrics", interrupted)
    assert main(["metrics", "--db", str(demo_db)]) == 130
    assert capsys.readouterr() == ("", "coachtui: stopped (ctrl+c)\n")


def test_ctrl_c_while_the_deals_are_first_read_is_not_a_damaged_database(
    monkeypatch, capsys, demo_db
):
    """The first read after an import goes through ADBC too (no kept files)."""

    def interrupted(*_args, **_kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as stop:
            raise adbc_driver_manager.NotSupportedError("NOT_IMPLEMENTED: cancel") from stop

    monkeypatch.setattr(frames, "read_kept_frames", lambda _files: None)
    monkeypatch.setattr(pl, "read_database", interrupted)
    assert main(["metrics", "--db", str(demo_db)]) == 130
    assert capsys.readouterr() == ("", "coachtui: stopped (ctrl+c)\n")


def test_a_stopped_command_ends_by_sigint_so_a_shell_loop_stops_too():
    """Exit status 130 alone reads to bash as a command that handled ctrl+c
    itself: `for f in *.csv; do coachtui import deals "$f"; done` would go on."""
    code = (
        "import sys; from coachtui.cli import commands; "
        "commands._main = lambda _args: commands.EXIT_STOPPED; "
        "sys.argv = ['coachtui', 'metrics']; commands.run()"
    )
    ended = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert ended.returncode == -signal.SIGINT


def test_a_backup_stopped_half_way_leaves_no_copy(tmp_path, store):
    target = tmp_path / "copy.db"
    real = store.conn

    class Stopping:
        def backup(self, _target):
            raise KeyboardInterrupt

        def __getattr__(self, name):
            return getattr(real, name)

    store.conn = Stopping()
    try:
        with pytest.raises(KeyboardInterrupt):
            store.backup(target)
    finally:
        store.conn = real
    assert not list(tmp_path.glob("copy.db*"))


def test_a_demo_build_stopped_half_way_leaves_nothing_taken_for_today(tmp_path, monkeypatch):
    """ctrl+c (or a full disk) after the reps and before the deals: the next
    start builds the demo anew instead of opening a team without deals."""
    demo, real_import = tmp_path / "demo.db", run.import_file

    def stopped_at_the_deals(store, kind, *args):
        if kind == "deals":
            raise KeyboardInterrupt
        return real_import(store, kind, *args)

    monkeypatch.setattr(run, "import_file", stopped_at_the_deals)
    with pytest.raises(KeyboardInterrupt):
        open_demo_database(demo)
    assert not list(tmp_path.iterdir())
    monkeypatch.setattr(run, "import_file", real_import)
    with open_demo_database(demo) as store:
        assert rows(store, "SELECT COUNT(*) > 2000 FROM deals") == [(1,)]
    assert sorted(p.name for p in tmp_path.iterdir() if "building" in p.name) == []


def test_a_demo_build_killed_half_way_is_never_taken_for_today(tmp_path):
    """A killed build runs no cleanup: it is built beside the demo, which is
    only ever a whole one; what the killed build left is cleared."""
    demo = tmp_path / "demo.db"
    with Store.open(tmp_path / "demo.db.building") as half:  # marked, no deals yet
        half.set_meta("demo", dt.date.today().isoformat())
    assert not demo.exists()
    with open_demo_database(demo) as store:
        assert rows(store, "SELECT COUNT(*) > 2000 FROM deals") == [(1,)]
    assert not (tmp_path / "demo.db.building").exists()


def test_ctrl_c_once_the_import_is_saved_says_so_and_it_is_in(tmp_path, monkeypatch, capsys):
    """Keeping the frames for the next start follows the commit: ctrl+c
    then stops that, and the import stands, said as such (exit 0)."""
    db = tmp_path / "team.db"

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "keep_after_import", interrupted)
    assert main(["import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert err == "coachtui: ctrl+c came once the import was saved: it is in\n"
    assert out.startswith("imported ") and f"from {FIXTURES / 'hubspot.csv'} (hubspot)" in out
    with Store.open(db) as store:
        assert rows(store, "SELECT COUNT(*) > 0 FROM deals") == [(1,)]


def test_ctrl_c_while_the_rows_are_written_waits_for_the_statement_then_rolls_back(
    tmp_path, monkeypatch, capsys
):
    """Raised between two lines, KeyboardInterrupt could leave the writer's
    generator open on the file: it is noted, and raised before the commit."""
    db = tmp_path / "team.db"
    assert main(["import", "reps", str(FIXTURES / "sales_teams.csv"), "--db", str(db)]) == 0
    before = db.read_bytes()
    real_save, went_on = saving.SAVERS["deals"], []

    def pressed_while_saving(writer, *args):
        signal.raise_signal(signal.SIGINT)
        went_on.append(True)  # not raised here
        return real_save(writer, *args)

    monkeypatch.setitem(saving.SAVERS, "deals", pressed_while_saving)
    capsys.readouterr()
    assert main(["import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db)]) == 130
    assert capsys.readouterr().err == "coachtui: stopped (ctrl+c)\n"
    assert went_on == [True]
    assert db.read_bytes() == before
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_import_started_with_sigint_ignored_is_not_stopped_by_it():
    """A job a script starts in the background has SIGINT ignored: the
    noting of ctrl+c around the import's writes leaves it so."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with ctrl_c_noted() as pressed:
            signal.raise_signal(signal.SIGINT)
            assert not pressed()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
