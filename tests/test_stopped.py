"""ctrl+c: a command stops with one line and exit 130, and leaves nothing
half done (an import is one transaction; a backup or a demo half made is
removed)."""

from __future__ import annotations

import adbc_driver_manager
import pytest

from coachtui.cli import commands, main
from coachtui.importing import run, writing
from coachtui.importing.sample import open_demo_database
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


def test_a_backup_stopped_half_way_leaves_no_copy(tmp_path, store):
    target = tmp_path / "copy.db"
    real = store.conn

    class Stopping:
        def backup(self, _target):
            raise KeyboardInterrupt

        def __getattr__(self, name):
            return getattr(real, name)

    store.conn = Stopping()
    with pytest.raises(KeyboardInterrupt):
        store.backup(target)
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
    assert not demo.exists()
    monkeypatch.setattr(run, "import_file", real_import)
    with open_demo_database(demo) as store:
        assert rows(store, "SELECT COUNT(*) > 2000 FROM deals") == [(1,)]
