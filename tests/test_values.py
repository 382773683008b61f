"""Values as real exports write them."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachtui.importing.values import (
    Reading,
    currency_in_money,
    parse_count,
    parse_date,
    parse_money,
)


def one(reading: Reading | pl.Expr, value: str):
    """The value read from one cell; the quick form, where it reads the cell,
    must read the same."""
    frame = pl.DataFrame({"v": [value]}, schema={"v": pl.String})
    if isinstance(reading, pl.Expr):
        return frame.select(reading).item()
    full = frame.select(reading.full).item()
    if reading.quick is not None:
        assert frame.select(reading.quick).item() in (None, full)
    return full


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


@pytest.mark.parametrize(
    ("parse", "text", "quick", "full"),
    [
        (parse_money, "141478.00", 141478.0, 141478.0),
        (parse_money, "-75.25", -75.25, -75.25),
        (parse_money, "$1,200.50", None, 1200.5),
        (parse_date, "2026-03-05", dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
        (parse_date, "2026-3-5", None, dt.date(2026, 3, 5)),
        (parse_date, "1899-12-31", None, None),
        (parse_count, "7", 7, 7),
        (parse_count, "3.0", None, 3),
    ],
)
def test_the_quick_form_reads_plain_values_and_leaves_the_rest(parse, text, quick, full):
    frame = pl.DataFrame({"v": [text]}, schema={"v": pl.String})
    assert frame.select(parse("v").quick).item() == quick
    assert frame.select(parse("v").full).item() == full


CELLS = st.one_of(
    st.text(alphabet="0123456789-.,/ $€T:()", max_size=14),
    st.from_regex(r"\A-?\d{1,6}(\.\d{1,3})?\Z"),
    st.dates().map(str),
)


@given(CELLS)
def test_the_quick_form_never_reads_a_cell_otherwise(text):
    for reading in (parse_money("v"), parse_date("v"), parse_count("v")):
        one(reading, text)


@pytest.mark.parametrize(("text", "count"), [("3", 3), ("3.0", 3), ("2.5", None), ("-1", None)])
def test_counts(text, count):
    assert one(parse_count("v"), text) == count
