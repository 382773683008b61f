"""Where coachtui keeps its files, and how private they are.

Coaching notes are private on a shared server: every folder coachtui creates
is 0700 and every file 0600, whatever the umask.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "coachtui"
DB_ENV = "COACHTUI_DB"
DB_FILENAME = "coachtui.db"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def data_dir() -> Path:
    """The user's data folder (XDG on Linux)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Where throw-away files such as the demo database live."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH`, else `$COACHTUI_DB`, else coachtui.db in the data folder."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return data_dir() / DB_FILENAME


def make_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) readable by the owner alone.

    Parents that already exist keep their permissions; the folders created
    here are chmod-ed explicitly because `mkdir(mode=...)` is filtered by the
    umask.
    """
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR)
        folder.chmod(PRIVATE_DIR)


def make_private_file(path: Path) -> None:
    """Create `path` empty if missing; make it 0600 either way."""
    make_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)
    os.close(fd)
    path.chmod(PRIVATE_FILE)


def sample_data_dir() -> Path:
    """The bundled sample team: inside the installed package, or the repo root."""
    packaged = Path(str(resources.files(APP_NAME))) / "sample_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "sample_data"
