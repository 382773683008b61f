"""coachtui: from deal review to deal coaching, in the terminal."""

from coachtui.allocator import give_back_at_once

__version__ = "0.1.0"

give_back_at_once()  # before polars loads (coachtui.allocator)
