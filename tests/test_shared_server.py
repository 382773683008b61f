"""On a server other people log in to: coachtui uses no folder and reads back
no file that another user could have prepared, and writes through no link.

The tests run as root here, so "another user" is real: a folder or file
chown-ed to a uid that is nobody's, or a folder whose mode lets others write.
"""

from __future__ import annotations

import os
import pty
import stat
import subprocess
import sys
import time

import polars as pl
import pytest

from coachtui.cli import main
from coachtui.errors import UnsafePath
from coachtui.paths import cache_dir, cache_problem, file_problem, folder_problem
from coachtui.review.frames import read_deal_data, read_deal_data_kept
from coachtui.store import Store
from tests.command_line import coachtui
from tests.conftest import FIXTURES

STRANGER = 12345  # a uid nobody has: "another user"
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(capsys, *args: str) -> tuple[int, str]:
    """The command line: (exit code, what it said on stderr). In this process,
    but the demo, which needs a terminal."""
    if args[0] == "demo":
        result = with_a_terminal(*args)
        return result.returncode, result.stderr
    code = main(list(args))
    return code, capsys.readouterr().err


# -- folders ------------------------------------------------------------------


@pytest.fixture
def team_folder(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir(mode=0o700)
    return folder


def folders(private_home, team_folder) -> dict:
    return {
        "data": private_home / "xdg_data_home" / "coachtui",
        "config": private_home / "xdg_config_home" / "coachtui",
        "--db": team_folder,
    }


COMMANDS = [
    ("import", "deals", str(FIXTURES / "hubspot.csv")),
    ("metrics",),
    ("export", "sessions"),
    ("backup",),
    ("coach", "Ava"),
    ("demo",),
]


@pytest.mark.parametrize("which", ["data", "config", "--db"])
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_folder_others_may_write_to_stops_every_command(
    private_home, team_folder, capsys, which, command
):
    db = team_folder / "team.db"
    Store.open(db).close()
    before = db.read_bytes()
    folder = folders(private_home, team_folder)[which]
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o777)
    code, said = run(capsys, *command, "--db", str(db))
    assert code == 2
    assert said.startswith(f"coachtui: {folder} is writable by others (mode 777)")
    assert said.rstrip().endswith(f"Fix: chmod 700 '{folder}'")
    assert db.read_bytes() == before


@needs_root
def test_a_folder_of_another_user_stops_the_command(private_home, capsys):
    folder = private_home / "xdg_data_home" / "coachtui"
    folder.mkdir(parents=True)
    os.chown(folder, STRANGER, STRANGER)
    code, said = run(capsys, "import", "deals", str(FIXTURES / "hubspot.csv"))
    assert code == 2
    assert f"{folder} belongs to uid {STRANGER}, not to you" in said
    assert "point XDG_DATA_HOME at a folder of your own" in said
    assert list(folder.iterdir()) == []


def test_the_owner_test_compares_with_the_user(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o700)
    assert folder_problem(folder, "--db") is None
    someone = folder_problem(folder, "--db", uid=os.geteuid() + 1)
    assert someone.startswith(f"{folder} belongs to ") and "not to you" in someone
    file = folder / "f"
    file.write_text("x")
    file.chmod(0o600)
    assert file_problem(file) is None
    assert "not to you" in file_problem(file, uid=os.geteuid() + 1)


def test_a_sticky_shared_folder_is_not_a_place_for_the_database(tmp_path, capsys):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    code, said = run(
        capsys, "import", "reps", str(FIXTURES / "sales_teams.csv"), "--db", str(shared / "team.db")
    )
    assert code == 2 and "is writable by others (mode 1777)" in said
    assert "point --db at a folder of your own" in said and "chmod" not in said  # not /tmp's
    assert list(shared.iterdir()) == []


def test_doctor_names_the_folders_it_would_refuse(private_home, tmp_path):
    data = private_home / "xdg_data_home" / "coachtui"
    data.mkdir(parents=True)
    data.chmod(0o775)
    result = coachtui("doctor", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 1
    assert f"FIX  folders: {data} is writable by others (mode 775)" in result.stdout


def test_doctor_names_a_cache_folder_it_passes_over(private_home, tmp_path):
    """A kept-numbers folder others may write to is not used (the numbers are
    computed again each time): doctor says so."""
    numbers = private_home / "xdg_cache_home" / "coachtui" / "team-numbers"
    numbers.mkdir(parents=True)
    numbers.chmod(0o777)
    result = coachtui("doctor", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 1
    assert f"FIX  folders: {numbers} is writable by others (mode 777)" in result.stdout


def test_doctor_opens_no_database_the_commands_would_refuse(private_home, store, tmp_path):
    """A pipe (opening one would wait for a writer for ever), a link, and a
    file in a folder others write to: named, not opened, nothing made beside."""
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe, 0o600)
    link = tmp_path / "link.db"
    link.symlink_to(store.path)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "team.db").write_bytes(store.path.read_bytes())
    shared.chmod(0o777)
    said = {
        "pipe": coachtui("doctor", "--db", str(pipe)).stdout,  # (a hang fails on the timeout)
        "link": coachtui("doctor", "--db", str(link)).stdout,
        "shared": coachtui("doctor", "--db", str(shared / "team.db")).stdout,
    }
    assert f"FIX  database: not opened: {pipe} is not a regular file" in said["pipe"]
    assert f"FIX  database: not opened: {link} is a symbolic link" in said["link"]
    assert f"FIX  database: not opened: its folder {shared} is not yours alone" in said["shared"]
    assert all("integrity" not in text for text in said.values())
    assert sorted(p.name for p in shared.iterdir()) == ["team.db"]


# -- the cache ----------------------------------------------------------------


def kept_deals_file():
    return next((cache_dir() / "deal-frames").glob("*-deals.parquet"))


def plant(file) -> None:
    """Replace a kept file with deals of the attacker's choosing."""
    planted = pl.read_parquet(file).head(1).with_columns(pl.lit("Mallory").alias("rep"))
    file.unlink()
    planted.write_parquet(file)


def test_a_world_writable_cache_is_ignored_and_the_deals_read_from_the_store(demo_store):
    read_deal_data_kept(demo_store)
    plant(kept_deals_file())
    cache_dir().chmod(0o777)
    deals = read_deal_data_kept(demo_store).deals
    assert deals.equals(read_deal_data(demo_store).deals)
    assert "Mallory" not in deals.get_column("rep").to_list()
    warning = cache_problem()
    assert warning.startswith(f"the cache is ignored: {cache_dir()} is writable by others")


@needs_root
@pytest.mark.parametrize("how", ["another user's file", "a link"])
def test_a_kept_file_that_is_not_the_users_is_not_read(demo_store, tmp_path, how):
    read_deal_data_kept(demo_store)
    file = kept_deals_file()
    plant(file)
    if how == "a link":
        elsewhere = tmp_path / "elsewhere.parquet"
        file.rename(elsewhere)
        file.symlink_to(elsewhere)
    else:
        os.chown(file, STRANGER, STRANGER)
    deals = read_deal_data_kept(demo_store).deals
    assert "Mallory" not in deals.get_column("rep").to_list()


def test_a_link_where_a_kept_file_is_written_is_not_followed(demo_store, tmp_path, monkeypatch):
    read_deal_data_kept(demo_store)
    file = kept_deals_file()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    for kept in (cache_dir() / "deal-frames").iterdir():
        kept.unlink()
    file.with_suffix(".partial").symlink_to(victim)
    read_deal_data_kept(demo_store)
    assert victim.read_text() == "precious"
    assert not file.with_suffix(".partial").exists() and not file.is_symlink()
    assert mode(file) == 0o600


# -- files ------------------------------------------------------------------


@needs_root
def test_a_database_another_user_made_is_refused_by_every_command(private_home, capsys):
    db = private_home / "xdg_data_home" / "coachtui" / "coachtui.db"
    db.parent.mkdir(parents=True, mode=0o700)
    db.touch()
    os.chown(db, STRANGER, STRANGER)
    for command in COMMANDS[:-1]:  # the demo has a database of its own
        code, said = run(capsys, *command)
        assert code == 2, command
        assert said.startswith(f"coachtui: {db} belongs to uid {STRANGER}, not to you"), said
        assert f"mv '{db}' '{db}.not-mine'" in said
    assert db.stat().st_size == 0 and db.stat().st_uid == STRANGER
    result = coachtui("metrics")  # as a real process: one line, no traceback
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_database_others_may_write_to_is_refused(team_folder):
    db = team_folder / "team.db"
    Store.open(db).close()
    db.chmod(0o666)
    with pytest.raises(UnsafePath, match=r"is writable by others \(mode 666\).*chmod 600"):
        Store.open(db)


def test_a_database_that_is_a_link_is_refused(team_folder, tmp_path, capsys):
    real = tmp_path / "real.db"
    Store.open(real).close()
    link = team_folder / "team.db"
    link.symlink_to(real)
    code, said = run(capsys, "import", "reps", str(FIXTURES / "sales_teams.csv"), "--db", str(link))
    assert code == 2 and said.startswith(f"coachtui: {link} is a symbolic link")
    dangling = team_folder / "new.db"
    dangling.symlink_to(tmp_path / "made-by-the-link.db")
    with pytest.raises(UnsafePath, match="is a symbolic link"):
        Store.open(dangling)
    assert not (tmp_path / "made-by-the-link.db").exists()


def test_a_backup_is_never_written_through_a_link(store, tmp_path, capsys):
    target = tmp_path / "copy.db"
    target.symlink_to(tmp_path / "where-the-link-points.db")
    code, said = run(capsys, "backup", str(target), "--db", str(store.path))
    assert code == 2 and said.startswith(f"coachtui: {target} is a symbolic link")
    assert not (tmp_path / "where-the-link-points.db").exists()


def test_the_demo_database_is_never_written_through_a_link(tmp_path, capsys):
    victim = tmp_path / "victim.db"
    Store.open(victim).close()
    before = victim.read_bytes()
    link = tmp_path / "demo.db"
    link.symlink_to(victim)
    code, said = run(capsys, "demo", "--db", str(link))
    assert code == 2 and f"{link} is a symbolic link" in said
    assert victim.read_bytes() == before


def test_an_import_scratch_file_is_never_written_through_a_link(store, tmp_path):
    from coachtui.importing import import_file
    from coachtui.store.scratch import scratch_path

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    scratch = scratch_path(store.path)
    scratch.symlink_to(victim)
    import_file(store, "reps", FIXTURES / "sales_teams.csv")
    assert victim.read_text() == "precious" and not scratch.exists()


# -- folders that are not there -------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [("import", "reps", str(FIXTURES / "sales_teams.csv")), ("metrics",), ("demo",)],
    ids=["import", "metrics", "demo"],
)
def test_a_db_in_a_folder_that_is_not_there_is_an_error(tmp_path, capsys, command):
    db = tmp_path / "typo" / "nested" / "team.db"
    code, said = run(capsys, *command, "--db", str(db))
    assert code == 2
    assert said == (
        f"coachtui: no such folder: {db.parent}; create it first "
        f"(mkdir -m 700 '{db.parent}') or pick another path\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_coachtui_db_in_a_folder_that_is_not_there_is_an_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COACHTUI_DB", str(tmp_path / "typo" / "team.db"))
    code, said = run(capsys, "import", "reps", str(FIXTURES / "sales_teams.csv"))
    assert code == 2 and "no such folder" in said
    assert not (tmp_path / "typo").exists()


def test_a_backup_into_a_folder_that_is_not_there_is_an_error(store, tmp_path, capsys):
    code, said = run(capsys, "backup", str(tmp_path / "typo" / "copy.db"), "--db", str(store.path))
    assert code == 2 and "no such folder" in said
    assert not (tmp_path / "typo").exists()


def test_the_default_data_folder_is_still_created_private(private_home, capsys):
    code, _said = run(capsys, "import", "reps", str(FIXTURES / "sales_teams.csv"))
    assert code == 0
    data = private_home / "xdg_data_home" / "coachtui"
    assert mode(data) == 0o700 and mode(data / "coachtui.db") == 0o600


# -- modes ------------------------------------------------------------------


def test_a_read_only_database_stays_read_only(demo_store, tmp_path, capsys):
    db = demo_store.path
    demo_store.close()
    db.chmod(0o444)
    before = db.read_bytes()
    for command in (
        ("metrics", "--as-of", "2026-11-27"),
        ("export", "sessions", "--format", "json"),
        ("backup", str(tmp_path / "copy.db")),
    ):
        code, said = run(capsys, *command, "--db", str(db))
        assert code == 0, said
        assert mode(db) == 0o444
    for command in (
        ("import", "reps", str(FIXTURES / "sales_teams.csv")),
        ("import", "reps", str(FIXTURES / "sales_teams.csv"), "--dry-run"),
    ):
        code, said = run(capsys, *command, "--db", str(db))
        assert code == 2
        assert said == (
            f"coachtui: {db} is read-only (mode 444): coachtui reads it but does not "
            f"change it, and nothing was changed. To write to it: chmod u+w '{db}'\n"
        )
    assert mode(db) == 0o444 and db.read_bytes() == before


def test_the_app_says_a_read_only_database_is_read_only(store):
    store.close()
    store.path.chmod(0o444)
    result = with_a_terminal("--db", str(store.path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"coachtui: {store.path} is read-only (mode 444)")
    assert mode(store.path) == 0o444


def test_opening_never_changes_the_mode(team_folder):
    db = team_folder / "team.db"
    Store.open(db).close()
    assert mode(db) == 0o600
    db.chmod(0o640)
    Store.open(db).close()
    assert mode(db) == 0o640


# -- without a terminal -------------------------------------------------------


def with_a_terminal(*args: str, missing: str | None = None) -> subprocess.CompletedProcess:
    """coachtui with a real terminal (a pty) on stdin and stdout, but `missing`."""
    controller, terminal = pty.openpty()
    ends = {"stdin": terminal, "stdout": terminal}
    if missing is not None:
        ends[missing] = subprocess.DEVNULL
    try:
        return subprocess.run(
            [sys.executable, "-m", "coachtui", *args],
            stdin=ends["stdin"],
            stdout=ends["stdout"],
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ,
            timeout=30,
        )
    finally:
        os.close(controller)
        os.close(terminal)


@pytest.mark.parametrize(
    "command", [(), ("demo",), ("coach", "Hana Kim")], ids=["app", "demo", "coach"]
)
@pytest.mark.parametrize("missing", ["stdin", "stdout"])
def test_the_app_without_a_terminal_stops_at_once(tmp_path, command, missing):
    db = tmp_path / "team.db"
    assert (
        coachtui("import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db)).returncode == 0
    )
    start = time.monotonic()
    result = with_a_terminal(*command, "--db", str(db), missing=missing)
    assert result.returncode == 2 and time.monotonic() - start < 10
    assert result.stderr == (
        "coachtui needs a terminal; for scripts use coachtui metrics / export / brief\n"
    )
    assert not (cache_dir() / "demo.db").exists()  # nothing built first
