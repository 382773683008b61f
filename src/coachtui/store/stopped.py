"""ctrl+c during a statement run through ADBC (the import's writes, the
commands' first read of the deals).

ADBC answers SIGINT during a statement by asking the driver to cancel it.
SQLite's driver cannot: the statement runs to its end, and ADBC then raises
the driver's refusal ("NOT_IMPLEMENTED") from the KeyboardInterrupt. Read as
a failure of the database, it would say the disk is full or the file
damaged; it is the user stopping the command.
"""

from __future__ import annotations


def stop_if_interrupted(error: Exception) -> None:
    """Raise KeyboardInterrupt when ADBC's `error` stands for ctrl+c."""
    if isinstance(error.__cause__, KeyboardInterrupt):
        raise KeyboardInterrupt from None
