"""The `coachtui` command: the app, and the commands for scripts and shells."""

from coachtui.cli.commands import main, run

__all__ = ["main", "run"]
