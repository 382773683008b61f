"""Numbers as a sales manager reads them, and CRM text as it was typed."""

from __future__ import annotations

import json
import math
import re

from rich.text import Text

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def money(value: float | None, currency: str | None = None) -> str:
    if value is None:
        return "-"
    sign = "-" if value < 0 else ""
    size = abs(value)
    text = f"{size / 1e6:,.1f}M" if size >= 10e6 else f"{size:,.0f}"
    if currency in SYMBOLS:
        return f"{sign}{SYMBOLS[currency]}{text}"
    return f"{sign}{text} {currency}" if currency else f"{sign}{text}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def days(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}d"


def count(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def change(ratio: float) -> str:
    """A ratio to the benchmark as a signed percentage: 0.36 -> "-64%"."""
    return f"{ratio - 1:+.0%}"


def money_short(value: float | None, currency: str | None = None) -> str:
    """Money in a narrow column: $950, $12k, $1.9M."""
    if value is None:
        return "-"
    size = abs(value)
    if size >= 1e6:
        text = f"{size / 1e6:.1f}M"
    elif size >= 10e3:
        text = f"{size / 1e3:.0f}k"
    elif size >= 1e3:
        text = f"{size / 1e3:.1f}k"
    else:
        text = f"{size:.0f}"
    sign = "-" if value < 0 else ""
    if currency in SYMBOLS:
        return f"{sign}{SYMBOLS[currency]}{text}"
    return f"{sign}{text}"


# C0 and C1 control characters (but tab and newline), DEL, and the Unicode
# direction overrides: shown, never sent to the terminal
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20 or code == 0x7F:
        return "^" + chr(code ^ 0x40)
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def visible(text: object) -> str:
    """CRM or user text with its control characters made visible (ESC as ^[)."""
    return _CONTROL.sub(_shown, str(text))


def literal(text: object, style: str = "", **options) -> Text:
    """CRM or user text for the screen: no markup, no control characters."""
    return Text(visible(text), style=style, **options)


# what a spreadsheet takes for the start of a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell of a CSV a spreadsheet may open: text with its control characters
    made visible and, when it starts like a formula, a leading `'` so it is
    shown and never run; numbers and None as they are."""
    if not isinstance(value, str):
        return value
    return visible("'" + value if value.startswith(_FORMULA_START) else value)


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def strict_json(document: object) -> str:
    """`document` as strict JSON, indented: a number that is not finite is
    null (never `NaN` or `Infinity`), and control characters that JSON lets
    through (DEL, C1, direction overrides) are escaped too."""
    text = json.dumps(_finite(document), indent=2, ensure_ascii=False, allow_nan=False)
    return _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"
