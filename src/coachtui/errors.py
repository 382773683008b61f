"""Errors every layer may raise, with messages meant for the manager."""


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""
