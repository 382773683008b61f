"""coachtui: from deal review to deal coaching, in the terminal."""

__version__ = "0.1.0"
