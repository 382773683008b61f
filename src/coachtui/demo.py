"""`coachtui demo`: a fresh database of the bundled sample team, never the user's own."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from coachtui.config import cache_dir, sample_data_dir
from coachtui.importing import ImportOptions, import_file
from coachtui.store import Store, StoreError

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
    try:
        with Store.open(path) as old:
            is_demo = old.get_meta(DEMO_MARK) == "1"
    except StoreError:
        is_demo = False
    if not is_demo:
        raise StoreError(
            f"{path} exists and is not a demo database; the demo will not overwrite it. "
            "Pick another --db path for the demo."
        )
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def build_demo_database(path: Path | None = None, today: dt.date | None = None) -> Store:
    """Import the sample team into a new database whose dates end today."""
    path = path or demo_database_path()
    _remove_demo_file(path)
    folder = sample_data_dir()
    as_of = dt.date.fromisoformat(json.loads((folder / "sample.json").read_text())["as_of"])
    today = today or dt.date.today()
    options = ImportOptions(today=today, shift_days=(today - as_of).days)
    store = Store.open(path)
    store.set_meta(DEMO_MARK, "1")
    for kind, name in SAMPLE_FILES:
        import_file(store, kind, folder / name, options)
    return store
