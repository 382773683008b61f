"""`coachtui import KIND FILE`: read, check every row, then write all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import polars as pl

from coachtui.importing import parsing
from coachtui.importing.errors import ImportRefused
from coachtui.importing.fields import KINDS, Kind, normalize
from coachtui.importing.keeping import keep_after_import
from coachtui.importing.lacking import CLOSE_DATE, lacking
from coachtui.importing.layouts import LAYOUTS, detect_layout
from coachtui.importing.options import ImportOptions
from coachtui.importing.reading import LINE, CsvFile
from coachtui.importing.saving import SAVERS, TABLES, log_import
from coachtui.importing.summary import ImportSummary
from coachtui.importing.writing import transaction
from coachtui.store import Store
from coachtui.text import counted, visible

Progress = Callable[[str], None]


def _explicit_mapping(kind: Kind, csv: CsvFile, mapping: dict[str, str]) -> dict[str, str]:
    """Check `--map FIELD=COLUMN` against the kind's fields and the file's header."""
    known = (*kind.fields, *kind.helpers)
    by_name = {normalize(column): column for column in csv.header}
    resolved: dict[str, str] = {}
    for wanted_field, column in mapping.items():
        if wanted_field not in known:
            raise ImportRefused(
                csv.file,
                f"--map names the unknown field {wanted_field!r}; "
                f"{kind.name} fields are {', '.join(known)}",
            )
        actual = column if column in csv.header else by_name.get(normalize(column))
        if actual is None:
            raise ImportRefused(
                csv.file,
                f"--map {wanted_field}={column}: the file has no column {column!r}; "
                f"its columns are {csv.columns_seen()}",
            )
        resolved[wanted_field] = actual
    return resolved


def _check_required(kind: Kind, csv: CsvFile, mapping: dict[str, str]) -> None:
    missing = [name for name in kind.required if name not in mapping]
    if missing:
        first = missing[0]
        # the example names a column no field took: the likeliest, and never the id
        unused = [column for column in csv.header if column not in mapping.values()]
        example = visible((unused or csv.header)[0])
        raise ImportRefused(
            csv.file,
            f"no column for {', '.join(missing)} (required for {kind.name}). "
            f"Columns seen: {csv.columns_seen()}. "
            f'Name the column with --map, for example --map {first}="{example}"',
        )


PARSE_CHUNK_ROWS = 200_000


def _check(raw, kind_name: str, mapping: dict[str, str], options: ImportOptions):
    """Typed rows, and why the file cannot be imported (summary, problems), if it cannot.

    Deals are parsed row by row, so a large export is parsed in slices: the
    parsers' intermediate columns then need a fraction of the memory.
    """
    parse = parsing.PARSERS[kind_name]
    slices = raw.iter_slices(PARSE_CHUNK_ROWS) if kind_name == "deals" else [raw]
    parts = [parse(part, mapping, options) for part in slices]
    rows = pl.concat([part_rows for part_rows, _ in parts])
    problems = [problem for _, part_problems in parts for problem in part_problems]
    if problems:
        return rows, (counted(len(problems), "invalid value"), problems)
    duplicates = parsing.duplicate_keys(rows, kind_name, mapping)
    if duplicates:
        return rows, (counted(len(duplicates), "duplicated row"), duplicates)
    return rows, None


SHOWN_LINES = 5


class Doubt(NamedTuple):
    """Deals imported as they are but worth a look."""

    what: str
    then: str
    lines: Callable[[pl.DataFrame], list[int]]  # the lines of the deals in doubt
    # looked for only when the file maps one of these fields (a column the
    # file lacks is said by `lacking`)
    needs: frozenset[str]


DOUBTS = (
    Doubt(
        "deals that close before they were created",
        "imported as they are: check them in the CRM",
        parsing.closes_before_created,
        frozenset({"created_date"}),
    ),
    Doubt(
        CLOSE_DATE.deals,
        f"{CLOSE_DATE.cost}: check them in the CRM",
        parsing.closed_without_a_date,
        CLOSE_DATE.fields,
    ),
)


def _doubtful(
    csv: CsvFile,
    rows: pl.DataFrame,
    kind_name: str,
    mapping: dict[str, str],
    options: ImportOptions,
) -> list[str]:
    """The deals imported as they are but worth a look (real CRMs hold such
    records), by their lines."""
    if kind_name != "deals":
        return []
    doubts = [doubt for doubt in DOUBTS if doubt.needs & mapping.keys() and doubt.lines(rows)]
    if doubts and not csv.lines_exact(rows):  # read again, for the right lines
        rows = _check(csv.read_exact(mapping), kind_name, mapping, options)[0]
    return [_said(doubt, doubt.lines(rows)) for doubt in doubts]


def _said(doubt: Doubt, lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:SHOWN_LINES])) + (", ..." if len(lines) > SHOWN_LINES else "")
    plural = "s" if len(lines) > 1 else ""
    return f"{doubt.what}: {len(lines)} (line{plural} {shown}); {doubt.then}"


def import_file(
    store: Store,
    kind_name: str,
    path: Path,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one CSV export of `kind_name` into `store`; raises ImportRefused."""
    options = options or ImportOptions()
    report = progress or (lambda _phase: None)
    kind = KINDS[kind_name]
    store.require_writable()  # before reading a large file for nothing
    if options.layout not in LAYOUTS:
        raise ImportRefused(path.name, f"unknown format {options.layout!r}")
    report("reading")
    csv = CsvFile.open(path, options.encoding, options.max_file_bytes)
    layout = detect_layout(csv.header) if options.layout == "auto" else options.layout
    mapping = kind.match(csv.header, _explicit_mapping(kind, csv, options.mapping))
    _check_required(kind, csv, mapping)
    report("checking")
    rows, refusal = _check(csv.read(mapping), kind_name, mapping, options)
    if refusal:  # read again, slower, for line numbers that are right to the line
        rows, refusal = _check(csv.read_exact(mapping), kind_name, mapping, options)
    if refusal:
        raise ImportRefused(csv.file, *refusal)
    warnings = [*csv.warnings, *_doubtful(csv, rows, kind_name, mapping, options)]
    report(f"writing {rows.height:,} rows")
    save, rows = SAVERS[kind_name], rows.drop(LINE)
    with transaction(store, not options.dry_run, TABLES[kind_name]) as writer:
        counts = save(writer, rows, options, layout, frozenset(mapping))
        log_import(writer, kind_name, path, layout, rows.height, counts)
        missing = lacking(writer, mapping) if kind_name == "deals" else []
    if not options.dry_run:
        keep_after_import(store, kind_name, rows)
    return ImportSummary(
        kind=kind_name,
        file=str(path),
        layout=layout,
        encoding=csv.encoding,
        mapping=mapping,
        rows=rows.height,
        new=counts.new,
        updated=counts.updated,
        unchanged=counts.unchanged,
        dry_run=options.dry_run,
        warnings=[*warnings, *missing],
    )
