"""`coachtui demo`: the bundled sample team in a database of its own, never the user's.

The sample's dates are shifted so that they end today. The demo database is
kept for the rest of the day, so a demo session survives closing the app; the
next day, or with `--fresh`, it is built anew."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from coachtui.paths import cache_dir, private_place, sample_data_dir
from coachtui.store import Store, StoreError, remove_database

DEMO_MARK = "demo"
SAMPLE_FILES = (
    ("reps", "reps.csv"),
    ("deals", "deals.csv"),
    ("history", "history.csv"),
    ("activities", "activities.csv"),
)


def demo_database_path() -> Path:
    return cache_dir() / "demo.db"


def _remove_demo_file(path: Path) -> None:
    """Delete an earlier demo database; refuse any other file."""
    if not path.exists():
        return
    if _built_for(path) is None:
        raise StoreError(
            f"{path} exists and is not a demo database; the demo will not overwrite it. "
            "Pick another --db path for the demo."
        )
    remove_database(path)


def _built_for(path: Path) -> str | None:
    """The day a demo database was built for; None when the file is not a demo."""
    try:
        with Store.open(path) as old:
            return old.get_meta(DEMO_MARK)
    except StoreError:
        return None


def open_demo_database(path: Path | None = None, fresh: bool = False) -> Store:
    """Today's demo database as it was left, or a new one; never through a link
    or in a file another user made."""
    path = path or demo_database_path()
    private_place(path, "--db")
    return (None if fresh else _todays_demo(path)) or build_demo_database(path)


def _todays_demo(path: Path) -> Store | None:
    """The demo database built today, open (one open, not a check and another);
    None for an older demo, or a file that is not one."""
    if not path.exists():
        return None
    try:
        store = Store.open(path)
    except StoreError:
        return None  # build_demo_database refuses it, and says why
    if store.get_meta(DEMO_MARK) == dt.date.today().isoformat():
        return store
    store.close()
    return None


def build_demo_database(path: Path | None = None, today: dt.date | None = None) -> Store:
    """Import the sample team into a new database whose dates end today.

    Built beside `path` and moved to it once whole: a build stopped half way
    (ctrl+c, a full disk, a killed process) never leaves a demo without its
    deals where the next start would take it for today's."""
    from coachtui.importing import ImportOptions, import_file  # polars: only when building

    path = path or demo_database_path()
    _remove_demo_file(path)
    building = path.with_name(f"{path.name}.building")
    remove_database(building)  # what a killed build left
    folder = sample_data_dir()
    as_of = dt.date.fromisoformat(json.loads((folder / "sample.json").read_text())["as_of"])
    today = today or dt.date.today()
    options = ImportOptions(today=today, shift_days=(today - as_of).days)
    try:
        with Store.open(building) as store:
            store.set_meta(DEMO_MARK, today.isoformat())
            for kind, name in SAMPLE_FILES:
                import_file(store, kind, folder / name, options)
        os.replace(building, path)  # closed: the WAL is in the file
    except BaseException:
        remove_database(building)
        raise
    return Store.open(path)
