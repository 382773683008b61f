"""The `coachtui` command: the app, and the commands for scripts and shells."""

from coachtui.cli.commands import main

__all__ = ["main"]
