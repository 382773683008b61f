"""CRM and user text as Rich `Text`: never read as markup, control characters shown."""

from __future__ import annotations

from rich.text import Text

from coachtui.text import visible


def literal(text: object, style: str = "", **options) -> Text:
    """CRM or user text for the screen: no markup, no control characters."""
    return Text(visible(text), style=style, **options)
