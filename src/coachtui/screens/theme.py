"""The theme: the configured one, else ANSI colours on a 16-colour terminal."""

from __future__ import annotations

import os
from collections.abc import Iterable

SIXTEEN_COLOUR_TERMS = ("linux", "vt100", "vt220", "ansi", "cons25")


def sixteen_colours(environ=os.environ) -> bool:
    """A console or terminal with the 16 ANSI colours only (TERM=linux and alike)."""
    term = environ.get("TERM", "")
    return term in SIXTEEN_COLOUR_TERMS or term.endswith("-16color")


def choose_theme(wanted: str | None, available: Iterable[str]) -> tuple[str, str | None]:
    """The theme to use, and what to tell the manager when the configured one
    does not exist."""
    available = sorted(available)
    default = "ansi-dark" if sixteen_colours() else "textual-dark"
    if wanted and wanted not in available:
        return default, f"theme {wanted!r} is not one of: {', '.join(available)}"
    return wanted or default, None
