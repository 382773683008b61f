"""Reading the values real exports hold, as polars expressions over string columns.

Each parser returns a `Reading`: expressions that are null where the cell is
blank *or* unreadable; `import` compares them with the raw cell to report the
bad ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Reading:
    """`full` reads every form a value comes in. `quick`, when there is one,
    reads only the plain form most exports use (ISO dates, plain numbers) at a
    tenth of the cost, and is null elsewhere; where it reads a cell, it reads
    the same value as `full`. A column the quick form reads whole needs no more."""

    full: pl.Expr
    quick: pl.Expr | None = None


_DATE_PART = r"^([^T\s]+)"
_DATE_SHAPES: tuple[tuple[str, str], ...] = (
    (r"^\d{4}-\d{1,2}-\d{1,2}$", "%Y-%m-%d"),
    (r"^\d{1,2}/\d{1,2}/\d{4}$", "%m/%d/%Y"),
    (r"^\d{1,2}/\d{1,2}/\d{2}$", "%m/%d/%y"),
    (r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d"),
    (r"^\d{1,2}\.\d{1,2}\.\d{4}$", "%d.%m.%Y"),
)
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_FIRST_DAY, _LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)

_SYMBOL = r"[$€£¥]"
_MONEY = (
    rf"^\(?\s*(?:[A-Z]{{3}}\s*|{_SYMBOL}\s*)?-?\s*(?:[A-Z]{{3}}\s*|{_SYMBOL}\s*)?"
    rf"\d[\d.,' ]*(?:\s*[A-Z]{{3}}|\s*{_SYMBOL})?\s*\)?-?$"
)
_PLAIN_NUMBER = r"^-?\d+(\.\d+)?$"
_SYMBOL_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}

_MAX_COUNT = 2**53  # past this a float has no whole numbers left
_TRUE = ("true", "1", "yes", "y", "t", "x")
_FALSE = ("false", "0", "no", "n", "f", "")


def parse_date(column: str, date_format: str | None = None) -> Reading:
    """A calendar date: ISO with or without time, US M/D/YYYY, YYYY/M/D, D.M.YYYY.

    A timestamp counts by its date part, without time-zone conversion.
    With `date_format` only that format is accepted.
    """
    raw = pl.col(column)
    if date_format:
        return Reading(_in_years(raw.str.to_datetime(date_format, strict=False).dt.date()))
    part = raw.str.extract(_DATE_PART)
    parsed = pl.lit(None, pl.Date)
    for shape, fmt in reversed(_DATE_SHAPES):
        parsed = (
            pl.when(part.str.contains(shape))
            .then(part.str.to_date(fmt, strict=False))
            .otherwise(parsed)
        )
    iso = pl.when(raw.str.contains(_ISO_DATE)).then(raw.str.to_date("%Y-%m-%d", strict=False))
    return Reading(full=_in_years(parsed), quick=_in_years(iso))


def _in_years(parsed: pl.Expr) -> pl.Expr:
    """The dates of the years 1900 to 2199; null for any other."""
    return pl.when(parsed.is_between(_FIRST_DAY, _LAST_DAY)).then(parsed)


def parse_money(column: str) -> Reading:
    """An amount as exports write it: `1200.5`, `$1,200.50`, `USD 1,200`,
    `1.200,50 €`, `(300)` for negative."""
    raw = pl.col(column)
    negative = raw.str.contains(r"^\(.*\)$") | raw.str.contains(r"^-|-$|[A-Za-z$€£¥]\s*-")
    digits = raw.str.replace_all(r"[^0-9.,]", "")
    both = digits.str.contains(",") & digits.str.contains(r"\.")
    decimal_comma = (
        pl.when(both)
        .then(digits.str.contains(r",\d*$"))
        .otherwise(digits.str.contains(",") & ~digits.str.contains(r"^\d{1,3}(,\d{3})+$"))
    )
    dotted_thousands = ~digits.str.contains(",") & digits.str.contains(r"^\d{1,3}(\.\d{3}){2,}$")
    plain = (
        pl.when(decimal_comma)
        .then(digits.str.replace_all(r"\.", "").str.replace(",", "."))
        .when(dotted_thousands)
        .then(digits.str.replace_all(r"\.", ""))
        .otherwise(digits.str.replace_all(",", ""))
    )
    value = plain.cast(pl.Float64, strict=False)
    value = pl.when(negative).then(-value).otherwise(value)
    plain_value = raw.cast(pl.Float64, strict=False)
    # a number too long for a float (400 digits) reads as infinity: not an amount
    quick = pl.when(raw.str.contains(_PLAIN_NUMBER) & plain_value.is_finite()).then(plain_value)
    full = pl.when(raw.str.contains(_MONEY) & value.is_finite()).then(value)
    return Reading(full=full, quick=quick)


def names_currency(amounts: pl.Series) -> bool:
    """Whether any cell could name a currency (`USD 1,200`, `€900`): a plain
    number (digits, point, minus) cannot."""
    return bool(amounts.str.contains(r"[^\d.\-\s]").any())


def currency_in_money(column: str) -> pl.Expr:
    """The currency an amount cell names itself (`USD 1,200`, `€900`), if any."""
    raw = pl.col(column)
    code = raw.str.extract(r"\b([A-Z]{3})\b")
    symbol = raw.str.extract(rf"({_SYMBOL})").replace_strict(
        _SYMBOL_CURRENCY, default=None, return_dtype=pl.String
    )
    return pl.coalesce(code, symbol)


def parse_count(column: str) -> Reading:
    """A whole number of zero or more (`3`, `3.0`)."""
    raw = pl.col(column)
    value = raw.str.replace_all(r"[,\s]", "").cast(pl.Float64, strict=False)
    quick = pl.when(raw.str.contains(r"^\d{1,15}$")).then(raw.cast(pl.Int64, strict=False))
    whole = value.is_finite() & value.is_between(0, _MAX_COUNT) & (value == value.floor())
    return Reading(full=pl.when(whole).then(value.cast(pl.Int64, strict=False)), quick=quick)


def parse_flag(column: str) -> Reading:
    """true/false, 1/0, yes/no; null for anything else."""
    lowered = pl.col(column).str.to_lowercase().str.strip_chars()
    return Reading(pl.when(lowered.is_in(_TRUE)).then(True).when(lowered.is_in(_FALSE)).then(False))


def stage_key(stage: pl.Expr | str) -> pl.Expr:
    """The form stage names are compared in: lower case, no spaces, `_` or `-`."""
    expr = pl.col(stage) if isinstance(stage, str) else stage
    return expr.str.to_lowercase().str.replace_all(r"[\s_\-]", "")


def stage_name_key(stage: str) -> str:
    """`stage_key` for one name given on the command line."""
    return "".join(ch for ch in stage.lower() if ch not in " \t_-")
