"""From a frame of raw strings to typed rows, with every bad cell reported.

Each parser takes the raw frame (one string column per mapped field, plus the
line numbers), and returns the typed rows the store takes, together with the
problems found. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from coachtui.importing.errors import RowProblem
from coachtui.importing.options import ImportOptions
from coachtui.importing.reading import LINE
from coachtui.importing.values import (
    Reading,
    currency_in_money,
    names_currency,
    parse_count,
    parse_date,
    parse_flag,
    parse_money,
    stage_key,
    stage_name_key,
)

WON_STAGES = ("won", "closedwon")
LOST_STAGES = ("lost", "closedlost")
STATUSES = {"open": "open", "won": "won", "closedwon": "won", "lost": "lost", "closedlost": "lost"}
_MAX_PER_CHECK = 1_000

Parsed = tuple[pl.DataFrame, list[RowProblem]]
Parser = Callable[[pl.DataFrame, dict[str, str], ImportOptions], Parsed]


def _bad_cells(frame: pl.DataFrame, mask: pl.Expr, field: str, column: str, reason: str):
    bad = frame.filter(mask).select(LINE, pl.col(field).fill_null("")).head(_MAX_PER_CHECK)
    return [RowProblem(line, column, value, reason) for line, value in bad.iter_rows()]


def _typed(
    raw: pl.DataFrame,
    mapping: dict[str, str],
    parsers: dict[str, tuple[Reading, str]],
    required: dict[str, str],
) -> Parsed:
    """Apply `parsers` (field -> (reading, reason when unreadable)) to the mapped
    fields; blank `required` fields are problems too.

    Each column is read the quick way first; a column with a cell the quick
    way cannot read is read again in full.
    """
    present = {f: spec for f, spec in parsers.items() if f in raw.columns}
    typed = raw.with_columns(
        (reading.quick if reading.quick is not None else reading.full).alias(f"{f}__typed")
        for f, (reading, _) in present.items()
    )
    unread = typed.select(
        (pl.col(f).is_not_null() & pl.col(f"{f}__typed").is_null()).any().alias(f)
        for f, (reading, _) in present.items()
        if reading.quick is not None
    )
    again = [f for f in unread.columns if unread.get_column(f).item()]
    typed = typed.with_columns(present[f][0].full.alias(f"{f}__typed") for f in again)
    problems: list[RowProblem] = []
    for f, (_, reason) in present.items():
        mask = pl.col(f).is_not_null() & pl.col(f"{f}__typed").is_null()
        problems += _bad_cells(typed, mask, f, mapping[f], reason)
    for f, reason in required.items():
        if f in raw.columns:
            problems += _bad_cells(typed, pl.col(f).is_null(), f, mapping[f], reason)
    typed = typed.with_columns(pl.col(f"{f}__typed").alias(f) for f in present)
    return typed.drop(f"{f}__typed" for f in present), problems


def _column(frame: pl.DataFrame, name: str, dtype: pl.DataType = pl.String) -> pl.Expr:
    """The column if the file had it, else nulls of `dtype`."""
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype)


def _shifted(frame: pl.DataFrame, columns: tuple[str, ...], days: int) -> pl.DataFrame:
    if not days:
        return frame
    delta = pl.duration(days=days)
    return frame.with_columns((pl.col(c) + delta).alias(c) for c in columns if c in frame.columns)


def _date_parsers(names: tuple[str, ...], options: ImportOptions):
    return {name: (parse_date(name, options.date_format), "is not a date") for name in names}


def status_from_stage(options: ImportOptions) -> pl.Expr:
    """`status` from the stage's name: won, lost (the defaults and the stages the
    user named) or open."""
    won = (*WON_STAGES, *map(stage_name_key, options.won_stages))
    lost = (*LOST_STAGES, *map(stage_name_key, options.lost_stages))
    key = stage_key("stage")
    status = (
        pl.when(key.is_in(won))
        .then(pl.lit("won"))
        .when(key.is_in(lost))
        .then(pl.lit("lost"))
        .otherwise(pl.lit("open"))
    )
    return (
        pl.col("stage")
        .map_batches(lambda stages: _per_distinct(stages, status), return_dtype=pl.String)
        .alias("status")
    )


def _per_distinct(column: pl.Series, expr: pl.Expr) -> pl.Series:
    """`expr` over `column`, worked out once per distinct value: an export has
    a million deals but a handful of stages."""
    name = column.name
    distinct = column.unique().to_frame().with_columns(expr.alias("__per_value"))
    found = column.to_frame().join(
        distinct, on=name, how="left", nulls_equal=True, maintain_order="left"
    )
    return found.get_column("__per_value")


def _status(frame: pl.DataFrame, options: ImportOptions) -> pl.Expr:
    from_stage = status_from_stage(options)
    if "is_closed" in frame.columns:
        return (
            pl.when(pl.col("is_won").fill_null(False) if "is_won" in frame.columns else False)
            .then(pl.lit("won"))
            .when(pl.col("is_closed"))
            .then(pl.lit("lost"))
            .otherwise(pl.lit("open"))
        )
    if "is_won" in frame.columns:
        return pl.when(pl.col("is_won")).then(pl.lit("won")).otherwise(from_stage)
    if "status" in frame.columns:
        return pl.coalesce(pl.col("status"), from_stage)
    return from_stage


CLOSED = ("won", "lost")
CLOSE_DATE_FIELDS = frozenset({"close_date", "won_time", "lost_time"})  # what it is read from


def _closed_and_currency(typed: pl.DataFrame) -> pl.DataFrame:
    """A closed deal's close date from its won or lost time when the export has one
    (Pipedrive); the currency from its column, else the one the amount names (`€900`)."""
    close = _column(typed, "close_date", pl.Date)
    return typed.with_columns(
        pl.when(pl.col("status") == "won")
        .then(pl.coalesce(_column(typed, "won_time", pl.Date), close))
        .when(pl.col("status") == "lost")
        .then(pl.coalesce(_column(typed, "lost_time", pl.Date), close))
        .otherwise(close)
        .alias("close_date"),
        pl.coalesce(
            _column(typed, "currency").str.strip_chars().str.to_uppercase(), "amount_currency"
        ).alias("currency"),
    )


def _with_deal_id(typed: pl.DataFrame) -> pl.DataFrame:
    """A deal id made of account, name and created date when the export has none."""
    if "deal_id" in typed.columns:
        return typed
    return typed.with_columns(
        pl.concat_str(
            [
                _column(typed, "account").fill_null(""),
                _column(typed, "name").fill_null(""),
                _column(typed, "created_date", pl.Date).cast(pl.String).fill_null(""),
            ],
            separator=" | ",
        ).alias("deal_id")
    )


def parse_deals(raw: pl.DataFrame, mapping: dict[str, str], options: ImportOptions) -> Parsed:
    dates = ("created_date", "close_date", "stage_entered_date", "won_time", "lost_time")
    status_values = Reading(stage_key("status").replace_strict(STATUSES, default=None))
    parsers = {
        "amount": (parse_money("amount"), "is not an amount"),
        "contacts": (parse_count("contacts"), "is not a whole number of contacts"),
        "is_won": (parse_flag("is_won"), "is not true or false"),
        "is_closed": (parse_flag("is_closed"), "is not true or false"),
        "status": (status_values, "is not a status (open, won or lost)"),
        "stage_order": (parse_count("stage_order"), "is not a stage position"),
        **_date_parsers(dates, options),
    }
    required = {
        "rep": "is blank; every deal needs a rep",
        "stage": "is blank; every deal needs a stage",
    }
    named = "amount" in raw.columns and names_currency(raw.get_column("amount"))
    money_currency = currency_in_money("amount") if named else pl.lit(None, pl.String)
    typed, problems = _typed(
        raw.with_columns(money_currency.alias("amount_currency")), mapping, parsers, required
    )
    typed = _shifted(typed, dates, options.shift_days).with_columns(
        _status(typed, options).alias("status")
    )
    typed = _with_deal_id(_closed_and_currency(typed))
    rows = typed.select(
        "deal_id",
        "rep",
        _column(typed, "account").alias("account"),
        _column(typed, "name").alias("name"),
        "stage",
        "status",
        _column(typed, "amount", pl.Float64).alias("amount"),
        "currency",
        _column(typed, "created_date", pl.Date).alias("created_date"),
        "close_date",
        _column(typed, "stage_entered_date", pl.Date).alias("stage_entered_date"),
        _column(typed, "contacts", pl.Int64).alias("contacts"),
        _column(typed, "stage_order", pl.Int64).alias("stage_order"),
        LINE,
    )
    return rows, problems


def closes_before_created(rows: pl.DataFrame) -> list[int]:
    """The lines of the deals whose close date is before their created date."""
    early = rows.filter(pl.col("close_date") < pl.col("created_date"))
    return early.get_column(LINE).sort().to_list()


def closed_without_a_date(rows: pl.DataFrame) -> list[int]:
    """The lines of the won or lost deals with no close date: no window counts
    them among its wins or losses (docs/METRICS.md)."""
    undated = rows.filter(pl.col("status").is_in(CLOSED) & pl.col("close_date").is_null())
    return undated.get_column(LINE).sort().to_list()


def parse_reps(raw: pl.DataFrame, mapping: dict[str, str], options: ImportOptions) -> Parsed:
    parsers = {"quota": (parse_money("quota"), "is not an amount")}
    typed, problems = _typed(raw, mapping, parsers, {"rep": "is blank; every rep needs a name"})
    rows = typed.select(
        "rep",
        *(_column(typed, c).alias(c) for c in ("rep_id", "manager", "region", "email")),
        _column(typed, "quota", pl.Float64).alias("quota"),
        LINE,
    )
    # a manager given by id (Salesforce ManagerId) is named by the row with that id
    names = rows.select(pl.col("rep_id").alias("manager"), pl.col("rep").alias("manager_name"))
    rows = (
        rows.join(names.drop_nulls().unique("manager"), on="manager", how="left")
        .with_columns(pl.coalesce("manager_name", "manager").alias("manager"))
        .drop("manager_name")
        .sort(LINE)
    )
    return rows, problems


def parse_history(raw: pl.DataFrame, mapping: dict[str, str], options: ImportOptions) -> Parsed:
    parsers = _date_parsers(("entered_at",), options)
    required = {
        "deal_id": "is blank; every stage change needs its deal",
        "stage": "is blank; every stage change needs its stage",
        "entered_at": "is blank; every stage change needs its date",
    }
    typed, problems = _typed(raw, mapping, parsers, required)
    typed = _shifted(typed, ("entered_at",), options.shift_days)
    rows = typed.select("deal_id", "stage", "entered_at", LINE).unique(
        ["deal_id", "stage", "entered_at"], keep="first", maintain_order=True
    )
    return rows, problems


def activity_type(column: str) -> pl.Expr:
    """call, email, meeting or other, from whatever the CRM calls the activity."""
    text = pl.col(column).str.to_lowercase()
    return (
        pl.when(text.str.contains("call|phone|dial"))
        .then(pl.lit("call"))
        .when(text.str.contains("mail"))
        .then(pl.lit("email"))
        .when(text.str.contains("meet|demo|event|visit|lunch|presentation"))
        .then(pl.lit("meeting"))
        .otherwise(pl.lit("other"))
    )


def parse_activities(raw: pl.DataFrame, mapping: dict[str, str], options: ImportOptions) -> Parsed:
    parsers = _date_parsers(("date",), options)
    required = {"rep": "is blank; every activity needs a rep", "date": "is blank"}
    typed, problems = _typed(raw, mapping, parsers, required)
    typed = _shifted(typed, ("date",), options.shift_days).with_columns(
        activity_type("type").alias("type")
        if "type" in raw.columns
        else pl.lit("other").alias("type"),
        _column(typed, "deal_id").alias("deal_id"),
    )
    if "activity_id" not in typed.columns:
        # the same rep, day, type and deal can occur several times: number them
        parts = ["rep", pl.col("date").cast(pl.String), "type", pl.col("deal_id").fill_null("")]
        occurrence = pl.int_range(pl.len()).over(parts).cast(pl.String)
        typed = typed.with_columns(
            pl.concat_str([*parts, occurrence], separator=" | ", ignore_nulls=True).alias(
                "activity_id"
            )
        )
    return typed.select("activity_id", "rep", "date", "type", "deal_id", LINE), problems


PARSERS: dict[str, Parser] = {
    "deals": parse_deals,
    "reps": parse_reps,
    "history": parse_history,
    "activities": parse_activities,
}

_KEYS = {"deals": "deal_id", "reps": "rep", "activities": "activity_id"}


def _rising(keys: pl.Series) -> bool:
    """Each key after the one before (an export sorted by its ids): then no
    key repeats, and no hashing of a million keys is needed to know it."""
    return keys.null_count() == 0 and bool(
        (keys.slice(1) > keys.slice(0, max(len(keys) - 1, 0))).all()
    )


def duplicate_keys(rows: pl.DataFrame, kind: str, mapping: dict[str, str]) -> list[RowProblem]:
    """Rows whose key (deal id, rep name, activity id) an earlier row already has."""
    key = _KEYS.get(kind)
    if key is None or _rising(rows.get_column(key)) or rows.get_column(key).is_unique().all():
        return []
    column = mapping.get(key, f"{key} (made from account, name and created date)")
    first = rows.select(key, LINE).group_by(key).agg(pl.col(LINE).min().alias("first"))
    repeats = (
        rows.select(key, LINE)
        .join(first, on=key)
        .filter(pl.col(LINE) != pl.col("first"))
        .sort(LINE)
        .head(_MAX_PER_CHECK)
    )
    return [
        RowProblem(line, column, value, f"repeats line {first_line}")
        for value, line, first_line in repeats.iter_rows()
    ]
