"""What the app loads before its first paint: no polars, no sqlite-utils, no
pydantic.

Loading them is a third of a second the manager would wait; they load once
the roster is on the screen (the other tabs, the playbook, the team worker)."""

from __future__ import annotations

import datetime as dt
import gc
import subprocess
import sys

from coachtui.screens.team import compute_team, keep_for_next_start
from coachtui.settings import Settings
from coachtui.store import Store

BEFORE_FIRST_PAINT = """
import asyncio, sys
from pathlib import Path
from coachtui.app import CoachApp
from coachtui.settings import load_settings
from coachtui.store import Store

heavy = ("polars", "sqlite_utils", "adbc_driver_sqlite", "pydantic")
# the tabs after the roster, with their editors and sparklines, load once it is painted
later = (
    "coachtui.screens.review",
    "coachtui.screens.coach",
    "coachtui.screens.history",
    "coachtui.screens.commitments",
    "coachtui.screens.dialogs.brief",
    "coachtui.screens.dialogs.summary",
    # the session records and their classes: the roster reads only its overview
    "coachtui.coaching.records",
    # where the sample team is packaged: the demo's first build
    "importlib.resources",
    "textual.widgets._text_area",
    "textual.widgets._sparkline",
    "rich._emoji_codes",
    # what reads and checks config.toml, when there is one (here there is none)
    "tomllib",
    "annotated_types",
)
loaded, shown = [], []


async def watched(app):  # called once the roster has been painted
    loaded.extend(m for m in heavy + later if m in sys.modules)
    shown.append(str(app.query_one("#roster-status").render()))
    app.exit()


CoachApp._fill_other_tabs = watched


async def main():
    settings, _problems = load_settings()
    with Store.open(Path(sys.argv[1])) as store:
        async with CoachApp(store, settings).run_test(size=(100, 30)) as pilot:
            await pilot.pause(0.5)
    print(sorted(loaded), shown[0].startswith("12 reps"))


asyncio.run(main())
"""


def test_nothing_heavy_loads_before_the_roster_paints(demo_db):
    with Store.open(demo_db) as store:  # the roster kept, as by an earlier start
        team = compute_team(store, data=None, as_of=dt.date.today(), days=90, settings=Settings())
        keep_for_next_start(store, team)
    loaded = subprocess.run(
        [sys.executable, "-c", BEFORE_FIRST_PAINT, str(demo_db)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert loaded.strip() == "[] True"


def test_a_text_area_is_an_editor_once_it_has_loaded():
    """Keys typed into an editor are not held (screens/key_order.py): it finds
    TextArea by its module, which loads with the Coach tab."""
    from textual.widgets import Input, Static, TextArea

    from coachtui.screens.key_order import TEXT_AREA_MODULE, is_editor

    assert TextArea.__module__ == TEXT_AREA_MODULE
    assert is_editor(TextArea()) and is_editor(Input())
    assert not is_editor(Static())


async def test_the_garbage_collector_is_back_on_once_the_roster_is_painted(demo_store):
    """`coachtui` turns it off for the start (cli/commands.py); the app turns it
    back on after the first paint, before the team's numbers are computed, and
    freezes what it is made of by then out of the collector's walks."""
    from coachtui.app import CoachApp
    from tests.conftest import TODAY, settle

    gc.collect()
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        app = CoachApp(demo_store, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen + 10_000  # the widgets, the styles
    finally:
        gc.enable()
        gc.unfreeze()  # the app's objects may go now; the suite's own stay frozen
        gc.collect()
        gc.freeze()


async def test_a_team_computed_after_the_tabs_is_frozen_too(demo_store):
    """On a later start the tabs are filled (and frozen) on the kept roster,
    then the team is computed: its numbers are frozen once taken. Collections
    walking them paused typing 30-80 ms now and then."""
    from coachtui.app import CoachApp
    from tests.conftest import TODAY, settle

    async with CoachApp(demo_store, today=TODAY).run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # keeps the roster for the next start
    gc.collect()
    gc.disable()
    try:
        app = CoachApp(demo_store, today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            walked = {id(thing) for thing in gc.get_objects()}
            assert app.review is not None and id(app.review.report) not in walked
    finally:
        gc.enable()
        gc.unfreeze()
        gc.collect()
        gc.freeze()


async def test_an_app_started_with_the_collector_on_freezes_nothing(demo_store):
    """Driven in a process of another's (these tests), the app leaves the
    collector as it found it: what it froze would never be freed there."""
    from coachtui.app import CoachApp
    from tests.conftest import TODAY, settle

    frozen = gc.get_freeze_count()
    async with CoachApp(demo_store, today=TODAY).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() <= frozen  # frozen objects may die; none are added


def test_the_command_line_reads_only_the_kinds_and_layouts_of_an_import():
    """Every start parses the command line, the app's included: of the
    importer, only the names it offers load then."""
    code = (
        "import sys; from coachtui.cli import commands; commands._parser(); "
        "print(sorted(m for m in sys.modules if m.startswith('coachtui.importing.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "['coachtui.importing.fields', 'coachtui.importing.layouts']"
