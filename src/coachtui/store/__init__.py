"""The SQLite file: connection, schema and migrations, backup, meta."""

from coachtui.errors import StoreError
from coachtui.store.database import (
    APPLICATION_ID,
    MIGRATIONS,
    PIPELINE_ORDER,
    SCHEMA_VERSION,
    Store,
    connect,
    remove_database,
)
from coachtui.store.integrity import damaged

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
]
