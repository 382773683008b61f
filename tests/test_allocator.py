"""How soon polars' allocator gives freed memory back, per command: at once
for the import and the app (their peak memory), after a moment for the
commands that compute the numbers and exit (their page faults); the user's
own setting always (`coachtui.allocator`)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from coachtui.allocator import AFTER_A_MOMENT, AT_ONCE, OURS, SETTING
from tests.conftest import FIXTURES

# what polars read as it loaded: the setting it was given, after its own
AS_POLARS_READ = """
import os, sys
from coachtui.cli import main
code = main(sys.argv[1:])
print(code, "polars" in sys.modules, os.environ["_RJEM_MALLOC_CONF"])
"""


def polars_read(*command: str, env: dict | None = None) -> tuple[str, str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in (SETTING, OURS)}
    out = subprocess.run(
        [sys.executable, "-c", AS_POLARS_READ, *command],
        capture_output=True,
        text=True,
        env=clean | (env or {}),
        check=True,
    )
    code, loaded, setting = out.stdout.splitlines()[-1].split()
    return code, loaded, setting


@pytest.fixture
def team_db(tmp_path, private_home):
    db = tmp_path / "team.db"
    code, loaded, setting = polars_read(
        "import", "deals", str(FIXTURES / "hubspot.csv"), "--db", str(db)
    )
    assert (code, loaded) == ("0", "True")
    assert setting.endswith(f",{AT_ONCE}")
    return db


def test_the_commands_that_compute_and_exit_keep_freed_memory_a_moment(team_db):
    for command in (["metrics"], ["impact"], ["brief", "Hana Kim"]):
        code, loaded, setting = polars_read(*command, "--db", str(team_db))
        assert (code, loaded) == ("0", "True"), command
        assert setting.endswith(f",{AFTER_A_MOMENT}"), command  # the last one wins


def test_ours_as_a_parent_with_polars_passes_it_on_is_still_ours(team_db):
    """A Python that loaded coachtui and polars (a script, the bench) hands
    its children polars' setting then ours, and the mark that it is ours."""
    inherited = {SETTING: f"dirty_decay_ms:500,muzzy_decay_ms:1000,{AT_ONCE}", OURS: "1"}
    code, loaded, setting = polars_read("brief", "Hana Kim", "--db", str(team_db), env=inherited)
    assert (code, loaded) == ("0", "True")
    assert setting.endswith(f",{AFTER_A_MOMENT}")


@pytest.mark.parametrize("theirs", ["narenas:2", f"narenas:2,{AT_ONCE}", AT_ONCE])
def test_the_users_own_setting_is_left_as_it_is(team_db, theirs):
    """Whatever it says, even what coachtui would have set."""
    code, loaded, setting = polars_read("metrics", "--db", str(team_db), env={SETTING: theirs})
    assert (code, loaded) == ("0", "True")
    assert setting.endswith(f",{theirs}") and AFTER_A_MOMENT not in setting


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="the GNU C library's call",
)
def test_what_numpy_freed_goes_back_to_the_system():
    """The C library keeps what numpy frees below the top of its heap (here
    200 MB of arrays, each before a small one still held) until told."""
    script = """
import os
import numpy as np
from coachtui.allocator import give_back_what_numpy_freed
page = os.sysconf("SC_PAGE_SIZE")
rss = lambda: int(open("/proc/self/statm").read().split()[1]) * page // 2**20
big = np.ones(4_000_000); del big  # the C library keeps anything smaller in its heap
freed, kept = [], []
for _ in range(100):  # each freed one between two kept: nothing freed at the heap's top
    freed.append(np.ones(250_000)); kept.append(np.ones(1000))
del freed
held = rss()
give_back_what_numpy_freed()
print(held, rss())
"""
    # the C library as it comes: no tunables, thresholds or other malloc
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MALLOC_") and k not in ("GLIBC_TUNABLES", "LD_PRELOAD")
    }
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    held, given_back = map(int, out.stdout.split())
    assert held - given_back > 150  # MB
