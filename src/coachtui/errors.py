"""Errors every layer may raise, with messages meant for the manager."""


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


class UnsafePath(StoreError):
    """A folder or file another user could have prepared: a link, someone
    else's file, a folder others may write to. The message names it and the fix."""
