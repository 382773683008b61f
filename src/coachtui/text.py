"""Numbers as a sales manager reads them, and CRM text as it was typed.

Plain strings, no Rich: the screens wrap them (`coachtui.screens.literal`)."""

from __future__ import annotations

import re

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
