"""The SQLite store: the connection, opening and migrating, and the queries
the app and CLI share (the schema itself is in `schema.py`).

One file per manager, opened in WAL mode with a busy timeout and foreign keys
on. The schema is versioned with `PRAGMA user_version`; opening an older file
copies it aside (SQLite's online backup) and then migrates it in one
transaction. A file that is not a coachtui database is never touched.

Nothing heavy loads here: the app opens the store and paints the roster
before polars or sqlite-utils are imported (sqlite-utils loads on the first
write; the deals are read into polars frames by `coachtui.review.frames`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from coachtui.errors import StoreError
from coachtui.paths import PRIVATE_FILE, make_private_file
from coachtui.store.schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
APPLICATION_ID = 0x436F4163  # "CoAc": marks the file as ours in its header


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas every coachtui connection uses.

    Autocommit (`isolation_level=None`): transactions are explicit, so no
    implicit transaction ever holds the write lock between two keystrokes.
    """
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


PIPELINE_ORDER = """
    SELECT stage, status FROM stages
    ORDER BY sort_order IS NULL, sort_order, preset_rank IS NULL, preset_rank, first_seen
"""


class Store:
    """An open coachtui database."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, for schema changes and upserts."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating or migrating as needed) the database at `path`."""
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file")
        if not path.exists():
            make_private_file(path)
        try:
            store = cls(path, connect(path))
            store._check_identity()
            store.conn.execute("PRAGMA journal_mode = WAL")
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{path} is not a coachtui database ({exc}). It was left as it is; "
                "point --db at another file, or restore it from a backup."
            ) from None
        for suffix in ("", "-wal", "-shm"):
            own_file = path.with_name(path.name + suffix)
            if own_file.exists():
                own_file.chmod(PRIVATE_FILE)
        return store

    @classmethod
    def for_worker(cls, path: Path) -> Store:
        """One more connection to a database `open` has checked and migrated
        already, for a worker thread: the pragmas only, no identity check,
        migration or chmod."""
        return cls(Path(path), connect(path))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextlib.contextmanager
    def write(self, commit: bool = True) -> Iterator[sqlite_utils.Database]:
        """One write transaction, taking the write lock up front.

        `BEGIN IMMEDIATE` waits (busy timeout) for another writer instead of
        failing later with "database is locked" when a read turns into a write.
        With `commit=False` everything is rolled back at the end (a dry run).
        """
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT" if commit else "ROLLBACK")

    def _check_identity(self) -> None:
        """Refuse, before writing a byte, a file that is not ours or too new."""
        version = self.schema_version
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        has_tables = bool(
            self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone()
        )
        if app_id != APPLICATION_ID and (has_tables or version):
            raise sqlite3.DatabaseError("it holds tables that coachtui did not create")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer coachtui (schema {version}, this one "
                f"knows {SCHEMA_VERSION}). Upgrade coachtui; the file was left as it is."
            )

    def _migrate(self) -> None:
        version = self.schema_version
        if version == SCHEMA_VERSION:
            return
        if version:
            self.backup(self.path.with_name(f"{self.path.name}.schema-v{version}.bak"))
        with self.write() as db:
            for migration in MIGRATIONS[version:]:
                migration(db)
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def backup(self, target: Path) -> Path:
        """A consistent copy of the database (SQLite's online backup), 0600."""
        make_private_file(target)
        copy = sqlite3.connect(target)
        try:
            self.conn.backup(copy)
        finally:
            copy.close()
        target.chmod(PRIVATE_FILE)
        return target

    # -- meta -------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as db:
            db["meta"].upsert({"key": key, "value": value}, pk="key")

    # -- queries ------------------------------------------------------------

    def pipeline(self) -> list[tuple[str, str]]:
        """(stage, status) in pipeline order: the file's own stage order, then the
        CRM's default pipeline, then first appearance."""
        return self.conn.execute(PIPELINE_ORDER).fetchall()

    def deal_names(self, deal_ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
        """deal_id -> (name, account), for the few deals a screen lists."""
        marks = ", ".join("?" for _ in deal_ids)
        rows = self.conn.execute(
            f"SELECT deal_id, name, account FROM deals WHERE deal_id IN ({marks})", deal_ids
        )
        return {deal_id: (name, account) for deal_id, name, account in rows}

    def last_import(self) -> str:
        """The last import, as a mark of the CRM data's version: every import
        (deals, reps, history, activities) is logged, and nothing else writes
        that data."""
        row = self.conn.execute(
            "SELECT id, imported_at FROM import_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return f"{row[0]} {row[1]}" if row else "none"

    def known_reps(self) -> list[str]:
        rows = self.conn.execute("SELECT rep FROM reps UNION SELECT rep FROM deals ORDER BY 1")
        return [rep for (rep,) in rows]

    def log_import(self, kind: str, file: Path, layout: str, rows: int, counts) -> None:
        """Record an import; called inside the import's own transaction."""
        self.db["import_log"].insert(
            {
                "imported_at": dt.datetime.now().isoformat(timespec="seconds"),
                "kind": kind,
                "file": str(file),
                "layout": layout,
                "rows": rows,
                "new": counts.new,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
            }
        )


def damaged(path: Path, exc: Exception) -> str:
    """What to say when a database cannot be read."""
    return (
        f"{path} could not be read ({exc}). Nothing was changed; run coachtui doctor, "
        "and restore a backup if the file is damaged."
    )
