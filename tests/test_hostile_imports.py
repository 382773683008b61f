"""Imports of files that never end, lie about themselves or hold values that
cannot be true: refused quickly, with the line, and leaving nothing behind."""

from __future__ import annotations

from coachtui.cli import main
from tests.conftest import FIXTURES


def test_a_refused_import_into_a_new_database_leaves_no_file(tmp_path, capsys):
    bad = tmp_path / "exports" / "bad.csv"
    bad.parent.mkdir()
    bad.write_text("Deal ID,Owner,Stage,Amount\nD1,Ava,Open,lots\n")
    team = tmp_path / "team"
    team.mkdir(mode=0o700)
    assert main(["import", "deals", str(bad), "--db", str(team / "new.db")]) == 2
    assert "'lots' is not an amount" in capsys.readouterr().err
    good = FIXTURES / "hubspot.csv"
    assert main(["import", "deals", str(good), "--db", str(team / "new.db"), "--dry-run"]) == 0
    assert list(team.iterdir()) == []
    assert main(["import", "deals", str(good), "--db", str(team / "new.db")]) == 0
    assert main(["import", "deals", str(bad), "--db", str(team / "new.db")]) == 2
    assert (team / "new.db").exists()  # refused into a file that was there: it stays
