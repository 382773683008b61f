"""What the numbers will lack for want of a column, said rather than shown as
zeros or blanks: counted among the file's deals once written, because a
column the file lacks keeps what is stored (a re-import of an export without
it loses nothing), and only a deal new, or changed where it depends on it,
is left without."""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from coachtui.importing.parsing import CLOSE_DATE_FIELDS, CLOSED
from coachtui.importing.writing import Writer


class Lacking(NamedTuple):
    column: str  # the deals' column left blank
    fields: frozenset[str]  # the file's fields it is read from
    closed_only: bool  # whether only won and lost deals need it
    said: str  # with {count}


LACKING = (
    Lacking(
        "created_date",
        frozenset({"created_date"}),
        False,
        "deals with no created date: {count}; new pipeline and the sales cycle cannot be "
        "computed for them. The file has no created-date column: if it has one, name it "
        "with --map created_date=COLUMN",
    ),
    Lacking(
        "amount",
        frozenset({"amount"}),
        False,
        "deals with no amount: {count}; pipeline, deal size and velocity leave them out. "
        "The file has no amount column: if it has one, name it with --map amount=COLUMN",
    ),
    Lacking(
        "close_date",
        CLOSE_DATE_FIELDS,
        True,
        "won or lost deals with no close date: {count}; no window counts them among its "
        "wins or losses. The file has no close-date column: if it has one, name it with "
        "--map close_date=COLUMN",
    ),
)


def lacking(writer: Writer, mapping: dict[str, str], deals: pl.DataFrame) -> list[str]:
    """For each column the file lacks, how many of its deals are left without
    it once written (in the import's transaction, a dry run's too)."""
    said = []
    for lack in LACKING:
        if lack.fields & mapping.keys():
            continue
        mine = deals.filter(pl.col("status").is_in(CLOSED)) if lack.closed_only else deals
        if mine.is_empty():
            continue
        closed = f" AND status IN {CLOSED!r}" if lack.closed_only else ""
        blank = writer.rows(f"SELECT deal_id FROM deals WHERE {lack.column} IS NULL{closed}")
        count = mine.get_column("deal_id").is_in([deal_id for (deal_id,) in blank]).sum()
        said += [lack.said.format(count=f"{count:,}")] if count else []
    return said
