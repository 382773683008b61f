"""Numbers as a sales manager reads them, and CRM text as it was typed.

Plain strings, no Rich: the screens wrap them (`coachtui.screens.literal`)."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import re
from collections.abc import Iterable

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


def counted(n: int, thing: str, things: str | None = None) -> str:
    """ "1 invalid value", "3 invalid values" (`things`: when not `thing` + s)."""
    return f"{n:,} {thing if n == 1 else things or thing + 's'}"


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


# each metric as a sentence names it
METRIC_NAMES = {
    "open_deals": "open deals",
    "open_pipeline": "open pipeline",
    "new_deals": "new deals",
    "new_pipeline": "new pipeline",
    "won_deals": "won deals",
    "lost_deals": "lost deals",
    "won_amount": "won",
    "win_rate": "win rate",
    "avg_deal_size": "average deal",
    "avg_cycle_days": "cycle",
    "sales_velocity": "velocity a day",
    "stalled_deals": "stalled deals",
}

# how each number is shown: the per-rep metrics, and the activities of the trends
_SHOWN_AS = {
    "open_deals": count,
    "open_pipeline": money,
    "new_deals": count,
    "new_pipeline": money,
    "won_deals": count,
    "lost_deals": count,
    "won_amount": money,
    "win_rate": percent,
    "avg_deal_size": money,
    "avg_cycle_days": days,
    "sales_velocity": money,
    "stalled_deals": count,
    "activities": count,
}


def metric_text(
    metric: str, value: float | None, currency: str | None = None, *, short: bool = False
) -> str:
    """A metric's value as the manager reads it; `short` money fits a narrow cell ($12k)."""
    show = _SHOWN_AS[metric]
    if show is money:
        return money_short(value, currency) if short else money(value, currency)
    return show(value)


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


ELLIPSIS = "…"  # where text is cut


def elide(text: str, width: int) -> str:
    """`text` in at most `width` columns: cut at a word and marked with `…`,
    never mid-word (a first word longer than the width is cut at the width)."""
    if len(text) <= width:
        return text
    cut = text[: max(width - 1, 0)]
    whole_words = text[len(cut)] == " " or " " not in cut
    at_word = cut if whole_words else cut.rsplit(" ", 1)[0]
    return at_word.rstrip(" ,;:-") + ELLIPSIS


def day(value: dt.date) -> str:
    """A date as a manager says it: "Fri 04 Dec"."""
    return f"{value:%a %d %b}"


# what a spreadsheet takes for the start of a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell of a CSV a spreadsheet may open: text with its control characters
    made visible and, when it starts like a formula, a leading `'` so it is
    shown and never run; numbers and None as they are."""
    if not isinstance(value, str):
        return value
    return visible("'" + value if value.startswith(_FORMULA_START) else value)


def csv_text(columns: tuple[str, ...], rows: Iterable[Iterable[object]]) -> str:
    """A CSV with a header: null as an empty cell, booleans as true/false,
    numbers unrounded, text safe in a spreadsheet."""

    def cell(value: object) -> object:
        kind = type(value)
        if kind is float:
            return repr(value) if math.isfinite(value) else ""
        if kind is int:
            return value
        if kind is str:
            return safe_text(value)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return repr(value) if math.isfinite(value) else ""
        return csv_cell(value)

    safe_text = functools.lru_cache(maxsize=4096)(csv_cell)  # names repeat row after row

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


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
