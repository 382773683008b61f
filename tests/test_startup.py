"""What the app loads before its first paint: no polars, no sqlite-utils.

Importing them is a third of a second the manager would wait; they load on the
team worker once the roster is on the screen."""

from __future__ import annotations

import subprocess
import sys

from coachtui.demo import build_demo_database
from tests.conftest import TODAY

BEFORE_FIRST_PAINT = """
import sys
from pathlib import Path
from coachtui import cli, app, roster_snapshot
from coachtui.settings import load_settings, Settings
from coachtui.store import Store
with Store.open(Path(sys.argv[1])) as store:
    import datetime as dt
    version = roster_snapshot.data_version(store, dt.date(2026, 11, 27), 90, Settings())
    roster_snapshot.kept_roster(store, version)
    store.coaching_overview(dt.date(2026, 11, 27))
print(sorted(m for m in ("polars", "sqlite_utils", "adbc_driver_sqlite") if m in sys.modules))
"""


def test_nothing_heavy_loads_before_the_roster_paints(tmp_path):
    db = tmp_path / "demo.db"
    build_demo_database(db, today=TODAY).close()
    loaded = subprocess.run(
        [sys.executable, "-c", BEFORE_FIRST_PAINT, str(db)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert loaded.strip() == "[]"
