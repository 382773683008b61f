"""coachtui: from deal review to deal coaching, in the terminal."""

import os

__version__ = "0.1.0"

# polars allocates through jemalloc, which by default keeps freed memory
# around for reuse: importing or opening a million deals then peaked ~280 MB
# (import) and ~100 MB (app) higher. Give freed memory back at once; a user's
# own setting wins. This must run before polars loads, hence here.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
