"""What the numbers will lack for want of a column, said rather than shown as
zeros or blanks: counted among the file's deals once written, because a
column the file lacks keeps what is stored (a re-import of an export without
it loses nothing), and only a deal new, or changed where it depends on it,
is left without."""

from __future__ import annotations

from typing import NamedTuple

from coachtui.importing.parsing import CLOSE_DATE_FIELDS, CLOSED
from coachtui.importing.writing import Writer, only_written


class Lacking(NamedTuple):
    column: str  # the deals' column left blank, and the field that fills it
    fields: frozenset[str]  # the file's fields it is read from
    closed_only: bool  # whether only won and lost deals need it
    name: str
    cost: str  # what the numbers lose without it

    @property
    def deals(self) -> str:
        """ "won or lost deals with no close date"."""
        return f"{'won or lost deals' if self.closed_only else 'deals'} with no {self.name}"

    def said(self, count: int) -> str:
        column = self.name.replace(" ", "-")
        return (
            f"{self.deals}: {count:,}; {self.cost}. The file has no {column} column: "
            f"if it has one, name it with --map {self.column}=COLUMN"
        )


# also said of the closed deals whose close date is blank (run.DOUBTS)
CLOSE_DATE = Lacking(
    "close_date",
    CLOSE_DATE_FIELDS,
    True,
    "close date",
    "no window counts them among its wins or losses",
)


LACKING = (
    Lacking(
        "created_date",
        frozenset({"created_date"}),
        False,
        "created date",
        "new pipeline and the sales cycle cannot be computed for them",
    ),
    Lacking(
        "amount",
        frozenset({"amount"}),
        False,
        "amount",
        "pipeline, won amount, deal size and velocity leave them out",
    ),
    CLOSE_DATE,
)


def lacking(writer: Writer, mapping: dict[str, str]) -> list[str]:
    """For each column the file lacks, how many of its deals are left without
    it once written (in the import's transaction, a dry run's too): one pass
    over the deals written, by their key."""
    missing = [lack for lack in LACKING if not lack.fields & mapping.keys()]
    if not missing:
        return []
    closed = ", ".join(f"'{status}'" for status in CLOSED)
    blank = [
        f"SUM({lack.column} IS NULL" + (f" AND status IN ({closed}))" if lack.closed_only else ")")
        for lack in missing
    ]
    written = only_written(writer, "deal_id")
    counts = writer.rows(f"SELECT {', '.join(blank)} FROM deals {written}")[0]
    return [lack.said(count) for lack, count in zip(missing, counts, strict=True) if count]
