"""Imports of files that never end, lie about themselves or hold values that
cannot be true: refused quickly, with the line, and leaving nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coachtui.cli import main
from coachtui.importing import ImportOptions, ImportRefused, import_file, limits
from coachtui.importing.lacking import LACKING
from coachtui.importing.limits import MB
from tests.command_line import coachtui
from tests.conftest import FIXTURES, rows


def test_a_refused_import_into_a_new_database_leaves_no_file(tmp_path, capsys):
    bad = tmp_path / "exports" / "bad.csv"
    bad.parent.mkdir()
    bad.write_text("Deal ID,Owner,Stage,Amount\nD1,Ava,Open,lots\n")
    team = tmp_path / "team"
    team.mkdir(mode=0o700)
    assert main(["import", "deals", str(bad), "--db", str(team / "new.db")]) == 2
    assert "'lots' is not an amount" in capsys.readouterr().err
    good = FIXTURES / "hubspot.csv"
    assert main(["import", "deals", str(good), "--db", str(team / "new.db"), "--dry-run"]) == 0
    assert list(team.iterdir()) == []
    assert main(["import", "deals", str(good), "--db", str(team / "new.db")]) == 0
    assert main(["import", "deals", str(bad), "--db", str(team / "new.db")]) == 2
    assert (team / "new.db").exists()  # refused into a file that was there: it stays


def refused(store, path, **options) -> str:
    with pytest.raises(ImportRefused) as caught:
        import_file(store, "deals", path, ImportOptions(**options))
    return caught.value.summary


def timed_import(path, tmp_path) -> tuple[subprocess.CompletedProcess, float, float]:
    """`coachtui import deals PATH` as a process: its result, seconds, and peak MB."""
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.monotonic()\n"
        "run = subprocess.run([sys.executable, '-m', 'coachtui', *sys.argv[1:]],"
        " capture_output=True, text=True, timeout=60)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(run.returncode, time.monotonic() - start, peak)\n"
        "sys.stderr.write(run.stderr)\n"
    )
    db = tmp_path / "limits.db"
    result = subprocess.run(
        [sys.executable, "-c", script, "import", "deals", str(path), "--db", str(db)],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=90,
    )
    code, seconds, peak_mb = result.stdout.split()
    result.returncode = int(code)
    return result, float(seconds), float(peak_mb)


def test_a_fifo_with_no_writer_is_refused_at_once(tmp_path):
    fifo = tmp_path / "deals.csv"
    os.mkfifo(fifo)
    result, seconds, _peak = timed_import(fifo, tmp_path)
    assert result.returncode == 2 and seconds < 10
    assert "this is a named pipe (FIFO), not a CSV file" in result.stderr


def test_dev_zero_is_refused_at_once(tmp_path):
    result, seconds, _peak = timed_import(Path("/dev/zero"), tmp_path)
    assert result.returncode == 2 and seconds < 10
    assert "cannot import zero: this is a device, not a CSV file" in result.stderr


def test_a_folder_is_refused(store, tmp_path):
    assert refused(store, tmp_path).startswith("this is a folder")


def test_a_200_mb_line_is_refused_within_seconds_in_little_memory(tmp_path):
    huge = tmp_path / "one-line.csv"
    with huge.open("wb") as out:  # sparse: no disk is used for the 200 MB
        out.write(b"Deal ID,Owner,Stage\nD1,Ava,")
        out.truncate(200 * MB)
    result, seconds, peak_mb = timed_import(huge, tmp_path)
    assert result.returncode == 2, result.stderr
    assert "line 2 is over 16 MB long, the most an import reads a line" in result.stderr
    assert seconds < 20 and peak_mb < 500


def test_a_line_past_the_limit_is_refused_with_its_number(store, csv_file, monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 1000)
    monkeypatch.setattr(limits, "BLOCK_BYTES", 256)
    lines = ["Deal ID,Owner,Stage", "D1,Ava,Open", "D2,Ava," + "x" * 3000, "D3,Ava,Open"]
    assert refused(store, csv_file("\n".join(lines))).startswith("line 3 is over 1,000 bytes long")
    crlf = "\r\n".join(["Deal ID,Owner,Stage", *(f"D{n},Ava,Open" for n in range(100))])
    import_file(store, "deals", csv_file(crlf + "\r\n"))  # many short lines are fine


def test_the_file_size_limit_is_a_setting(store, csv_file, tmp_path, monkeypatch):
    body = "".join(f"D{n},Ava,Open\n" for n in range(2000))
    path = csv_file("Deal ID,Owner,Stage\n" + body)
    assert refused(store, path, max_file_bytes=10_000) == (
        "the file is over 10,000 bytes, the most an import reads (the import_max_mb setting)"
    )
    big = csv_file("Deal ID,Owner,Stage\n" + body * 60, name="big.csv")  # over 1 MB
    config = tmp_path / "config.toml"
    config.write_text("import_max_mb = 1\n")
    monkeypatch.setenv("COACHTUI_CONFIG", str(config))
    result = coachtui("import", "deals", str(big), "--db", str(store.path))
    assert result.returncode == 2 and "the file is over 1 MB" in result.stderr


def test_a_cell_past_a_megabyte_is_refused_with_its_line(store, csv_file):
    path = csv_file("Deal ID,Owner,Stage,Name\nD1,Ava,Open,ok\nD2,Ava,Open," + "n" * (MB + 10))
    assert refused(store, path) == "line 3 has a cell over 1 MB, the most an import reads a cell"


def test_an_amount_that_overflows_is_refused_with_its_line_and_column(store, csv_file):
    huge = "9" * 400  # a float reads it as infinity
    path = csv_file(
        "Deal ID,Owner,Stage,Amount,Contacts\n"
        "D1,Ava,Open,100,2\n"
        f"D2,Ava,Open,{huge},1\n"
        "D3,Ava,Open,NaN,1\n"
        f"D4,Ava,Open,5,{huge}\n"
        "D5,Ava,Open,5,NaN\n",
        name="weekly.csv",
    )
    with pytest.raises(ImportRefused) as caught:
        import_file(store, "deals", path)
    assert [p.describe("weekly.csv") for p in caught.value.problems] == [
        f"weekly.csv, line 3, column 'Amount': '{huge}' is not an amount",
        "weekly.csv, line 4, column 'Amount': 'NaN' is not an amount",
        f"weekly.csv, line 5, column 'Contacts': '{huge}' is not a whole number of contacts",
        "weekly.csv, line 6, column 'Contacts': 'NaN' is not a whole number of contacts",
    ]


def test_a_nul_byte_anywhere_is_refused_with_its_line(store, csv_file):
    body = "".join(f"D{n},Ava,Open\n" for n in range(9000))  # past the first 64 KB
    path = csv_file(("Deal ID,Owner,Stage\n" + body + "D9,Ava,Op\x00en\n").encode())
    assert refused(store, path).startswith(
        "line 9002 holds a NUL byte: this looks like a binary file, not a CSV export"
    )


def test_a_column_named_twice_is_refused(store, csv_file):
    path = csv_file("Deal ID,Owner,Stage,Amount,Amount\nD1,Ava,Open,100,200\n")
    assert refused(store, path) == (
        "the header has the column 'Amount' twice; give each column its own name"
    )


def test_deals_that_close_before_they_were_created_are_imported_with_a_warning(
    store, csv_file, capsys
):
    lines = ["Deal ID,Owner,Stage,Created Date,Close Date,Description,Amount"]
    lines.append('D0,Ava,Open,2026-01-01,2026-02-01,"a note\nover two lines",5')  # lines 2-3
    lines += [f"D{n},Ava,Open,2026-03-01,2026-02-0{n % 9 + 1},x,5" for n in range(1, 8)]
    path = csv_file("\n".join(lines) + "\n")
    summary = import_file(store, "deals", path)
    assert summary.rows == 8
    assert summary.warnings == [
        "deals that close before they were created: 7 (lines 4, 5, 6, 7, 8, ...); "
        "imported as they are: check them in the CRM"
    ]
    assert main(["import", "deals", str(path), "--db", str(store.path)]) == 0
    said = capsys.readouterr().err
    assert "coachtui: warning: deals that close before they were created: 7 (lines 4" in said


def test_won_or_lost_deals_with_no_close_date_are_imported_with_a_warning(store, csv_file):
    """No window counts them among its wins or losses (docs/METRICS.md)."""
    path = csv_file(
        "Deal ID,Owner,Stage,Created Date,Close Date,Amount,Description\n"
        'D1,Ava,Closed Won,2026-01-01,,5,"a note\nover two lines"\n'  # lines 2-3
        "D2,Ava,Closed Won,2026-01-01,2026-02-01,5,x\n"
        "D3,Ava,Open,2026-01-01,,5,x\n"  # open: no close date expected
        "\n"  # a blank line: line 6
        "D4,Ava,Closed Lost,2026-01-01,,5,x\n"
    )
    assert import_file(store, "deals", path).warnings == [
        "won or lost deals with no close date: 2 (lines 2, 7); "
        "no window counts them among its wins or losses: check them in the CRM"
    ]


def test_a_lost_deal_with_no_lost_time_is_named_when_the_file_has_only_times(store, csv_file):
    """Pipedrive's exports date a closed deal by its won or lost time."""
    path = csv_file(
        "Deal ID,Owner,Stage,Status,Won time,Lost time\n"
        "D1,Ava,Signed,won,2026-02-01 10:00:00,\n"
        "D2,Ava,Signed,lost,,\n"
    )
    assert import_file(store, "deals", path).warnings == [
        "won or lost deals with no close date: 1 (line 3); "
        "no window counts them among its wins or losses: check them in the CRM",
        lack("created_date", 2),
        lack("amount", 2),
    ]


def lack(column: str, count: int) -> str:
    """The warning for `count` deals left without `column` by a file that lacks it."""
    return next(lack.said(count) for lack in LACKING if lack.column == column)


def test_a_file_without_a_column_counts_the_deals_it_leaves_without(store, csv_file):
    """A value stored is kept by a file with none: then nothing is said; a
    deal new, or closed since, has none."""
    dated = csv_file(
        "Deal ID,Owner,Stage,Close Date,Created,Amount\n"
        "D1,Ava,Closed Won,2026-02-01,2026-01-01,10\n"
        "D2,Ava,Open,,2026-01-01,50\n"
    )
    import_file(store, "deals", dated)
    undated = csv_file("Deal ID,Owner,Stage,Amount\nD1,Ava,Closed Won,10\nD2,Ava,Open,75\n")
    summary = import_file(store, "deals", undated)
    assert (summary.updated, summary.warnings) == (1, [])  # D2's amount; D1's kept
    stored = rows(store, "SELECT close_date, created_date, amount FROM deals ORDER BY deal_id")
    assert stored == [("2026-02-01", "2026-01-01", 10.0), (None, "2026-01-01", 75.0)]
    now_closed = csv_file("Deal ID,Owner,Stage\nD1,Ava,Won\nD2,Ava,Lost\nD3,Ava,Won\n")
    left = [lack("created_date", 1), lack("amount", 1), lack("close_date", 2)]  # D3; D2, D3
    assert import_file(store, "deals", now_closed).warnings == left
    assert import_file(store, "deals", now_closed, ImportOptions(dry_run=True)).warnings == left
    still_open = csv_file("Deal ID,Owner,Stage,Created,Amount\nD4,Ava,Open,2026-03-01,5\n")
    assert import_file(store, "deals", still_open).warnings == []


ROWS = (
    "Deal ID,Owner,Stage,Created,Amount\n"
    "D1,山田 太郎,商談,2026-11-02,5\nD2,佐藤 花子,提案,2026-11-03,5\n"
)


def test_shift_jis_read_as_a_single_byte_encoding_is_named_in_a_warning(store, csv_file):
    summary = import_file(store, "deals", csv_file(ROWS.encode("shift_jis")))
    assert summary.encoding in ("cp1252", "latin-1")
    assert len(summary.warnings) == 1
    warning = summary.warnings[0]
    assert f"is not UTF-8 and was read as {summary.encoding}" in warning
    assert "--encoding" in warning and "shift_jis" in warning
    right = import_file(
        store, "deals", csv_file(ROWS.encode("shift_jis")), ImportOptions(encoding="shift_jis")
    )
    assert right.warnings == []


def test_western_text_in_windows_1252_needs_no_warning(store, csv_file):
    text = (
        "Deal ID,Owner,Stage,Created,Amount\n"
        "D1,José Müller,Négociation,2026-11-02,5\nD2,Zoë Ångström,Öffnen,2026-11-03,5\n"
    )
    summary = import_file(store, "deals", csv_file(text.encode("cp1252")))
    assert (summary.encoding, summary.warnings) == ("cp1252", [])


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_detected(store, csv_file, encoding):
    summary = import_file(store, "deals", csv_file(ROWS.encode(encoding)))
    assert summary.encoding == encoding and summary.rows == 2


def test_a_file_that_is_not_its_encoding_names_the_likely_ones(store, csv_file):
    path = csv_file("Deal ID,Owner,Stage\nD1,José,Open\n".encode("cp1252"))
    assert refused(store, path, encoding="utf-8") == (
        "line 2 is not valid utf-8 (byte 26); try --encoding cp1252"
    )
    sjis = csv_file(ROWS.encode("shift_jis"))
    assert "shift_jis" in refused(store, sjis, encoding="utf-8")
