"""The bundled sample team: reproducible, complete, and current whenever it is opened."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from coachtui.importing.sample import build_demo_database, open_demo_database
from coachtui.store import StoreError
from tests.conftest import TODAY, rows

ROOT = Path(__file__).resolve().parents[1]


def test_generator_reproduces_the_committed_files(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sample_data.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in ("deals.csv", "reps.csv", "history.csv", "activities.csv", "sample.json"):
        assert (tmp_path / name).read_bytes() == (ROOT / "sample_data" / name).read_bytes(), name


def test_demo_database_is_a_current_two_manager_team(tmp_path):
    with build_demo_database(tmp_path / "demo.db", today=TODAY) as store:
        managers = rows(store, "SELECT manager, COUNT(*) FROM reps GROUP BY manager ORDER BY 1")
        assert managers == [("Dana Whitfield", 6), ("Marcus Reed", 6)]
        (deals, newest, oldest) = rows(
            store, "SELECT COUNT(*), MAX(created_date), MIN(created_date) FROM deals"
        )[0]
        assert 2000 <= deals <= 6000
        assert dt.date.fromisoformat(newest) <= TODAY
        assert (TODAY - dt.date.fromisoformat(newest)).days < 7
        assert (TODAY - dt.date.fromisoformat(oldest)).days >= 700
        assert rows(store, "SELECT COUNT(DISTINCT deal_id) FROM stage_history")[0][0] == deals
        assert rows(store, "SELECT COUNT(*) FROM activities")[0][0] > 5000
        assert store.get_meta("demo") == TODAY.isoformat()


def test_demo_rebuilds_its_own_file_but_never_another(tmp_path, store):
    demo = tmp_path / "demo.db"
    build_demo_database(demo, today=TODAY).close()
    build_demo_database(demo, today=TODAY).close()  # an old demo is replaced
    with pytest.raises(StoreError, match="not a demo database"):
        build_demo_database(store.path, today=TODAY)


def test_the_demo_is_kept_for_the_day_and_fresh_on_request(tmp_path):
    """A demo session survives closing the app; an old day's demo is rebuilt."""
    demo = tmp_path / "demo.db"
    with open_demo_database(demo) as store:
        store.set_meta("left by the manager", "1")
    with open_demo_database(demo) as store:
        assert store.get_meta("left by the manager") == "1"
    with open_demo_database(demo, fresh=True) as store:
        assert store.get_meta("left by the manager") is None
        store.set_meta("left by the manager", "1")
    build_demo_database(demo, today=TODAY - dt.timedelta(days=1000)).close()
    with open_demo_database(demo) as store:
        assert store.get_meta("demo") == dt.date.today().isoformat()
