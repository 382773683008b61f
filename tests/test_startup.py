"""What the app loads before its first paint: no polars, no sqlite-utils, no
pydantic.

Loading them is a third of a second the manager would wait; they load once
the roster is on the screen (the other tabs, the playbook, the team worker)."""

from __future__ import annotations

import subprocess
import sys

BEFORE_FIRST_PAINT = """
import sys
from pathlib import Path
from coachtui import cli
from coachtui import app
from coachtui.coaching import records
from coachtui.review import roster_cache as roster_snapshot
from coachtui.settings import load_settings
from coachtui.store import Store
settings, problems = load_settings()
with Store.open(Path(sys.argv[1])) as store:
    import datetime as dt
    version = roster_snapshot.data_version(store, dt.date(2026, 11, 27), 90, settings)
    roster_snapshot.kept_roster(store, version)
    records.coaching_overview(store, dt.date(2026, 11, 27))
heavy = ("polars", "sqlite_utils", "adbc_driver_sqlite", "pydantic")
# the tabs after the roster, with their editors and sparklines, load once it is painted
later = (
    "coachtui.screens.review",
    "coachtui.screens.coach",
    "coachtui.screens.history",
    "coachtui.screens.commitments",
    "textual.widgets._text_area",
    "textual.widgets._sparkline",
    # what reads and checks config.toml, when there is one (here there is none)
    "tomllib",
    "annotated_types",
)
print(sorted(m for m in heavy + later if m in sys.modules))
"""


def test_nothing_heavy_loads_before_the_roster_paints(demo_db):
    loaded = subprocess.run(
        [sys.executable, "-c", BEFORE_FIRST_PAINT, str(demo_db)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert loaded.strip() == "[]"


def test_a_text_area_is_an_editor_once_it_has_loaded():
    """Keys typed into an editor are not held (screens/key_order.py): it finds
    TextArea by its module, which loads with the Coach tab."""
    from textual.widgets import Input, Static, TextArea

    from coachtui.screens.key_order import TEXT_AREA_MODULE, is_editor

    assert TextArea.__module__ == TEXT_AREA_MODULE
    assert is_editor(TextArea()) and is_editor(Input())
    assert not is_editor(Static())
