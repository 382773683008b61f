"""The SQLite file: connection, schema and migrations, integrity, backup, meta."""

from coachtui.errors import StoreError
from coachtui.store.database import (
    APPLICATION_ID,
    PIPELINE_ORDER,
    Store,
    connect,
    remove_database,
    sqlite_too_old,
)
from coachtui.store.integrity import damaged
from coachtui.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "PIPELINE_ORDER",
    "SCHEMA_VERSION",
    "Store",
    "StoreError",
    "connect",
    "damaged",
    "remove_database",
    "sqlite_too_old",
]
