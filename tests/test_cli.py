"""The command line, run as a user runs it: a real process."""

from __future__ import annotations

import gc
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coachtui.cli import commands
from tests.command_line import coachtui, coachtui_here
from tests.conftest import FIXTURES


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
        "coachtui: cannot import bad.csv: 1 invalid value; nothing was changed.",
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


def test_a_command_that_reads_leaves_no_database_where_there_was_none(tmp_path, private_home):
    """A mistyped --db, or no import yet: said, and no empty database made."""
    typo = tmp_path / "tema.db"
    advice = f"import deals first (coachtui import deals FILE --db {typo})"
    default = private_home / "xdg_data_home" / "coachtui" / "coachtui.db"
    for command in (
        ["metrics"],
        ["brief", "Ann"],
        ["impact"],
        ["commitments"],
        ["export", "sessions"],
    ):
        result = coachtui_here(*command, "--db", str(typo))
        assert (result.returncode, result.stderr) == (
            2,
            f"coachtui: no database at {typo}: {advice}\n",
        )
        result = coachtui_here(*command)
        assert result.stderr == f"coachtui: no database at {default}: import deals first " + (
            "(coachtui import deals FILE)\n"
        )
    assert coachtui_here("coach", "Ann", "--db", str(typo)).returncode == 2
    assert not typo.exists() and not default.exists()


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


def test_every_command_takes_demo_and_builds_the_demo_database(tmp_path):
    from coachtui.importing.sample import demo_database_path

    assert not demo_database_path().exists()
    metrics = coachtui("metrics", "--demo", "--rep", "Emma Novak", cwd=tmp_path)
    assert metrics.returncode == 0, metrics.stderr
    assert "Emma Novak" in metrics.stdout and demo_database_path().exists()
    for args in (("export", "sessions"), ("commitments",), ("brief", "Emma Novak")):
        result = coachtui(*args, "--demo", cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
    both = coachtui("metrics", "--demo", "--db", str(tmp_path / "x.db"))
    assert both.returncode == 2 and "--demo or --db, not both" in both.stderr


def readme_examples() -> list[str]:
    """The shell lines of the README's examples that use the demo team."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if "--demo" in line]


def test_the_readme_examples_run_as_written_after_the_quick_start(tmp_path):
    """The quick start opens the demo; every example with --demo then works."""
    examples = readme_examples()
    assert len(examples) >= 9
    define = f'coachtui() {{ "{sys.executable}" -m coachtui "$@"; }}\n'
    for line in examples:
        result = subprocess.run(
            ["bash", "-c", define + line],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=120,
        )
        assert result.returncode == 0, (line, result.stderr)
    assert (tmp_path / "sessions.md").exists()


def test_the_demo_says_where_its_database_is_on_exit(tmp_path):
    from tests.test_nothing_lost import Terminal

    db = tmp_path / "demo.db"
    terminal = Terminal(db, "demo")
    try:
        terminal.wait_for(b"12 reps")
        terminal.type("q")
        terminal.wait_for(b"--demo to use it")
        assert terminal.app.wait(15) == 0
    finally:
        terminal.close()
    said = terminal.screen.decode(errors="replace").replace("\r\n", "\n")
    assert f"The demo database: {db}" in said.replace("\n", "")


@pytest.mark.parametrize(
    "command, collected",
    [
        (["metrics"], ["off", "metrics", "frozen"]),
        (["brief", "Hana Kim"], ["off", "brief", "frozen"]),
        (["impact"], ["off", "impact", "frozen"]),
        (["commitments"], ["commitments", "frozen"]),
        (["import", "deals", "deals.csv"], ["import", "frozen"]),
        (["demo"], ["demo"]),
        ([], [None]),
    ],
)
def test_the_collector_off_while_the_numbers_are_computed_and_for_the_exit(
    monkeypatch, command, collected
):
    """`coachtui` as a process (`run`): the collector off from the start for
    the numbers, what was made frozen for every command's exit but the app's."""
    seen = []
    monkeypatch.setattr(sys, "argv", ["coachtui", *command])
    monkeypatch.setattr(gc, "disable", lambda: seen.append("off"))
    monkeypatch.setattr(gc, "freeze", lambda: seen.append("frozen"))
    monkeypatch.setattr(commands, "_main", lambda args: seen.append(args.command) or 3)
    with pytest.raises(SystemExit) as exit_:
        commands.run()
    assert exit_.value.code == 3
    assert seen == collected


@pytest.mark.parametrize("days", ["0", "-5"])
def test_a_window_of_no_days_is_refused_not_taken_for_the_default(tmp_path, days):
    db = tmp_path / "team.db"
    assert (
        coachtui("import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db)).returncode == 0
    )
    for command in (["metrics"], ["brief", "Hana Kim"], ["impact"]):
        result = coachtui(*command, "--db", str(db), f"--days={days}")
        assert result.returncode == 2, command
        assert result.stderr == "coachtui: --days must be a positive number of days\n", command


def test_a_file_name_with_escape_codes_is_shown_not_obeyed(tmp_path):
    """A name in a shared folder can carry a terminal's codes (here one that
    sets the window's title): the refusal shows them."""
    named = tmp_path / "deals\x1b]0;owned\x07.csv"
    named.write_text("Record ID,Deal owner,Deal Stage,Amount\n1,Hana Kim,Closed Won,lots\n")
    result = coachtui("import", "deals", str(named), "--db", str(tmp_path / "team.db"))
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "deals^[]0;owned^G.csv" in result.stderr
