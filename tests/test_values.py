"""Values as real exports write them."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from coachtui.importing.values import currency_in_money, parse_count, parse_date, parse_money


def one(expr: pl.Expr, value: str):
    return pl.DataFrame({"v": [value]}, schema={"v": pl.String}).select(expr).item()


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1200", 1200.0),
        ("$1,200.50", 1200.5),
        ("USD 1,200", 1200.0),
        ("1.200,50 €", 1200.5),
        ("1 200,50", 1200.5),
        ("1,5", 1.5),
        ("1.234.567", 1234567.0),
        ("(300)", -300.0),
        ("-75.25", -75.25),
        ("$-1,000", -1000.0),
        ("12 apples", None),
        ("n/a", None),
        ("EURO", None),
    ],
)
def test_money(text, amount):
    assert one(parse_money("v"), text) == amount


@pytest.mark.parametrize(
    ("text", "currency"),
    [("USD 1,200", "USD"), ("€900", "EUR"), ("£5", "GBP"), ("1200 SEK", "SEK"), ("1200", None)],
)
def test_currency_written_in_the_amount(text, currency):
    assert one(currency_in_money("v"), text) == currency


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2026-03-05", dt.date(2026, 3, 5)),
        ("2026-03-05T23:59:59.000Z", dt.date(2026, 3, 5)),
        ("2026-03-05 08:00", dt.date(2026, 3, 5)),
        ("3/5/2026", dt.date(2026, 3, 5)),
        ("03/05/2026 10:00 AM", dt.date(2026, 3, 5)),
        ("3/5/26", dt.date(2026, 3, 5)),
        ("2026/3/5", dt.date(2026, 3, 5)),
        ("05.03.2026", dt.date(2026, 3, 5)),
        ("13/45/2026", None),
        ("0026-01-01", None),
        ("yesterday", None),
    ],
)
def test_dates(text, date):
    assert one(parse_date("v"), text) == date


def test_explicit_date_format():
    assert one(parse_date("v", "%d/%m/%Y"), "31/12/2025") == dt.date(2025, 12, 31)
    assert one(parse_date("v", "%d/%m/%Y"), "12/31/2025") is None


@pytest.mark.parametrize(("text", "count"), [("3", 3), ("3.0", 3), ("2.5", None), ("-1", None)])
def test_counts(text, count):
    assert one(parse_count("v"), text) == count
