"""The command line, run as a user runs it: a real process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.conftest import FIXTURES


def coachtui(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coachtui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_import_prints_mapping_and_summary(tmp_path):
    db = tmp_path / "team.db"
    result = coachtui(
        "import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "hubspot layout, utf-8; columns used:" in result.stdout
    assert "  rep                <- Deal owner" in result.stdout
    assert result.stdout.rstrip().endswith("3 new, 0 updated, 0 unchanged")
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM deals").fetchone() == (3,)
    written = {p.name for p in tmp_path.iterdir()}
    assert "team.db" in written and written <= {"team.db", "team.db-wal", "team.db-shm"}


def test_bad_file_exits_2_with_no_traceback_and_no_change(tmp_path):
    db = tmp_path / "team.db"
    assert (
        coachtui("import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db)).returncode == 0
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("Record ID,Deal owner,Deal Stage,Amount\n9001,Hana Kim,Closed Won,lots\n")
    result = coachtui("import", "deals", str(bad), "--db", str(db))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "coachtui: cannot import bad.csv: 1 invalid values; nothing was changed.",
        "  bad.csv, line 2, column 'Amount': 'lots' is not an amount",
    ]
    assert sqlite3.connect(db).execute(
        "SELECT stage FROM deals WHERE deal_id = '9001'"
    ).fetchone() == ("Appointment Scheduled",)


def test_map_option_and_env_database(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("Ref,Person,Phase\nR1,Ava,Open\n")
    db = tmp_path / "env.db"
    result = coachtui(
        "import",
        "deals",
        str(export),
        "--map",
        "rep=Person",
        "--map",
        "stage=Phase",
        "--map",
        "deal_id=Ref",
        env={"COACHTUI_DB": str(db)},
    )
    assert result.returncode == 0, result.stderr
    assert sqlite3.connect(db).execute("SELECT deal_id, rep, stage FROM deals").fetchall() == [
        ("R1", "Ava", "Open")
    ]
    malformed = coachtui(
        "import", "deals", str(export), "--map", "rep", env={"COACHTUI_DB": str(db)}
    )
    assert malformed.returncode == 2
    assert "--map wants FIELD=COLUMN" in malformed.stderr


def test_default_database_lives_in_the_data_folder_not_the_cwd(tmp_path, private_home):
    work = tmp_path / "work"
    work.mkdir()
    result = coachtui("import", "reps", str(FIXTURES / "sales_teams.csv"), cwd=work)
    assert result.returncode == 0, result.stderr
    assert list(work.iterdir()) == []
    assert (private_home / "xdg_data_home" / "coachtui" / "coachtui.db").exists()


def test_foreign_database_is_refused(tmp_path):
    db = tmp_path / "notes.txt"
    db.write_text("not a database")
    result = coachtui("import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db))
    assert result.returncode == 2
    assert "is not a coachtui database" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_text() == "not a database"


def test_usage_errors_exit_2(tmp_path):
    result = coachtui("import", "widgets", "x.csv")
    assert result.returncode == 2
    assert "invalid choice: 'widgets'" in result.stderr


def test_coach_an_unknown_rep_names_the_closest(tmp_path):
    db = tmp_path / "team.db"
    coachtui("import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db))
    result = coachtui("coach", "Hanna Kim", "--db", str(db))
    assert result.returncode == 2
    assert result.stderr.strip() == "coachtui: no rep named 'Hanna Kim'; closest: Hana Kim"
