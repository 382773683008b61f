"""Where coachtui keeps its files, and how private they are.

Coaching notes are private on a shared server: every folder coachtui creates
is 0700 and every file 0600, whatever the umask. On such a server another
user may have prepared a folder or a file where coachtui looks, so it trusts
only what is the user's alone: a folder it keeps files in belongs to the user
and nobody else may write to it; a file it reads back belongs to the user and
is not a link; a file it writes is created anew, never through a link.
"""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path
from typing import BinaryIO

import platformdirs

from coachtui.errors import StoreError, UnsafePath

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


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def folder_problem(folder: Path, setting: str, uid: int | None = None) -> str | None:
    """Why coachtui will not keep files in `folder`, with the fix; None when it
    may: the folder belongs to the user (`uid`, by default this process's)
    and no one else may write to it. `setting` is what points coachtui there."""
    uid = os.geteuid() if uid is None else uid
    info = folder.stat()
    mode = stat.S_IMODE(info.st_mode)
    if info.st_uid != uid:
        problem = f"{folder} belongs to {_user(info.st_uid)}, not to you"
        fix = f"point {setting} at a folder of your own"
        if mode & 0o022:
            problem += f", and others may write to it (mode {mode:o})"
        else:
            fix += f", or if it is yours: sudo chown {_user(uid)} '{folder}'"
    elif mode & 0o022:
        problem = f"{folder} is writable by others (mode {mode:o})"
        fix = f"chmod 700 '{folder}'"
        if mode & stat.S_ISVTX:  # shared on purpose, as /tmp is: not to be closed
            fix = f"point {setting} at a folder of your own (mkdir -m 700 ~/coachtui)"
    else:
        return None
    return (
        f"{problem}; coachtui will not use it, as another user could plant or swap "
        f"files there. Fix: {fix}"
    )


def require_trusted_folder(folder: Path, setting: str) -> None:
    """Raise UnsafePath when `folder` may not hold coachtui's files."""
    problem = folder_problem(folder, setting)
    if problem is not None:
        raise UnsafePath(problem)


def file_problem(path: Path, uid: int | None = None) -> str | None:
    """Why coachtui will not read back the file at `path`, with the fix; None
    when it may: a regular file (not a link) of the user's that no one else
    may write to."""
    uid = os.geteuid() if uid is None else uid
    info = path.lstat()
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISLNK(info.st_mode):
        return (
            f"{path} is a symbolic link; coachtui does not follow links to the files "
            f"it keeps. Fix: replace the link with the file (rm '{path}', then copy it there)"
        )
    if not stat.S_ISREG(info.st_mode):
        return f"{path} is not a regular file; coachtui will not use it"
    if info.st_uid != uid:
        return (
            f"{path} belongs to {_user(info.st_uid)}, not to you; coachtui will not "
            f"open a file another user made. Fix: move it aside (mv '{path}' '{path}.not-mine')"
        )
    if mode & 0o022:
        return (
            f"{path} is writable by others (mode {mode:o}); coachtui will not use it. "
            f"Fix: chmod 600 '{path}'"
        )
    return None


def private_place(path: Path, setting: str) -> None:
    """Make sure coachtui may keep a file at `path`: its folder (created 0700
    if missing) is the user's alone, and what is there already, if anything,
    is a regular file of the user's. Raises UnsafePath, naming the path."""
    make_private_dir(path.parent)
    require_trusted_folder(path.parent, setting)
    if os.path.lexists(path) and (problem := file_problem(path)):
        raise UnsafePath(problem)


def create_private_file(path: Path) -> BinaryIO:
    """A new file at `path`, 0600, open for writing: never an existing file and
    never through a link (`O_EXCL | O_NOFOLLOW`). Raises UnsafePath for a link
    and FileExistsError for anything else already there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, PRIVATE_FILE)
    except FileExistsError:
        if path.is_symlink():
            raise UnsafePath(
                f"{path} is a symbolic link; coachtui does not write through links. "
                f"Fix: remove it (rm '{path}') or pick another path"
            ) from None
        raise
    os.fchmod(fd, PRIVATE_FILE)  # the umask may have taken bits away
    return os.fdopen(fd, "wb")


def require_folder(path: Path) -> None:
    """The folder of a database or backup named on the command line must
    exist: coachtui creates its own folders, never a path typed by hand."""
    folder = path.parent
    if not folder.is_dir() and folder.absolute() != data_dir():
        raise StoreError(
            f"no such folder: {folder}; create it first (mkdir -m 700 '{folder}') "
            "or pick another path"
        )


def cache_problem() -> str | None:
    """Why the cache folder is ignored, if it is."""
    folder = cache_dir()
    if not folder.exists():
        return None
    problem = folder_problem(folder, "XDG_CACHE_HOME")
    return None if problem is None else f"the cache is ignored: {problem}"


def cache_folder(name: str) -> Path | None:
    """The cache's subfolder `name`, created 0700 if missing; None when the
    cache cannot be used or trusted (the caller then does without it)."""
    folder = cache_dir() / name
    try:
        make_private_dir(folder)
        if cache_problem() or folder_problem(folder, "XDG_CACHE_HOME"):
            return None
    except OSError:
        return None
    return folder


def sample_data_dir() -> Path:
    """The bundled sample team: inside the installed package, or the repo root."""
    from importlib import resources  # the demo's first build only

    packaged = Path(str(resources.files(APP_NAME))) / "sample_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "sample_data"
