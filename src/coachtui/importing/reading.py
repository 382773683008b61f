"""Reading a CRM export: bytes to text, text to a frame of strings with line numbers.

Two readers over the same decoded text. `read` is polars' CSV reader: fast,
with line numbers that are right as long as no quoted cell spans lines and no
line is blank. `read_exact` is the standard `csv` module, which knows the
physical line each record starts on; the import uses it whenever it has
something to report, so every message names the right line.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from coachtui.importing.errors import ImportRefused, RowProblem
from coachtui.importing.limits import MAX_CELL_BYTES, NotImportable, read_bytes, size
from coachtui.text import counted, elide, visible

COLUMNS_SEEN, NAME_SEEN = 40, 60  # of a header, named in a refusal

LINE = "__line"
_LINES = re.compile(r"[^\r\n]+")
_CHUNK_ROWS = 50_000
_DELIMITERS = (",", ";", "\t", "|")

csv.field_size_limit(MAX_CELL_BYTES)


def decode(raw: bytes, file: str, encoding: str | None) -> tuple[str, str, str | None]:
    """The file's text, the encoding it was read with, and a warning when that
    encoding is a guess that may be wrong.

    Without `--encoding`: a BOM decides; else UTF-16 when the bytes look like
    it; else UTF-8 if the bytes are valid UTF-8; else Windows-1252 (what Excel
    and most CRMs write on Windows), falling back to Latin-1, which accepts
    any byte. A NUL byte anywhere is refused with its line.
    """
    if not raw or raw.isspace():  # (strip() would copy the file)
        raise ImportRefused(file, "the file is empty")
    if raw.startswith(b"PK\x03\x04"):
        raise ImportRefused(file, "this is a spreadsheet (xlsx or zip), not CSV; save it as CSV")
    warning = None
    bom = next((name for mark, name in _BOMS if raw.startswith(mark)), None)
    used = encoding or bom or _utf16_without_bom(raw)
    if used:
        text = _decoded(raw, used, file)
    else:
        text, used, warning = _guessed(raw, file)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ImportRefused(
            file,
            f"line {line} holds a NUL byte: this looks like a binary file, not a CSV export "
            "(if it is UTF-16, try --encoding utf-16-le or utf-16-be)",
        )
    return text, used, warning


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# other encodings exports come in, named in hints when they read a file
_LIKELY = ("utf-8", "cp1252", "shift_jis", "gb18030", "big5", "euc-kr")
_SAMPLE = 1024 * 1024
_HIGH_RUNS = re.compile(rb"[\x80-\xff]+")


def _utf16_without_bom(raw: bytes) -> str | None:
    """utf-16-le or -be when most characters have a zero byte on the same side."""
    sample = raw[: _SAMPLE - _SAMPLE % 2]
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if pairs and odd > pairs * 0.3 and even < pairs * 0.05:
        return "utf-16-le"
    if pairs and even > pairs * 0.3 and odd < pairs * 0.05:
        return "utf-16-be"
    return None


def _candidates(raw: bytes, tried: str) -> list[str]:
    """The likely encodings, but `tried`, that read the start of `raw`."""
    sample, found = raw[:_SAMPLE], []
    for name in _LIKELY:
        if name != tried:
            try:
                codecs.getincrementaldecoder(name)().decode(sample, final=False)
            except UnicodeDecodeError:
                continue
            found.append(name)
    return found


def _guessed(raw: bytes, file: str) -> tuple[str, str, str | None]:
    """UTF-8, else Windows-1252, else Latin-1; with a warning when the bytes
    look like a multi-byte encoding (Shift-JIS, GB18030...) read as single
    bytes: accented letters stand alone in Western text."""
    with contextlib.suppress(UnicodeDecodeError):
        return raw.decode("utf-8"), "utf-8", None
    runs = [len(run) for run in _HIGH_RUNS.findall(raw, 0, _SAMPLE)]
    multi_byte = sum(n for n in runs if n > 1) > sum(runs) / 2
    for name in ("cp1252", "latin-1"):
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        if name == "cp1252" and not multi_byte:
            return text, name, None
        others = _candidates(raw, name)
        which = " or ".join(others) if others else "and the file's encoding"
        warning = (
            f"{file} is not UTF-8 and was read as {name}; if names look garbled, "
            f"import it again with --encoding {which}"
        )
        return text, name, warning
    raise AssertionError("latin-1 decodes any byte string")


def _decoded(raw: bytes, encoding: str, file: str) -> str:
    """`raw` in `encoding` (named with --encoding, a byte-order mark, or by
    its zero bytes), or the line and byte where it is not that encoding, and
    the encodings that read the file."""
    try:
        return raw.decode(encoding)
    except LookupError:
        raise ImportRefused(file, f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        others = _candidates(raw, encoding)
        hint = f"try --encoding {' or '.join(others)}" if others else "name it with --encoding"
        raise ImportRefused(
            file, f"line {line} is not valid {encoding} (byte {exc.start}); {hint}"
        ) from None


def _first_line(text: str) -> str:
    """The first line with something on it, without splitting the whole file."""
    for line in _LINES.finditer(text):
        if line.group().strip():
            return line.group()
    return ""


def _delimiter(header_line: str) -> str:
    return max(_DELIMITERS, key=header_line.count)


@dataclass
class CsvFile:
    """A decoded export: its header and a way to read the columns wanted."""

    file: str
    data: bytes  # the file as UTF-8 (transcoded if it was not)
    encoding: str
    delimiter: str
    header: list[str]
    warnings: list[str]  # what the summary says about how the file was read

    @classmethod
    def open(cls, path: Path, encoding: str | None, max_bytes: int) -> CsvFile:
        file = path.name
        try:
            raw = read_bytes(path, max_bytes)
        except OSError as exc:
            raise ImportRefused(str(path), exc.strerror or str(exc)) from None
        except NotImportable as exc:
            raise ImportRefused(file, str(exc)) from None
        text, used, warning = decode(raw, file, encoding)
        first_line = _first_line(text)
        if used == "utf-8":
            data = raw
        elif used == "utf-8-sig":
            data = raw[3:]
        else:
            data = text.encode("utf-8")
        del text, raw
        delimiter = _delimiter(first_line)
        try:
            header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
        except csv.Error as exc:
            raise ImportRefused(file, f"the header is not valid CSV ({exc})") from None
        header = [column.strip().lstrip("\ufeff") for column in header]
        if not any(header):
            raise ImportRefused(file, "the file has no header row")
        twice = next((c for n, c in enumerate(header) if c and c in header[:n]), None)
        if twice is not None:
            raise ImportRefused(
                file, f"the header has the column {twice!r} twice; give each column its own name"
            )
        return cls(file, data, used, delimiter, header, [warning] if warning else [])

    def lines_exact(self, frame: pl.DataFrame) -> bool:
        """Whether `frame` (from `read`) numbers the physical lines: true
        unless the numbering skipped one (a blank line, a cell over lines)."""
        lines = self.data.count(b"\n") + (not self.data.endswith(b"\n"))
        return frame.height == 0 or frame.get_column(LINE).max() == lines

    def columns_seen(self) -> str:
        """The header's names for a message, control characters made visible:
        the first COLUMNS_SEEN, each in NAME_SEEN characters at most (a file
        of 20,000 columns made a message of 149 KB)."""
        names = ", ".join(
            elide(visible(column), NAME_SEEN) for column in self.header[:COLUMNS_SEEN]
        )
        more = len(self.header) - COLUMNS_SEEN
        return names + (f" and {more:,} more" if more > 0 else "")

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        """(first physical line, cells) of every non-blank record after the header."""
        text = self.data.decode("utf-8")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True)
        seen_header = False
        previous_end = 0
        try:
            for cells in reader:
                start, previous_end = previous_end + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if not seen_header:
                    seen_header = True
                    continue
                yield start, cells
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ImportRefused(
                    self.file,
                    f"line {reader.line_num} has a cell over {size(MAX_CELL_BYTES)}, "
                    "the most an import reads a cell",
                ) from None
            raise ImportRefused(
                self.file, f"line {reader.line_num} is not valid CSV ({exc})"
            ) from None

    def read(self, columns: dict[str, str]) -> pl.DataFrame:
        """Like `read_exact`, with polars: line numbers are estimates (see above).

        Anything polars will not read as the header says (a row with more cells
        than the header, a stray quote) goes to `read_exact`, which explains it.
        """
        positions = {field: self.header.index(column) for field, column in columns.items()}
        wanted = sorted(set(positions.values()))
        if self.data[:1].isspace():  # blank lines before the header
            return self.read_exact(columns)
        try:
            frame = pl.read_csv(
                io.BytesIO(self.data),
                has_header=True,
                columns=wanted,
                new_columns=[f"c{n}" for n in wanted],
                separator=self.delimiter,
                infer_schema=False,
                truncate_ragged_lines=False,
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError:
            return self.read_exact(columns)
        frame = frame.select(
            *(
                pl.col(f"c{n}").str.strip_chars().replace("", None).alias(field)
                for field, n in positions.items()
            ),
        ).with_row_index(LINE, offset=2)
        # a row blank in every column read may be a blank line, or a row whose
        # other cells hold something: read_exact tells them apart; and it
        # names the line of a cell too large
        blank = pl.all_horizontal(pl.exclude(LINE).is_null()).any()
        too_large = pl.max_horizontal(pl.exclude(LINE).str.len_bytes().max()) > MAX_CELL_BYTES
        if frame.height == 0 or frame.select(blank | too_large.fill_null(False)).item():
            return self.read_exact(columns)
        return frame.with_columns(pl.col(LINE).cast(pl.UInt32))

    def read_exact(self, columns: dict[str, str]) -> pl.DataFrame:
        """A frame with one string column per field in `columns` (field -> column
        name) and the physical line of each record in `__line`.

        Cells are stripped; blank cells are null. A record with more non-blank
        cells than the header is refused.
        """
        index = {field: self.header.index(column) for field, column in columns.items()}
        width = len(self.header)
        chunks: list[pl.DataFrame] = []
        problems: list[RowProblem] = []
        lines = array("I")
        cells_by_field: dict[str, list[str | None]] = {field: [] for field in index}

        def flush() -> None:
            data = {
                field: pl.Series(field, cells, pl.String) for field, cells in cells_by_field.items()
            }
            data[LINE] = pl.Series(LINE, lines, pl.UInt32)
            chunks.append(pl.DataFrame(data))
            for cells in cells_by_field.values():
                cells.clear()
            del lines[:]

        for line, cells in self._records():
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                problems.append(
                    RowProblem(line, "", "", f"has {len(cells)} cells, the header has {width}")
                )
                continue
            lines.append(line)
            for field, position in index.items():
                cell = cells[position].strip() if position < len(cells) else ""
                cells_by_field[field].append(cell or None)
            if len(lines) >= _CHUNK_ROWS:
                flush()
        if problems:
            raise ImportRefused(self.file, counted(len(problems), "malformed row"), problems)
        flush()
        frame = pl.concat(chunks, rechunk=True)
        if frame.height == 0:
            raise ImportRefused(self.file, "the file has a header but no rows")
        return frame
