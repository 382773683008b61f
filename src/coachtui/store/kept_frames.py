"""The CRM data as polars frames, and the same frames kept as Parquet files.

What the numbers read (deals, reps, stage history, activities) is read from
the store in one place, `read_frames`, or, when this database's last import
left them in the cache folder, from Parquet files in a fraction of a second.
Parquet, not Arrow's own files: polars reads those in pieces, copied whole
after, and a Parquet file of one row group whole (`_write`), in an eighth
of the space (14 MB against 110 MB for a million deals). The files are
named after the database's path, coachtui's version and the import they
hold, so a file of an older import or of another database is never read;
they hold CRM data, so they are 0600 in a 0700 folder, and a file that is
not the user's alone (another user's, a link) is not read at all. A cache
that cannot be read or written only costs time.

Here, in the store, because the import writes them too (it holds the deals in
polars at its end) and the import may use the store but nothing above it.
Load this module only where polars is wanted: it loads polars.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from pathlib import Path

import polars as pl

from coachtui import __version__
from coachtui.errors import StoreError
from coachtui.paths import cache_folder, create_private_file, file_problem
from coachtui.store.database import Store

DEAL_SCHEMA = {
    "deal_id": pl.String,
    "rep": pl.String,
    "stage": pl.String,
    "status": pl.String,
    "amount": pl.Float64,
    "currency": pl.String,
    "created_date": pl.Date,
    "close_date": pl.Date,
    "stage_entered_date": pl.Date,
    "contacts": pl.Int64,
}
# name -> (the query, the frame's schema), in the order the store returns rows
FRAMES: dict[str, tuple[str, dict]] = {
    "deals": (f"SELECT {', '.join(DEAL_SCHEMA)} FROM deals", DEAL_SCHEMA),
    "reps": ("SELECT rep, manager FROM reps", {"rep": pl.String, "manager": pl.String}),
    "history": (
        "SELECT deal_id, stage, entered_at FROM stage_history",
        {"deal_id": pl.String, "stage": pl.String, "entered_at": pl.Date},
    ),
    "activities": ("SELECT rep, date FROM activities", {"rep": pl.String, "date": pl.Date}),
}
KEPT_FOLDER = "deal-frames"
SUFFIX = ".parquet"  # every kept file's
SUM_SUFFIX = ".sum"  # the digest of what coachtui wrote in one, beside it
FETCH_ROWS = 50_000

Frames = dict[str, pl.DataFrame]


def being_written(file: Path) -> bool:
    """A `<name>.<id>.partial` a process or thread still running is writing
    (`_partial`)."""
    if file.suffix != ".partial":
        return False
    try:
        os.kill(int(file.suffixes[-2][1:]), 0)
    except (IndexError, ValueError, ProcessLookupError):
        return False
    except PermissionError:  # alive, and not ours to signal
        return True
    return True


def read_frame(store: Store, name: str) -> pl.DataFrame:
    """One of FRAMES through the store's connection, in slices turned into
    columns: a million rows made into a frame row by row at once peaked at
    ~700 MB, this at ~250 MB."""
    sql, schema = FRAMES[name]
    text_schema = {
        column: pl.String if kind == pl.Date else kind for column, kind in schema.items()
    }
    cursor = store.conn.execute(sql)
    parts = [pl.DataFrame(schema=text_schema)]
    while rows := cursor.fetchmany(FETCH_ROWS):
        columns = zip(*rows, strict=True)
        parts.append(
            pl.DataFrame(
                [
                    pl.Series(column, values, dtype=kind)
                    for (column, kind), values in zip(text_schema.items(), columns, strict=True)
                ]
            )
        )
    return as_dates(pl.concat(parts, rechunk=True), schema)


def in_one_piece(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each column in one chunk, where it was read in pieces
    (Arrow batches; a file of several row groups). The numbers add columns
    made in one piece (each deal's manager), and a frame mixing the two was
    copied by the first select that met it: 1M deals, 0.1 s and 29,000 page
    faults, then ~10 ms a select; in one piece, no time at all."""
    return frame.rechunk()


def as_dates(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """ISO date text becomes pl.Date."""
    dates = [name for name, kind in schema.items() if kind == pl.Date]
    return frame.with_columns(pl.col(dates).str.to_date("%Y-%m-%d"))


def read_frames(store: Store) -> Frames:
    return {name: read_frame(store, name) for name in FRAMES}


def kept_files(store: Store, version: str | None = None) -> dict[str, Path] | None:
    """Where the frames of this database at import `version` (default: its last
    import) are kept; None when the cache folder cannot be used."""
    return files_for(store.path, version or store.last_import())


def files_for(database: Path, version: str) -> dict[str, Path] | None:
    """`kept_files` of the database at `database`, at the import marked `version`."""
    prefix = kept_prefix(database, version, KEPT_FOLDER)
    return None if prefix is None else {name: named(prefix, name) for name in FRAMES}


def kept_prefix(database: Path, version: str, folder_name: str) -> Path | None:
    """Where what is kept of the database at `database`, at the import marked
    `version`, begins its file names, in the cache's subfolder `folder_name`;
    None when the cache folder cannot be used."""
    folder = cache_folder(folder_name)  # each time: it follows $XDG_CACHE_HOME
    if folder is None:
        return None
    return folder / f"{digest(str(database.resolve()))}-{digest(f'{__version__} {version}')}"


def named(prefix: Path, name: str) -> Path:
    """The kept file `name` of a `kept_prefix`."""
    return prefix.with_name(f"{prefix.name}-{name}{SUFFIX}")


def read_kept(files: dict[str, Path] | None) -> Frames | None:
    """The kept frames, each column in one piece (`in_one_piece`); None
    unless every file is there, the user's, and holds what coachtui wrote
    (its `.sum` beside it: a file changed since, by another program, a hand
    or the disk, would be read as numbers coachtui never computed, or fail
    in them)."""
    if files is None or not all(_ours(file) and _ours(_sum(file)) for file in files.values()):
        return None
    try:
        written = {name: file.read_bytes() for name, file in files.items()}
        if any(
            _sum(files[name]).read_text() != _sum_of(files[name], data)
            for name, data in written.items()
        ):
            return None
        return {
            name: in_one_piece(pl.read_parquet(io.BytesIO(data))) for name, data in written.items()
        }
    except (OSError, UnicodeDecodeError, pl.exceptions.PolarsError, pl.exceptions.PanicException):
        return None  # damaged (some damage makes polars panic): read again, and kept anew


def read_kept_frames(files: dict[str, Path] | None) -> Frames | None:
    """`read_kept` of the FRAMES, if each has the store's columns and types: a
    file another program wrote (or a hand) is read again from the store, and
    kept anew, rather than failing in the numbers."""
    frames = read_kept(files)
    if frames is None or any(
        frames[name].schema != pl.Schema(schema) for name, (_sql, schema) in FRAMES.items()
    ):
        return None
    return frames


def keep(frames: Frames, files: dict[str, Path] | None) -> None:
    """Write the frames (each whole or not at all, in new files), and remove
    this database's files of other imports or of another kind (Arrow files,
    which coachtui 0.1.0 kept before Parquet) and the partial files no
    process is writing."""
    if files is None:
        return
    some = next(iter(files.values()))
    database, imported = some.name.split("-")[:2]
    try:
        for old in some.parent.glob(f"{database}-*"):
            this = old.name.startswith(f"{database}-{imported}-") and old.name.endswith(
                (SUFFIX, SUM_SUFFIX)
            )
            if not this and not being_written(old):
                old.unlink(missing_ok=True)
        for name, file in files.items():
            write_kept(frames[name], file)
    except (OSError, StoreError):
        return


def write_kept(frame: pl.DataFrame, file: Path) -> None:
    """`frame` in the kept `file`, and its digest beside it (`read_kept`),
    each whole or not at all."""
    buffer = io.BytesIO()
    _write(frame, buffer)
    written = buffer.getvalue()
    _write_whole(file, written)
    _write_whole(_sum(file), _sum_of(file, written).encode())


def frames_of_last_import(store: Store) -> tuple[str, Frames]:
    """The database's last import and `read_frames`, from the files kept for
    that import when they are there, else from the store, and then kept."""
    store.conn.execute("BEGIN")  # the version and the rows from one snapshot
    try:
        version = store.last_import()
        files = kept_files(store, version)
        frames = read_kept_frames(files)
        if frames is not None:
            return version, frames
        frames = read_frames(store)
    finally:
        store.conn.execute("COMMIT")
    keep(frames, files)
    return version, frames


def _write(frame: pl.DataFrame, out) -> None:
    """In one row group: polars reads a file of several in pieces, which
    are then copied whole (`in_one_piece`); in one, it reads the frame
    whole. A million deals: read 0.07-0.08 s and 27,000 page faults against
    0.09-0.12 s and 55,000 (and twice the memory for a moment); written
    110 ms against 93 ms."""
    frame.write_parquet(
        out, compression="lz4", statistics=False, row_group_size=max(frame.height, 1)
    )


def _write_whole(file: Path, content: bytes) -> None:
    """`content` in `file`, whole or not at all (`_partial`, then replaced)."""
    partial = _partial(file)
    partial.unlink(missing_ok=True)
    with create_private_file(partial) as out:
        out.write(content)
    partial.replace(file)


def _partial(file: Path) -> Path:
    """Where this thread writes `file` before it is whole: named by its native
    id, which on Linux is a process id too (the main thread's is the
    process's), so that `being_written` can tell it is alive, and two
    threads of one process never write the same file."""
    return file.with_suffix(f".{threading.get_native_id()}.partial")


def forget_kept(file: Path) -> None:
    """Remove a kept file and its digest."""
    for path in (file, _sum(file)):
        path.unlink(missing_ok=True)


def _sum(file: Path) -> Path:
    """Where the digest of what coachtui wrote in a kept `file` is: beside it."""
    return file.with_name(file.name + SUM_SUFFIX)


def _sum_of(file: Path, data: bytes) -> str:
    """The digest of `data` written as the kept `file`, and of the file's name
    too: a kept file and its digest copied over another database's (or
    another import's) are not theirs. (Not `digest`, which names things.)"""
    digest = hashlib.blake2b(file.name.encode(), digest_size=16)
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def _ours(file: Path) -> bool:
    """A kept file coachtui may read back: there, the user's, not a link."""
    try:
        return file_problem(file) is None
    except OSError:
        return False


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
