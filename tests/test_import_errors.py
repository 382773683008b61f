"""A refused import names file, line, column and value, and changes nothing."""

from __future__ import annotations

import pytest

from coachtui.importing import ImportOptions, ImportRefused, import_file
from tests.conftest import FIXTURES, TODAY, dump

GOOD = "Deal ID,Owner,Stage,Amount,Created Date\nD1,Ava,Prospecting,100,2026-01-02\n"


@pytest.fixture
def seeded(store):
    """A store that already holds data, so "nothing changed" means something."""
    import_file(store, "deals", FIXTURES / "salesforce_labels.csv", ImportOptions(today=TODAY))
    return store


def refuse(store, path, kind="deals", **options) -> ImportRefused:
    before = dump(store)
    with pytest.raises(ImportRefused) as caught:
        import_file(store, kind, path, ImportOptions(today=TODAY, **options))
    assert dump(store) == before
    return caught.value


def test_bad_values_name_line_column_and_value(seeded, csv_file):
    path = csv_file(
        "Deal ID,Owner,Stage,Amount,Created Date\n"
        "D1,Ava,Prospecting,100,2026-01-02\n"
        'D2,Ava,Prospecting,"12 apples",2026-01-02\n'
        "D3,,Prospecting,100,2026-01-02\n"
        "D4,Ben,Prospecting,100,2026-02-30\n",
        name="weekly.csv",
    )
    error = refuse(seeded, path)
    message = str(error)
    assert message.splitlines() == [
        "cannot import weekly.csv: 3 invalid values; nothing was changed.",
        "  weekly.csv, line 3, column 'Amount': '12 apples' is not an amount",
        "  weekly.csv, line 4, column 'Owner': (blank) is blank; every deal needs a rep",
        "  weekly.csv, line 5, column 'Created Date': '2026-02-30' is not a date",
    ]


def test_quoted_newlines_keep_physical_line_numbers(store, csv_file):
    path = csv_file(
        'Deal ID,Owner,Stage,Opportunity Name,Amount\nD1,Ava,Open,"two\nline name",1\n'
        "D2,Ava,Open,plain,abc\n"
    )
    assert refuse(store, path).problems[0].line == 4


def test_at_most_twenty_problems_are_listed(store, csv_file):
    body = "".join(f"D{n},Ava,Open,oops\n" for n in range(25))
    message = str(refuse(store, csv_file("Deal ID,Owner,Stage,Amount\n" + body)))
    assert message.count("is not an amount") == 20
    assert message.splitlines()[-1] == "  ... and 5 more"


def test_same_deal_id_twice_names_both_lines(seeded, csv_file):
    path = csv_file(GOOD + "D2,Ben,Open,5,2026-01-02\nD1,Ava,Open,7,2026-01-03\n")
    error = refuse(seeded, path)
    assert [p.describe("f") for p in error.problems] == [
        "f, line 4, column 'Deal ID': 'D1' repeats line 2"
    ]


def test_a_deal_id_twice_in_a_file_sorted_by_id_is_found_too(seeded, csv_file):
    """An export in id order is known free of repeats without hashing its ids,
    unless two neighbours are the same."""
    path = csv_file("Deal ID,Owner,Stage,Amount\nD1,Ava,Open,5\nD2,Ava,Open,6\nD2,Ben,Open,7\n")
    error = refuse(seeded, path)
    assert [p.describe("f") for p in error.problems] == [
        "f, line 4, column 'Deal ID': 'D2' repeats line 3"
    ]


def test_missing_required_column_lists_columns_and_map_syntax(seeded, csv_file):
    error = refuse(seeded, csv_file("Deal ID,Person,Stage\nD1,Ava,Open\n"))
    assert "no column for rep" in str(error)
    assert "Columns seen: Deal ID, Person, Stage" in str(error)
    assert '--map rep="Person"' in str(error)  # the column no field took


def test_a_header_of_thousands_of_columns_is_named_in_a_message_of_a_few_lines(seeded, csv_file):
    """20,000 columns made a refusal of 149 KB."""
    header = ",".join(f"c{n}" for n in range(20_000)) + "," + "x" * 500
    error = str(refuse(seeded, csv_file(header + "\n" + ",".join(["1"] * 20_001) + "\n")))
    assert "Columns seen: c0, c1, c2," in error and "c39 and 19,961 more." in error
    assert len(error) < 1_000


def test_map_fixes_the_missing_column(store, csv_file):
    path = csv_file("Deal ID,Person,Stage\nD1,Ava,Open\n")
    summary = import_file(store, "deals", path, ImportOptions(mapping={"rep": "Person"}))
    assert summary.mapping["rep"] == "Person"


def test_map_to_unknown_field_or_column(seeded, csv_file):
    path = csv_file(GOOD)
    assert "unknown field 'owner'" in str(refuse(seeded, path, mapping={"owner": "Owner"}))
    assert "no column 'Seller'" in str(refuse(seeded, path, mapping={"rep": "Seller"}))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"Deal ID,Owner,Stage\n", "the file has a header but no rows"),
        (b"\x00\x01\x02binary\x00junk", "binary file"),
        (b"PK\x03\x04rest-of-a-zip", "spreadsheet"),
        (b"Deal ID,Owner,Stage\nD1,Ava,Open,extra,cells\n", "has 5 cells, the header has 3"),
        (b'Deal ID,Owner,Stage\nD1,"Ava,Open\n', "not valid CSV"),
    ],
    ids=["empty", "blank", "header-only", "binary", "xlsx", "ragged", "unclosed-quote"],
)
def test_unreadable_files(seeded, csv_file, content, reason):
    assert reason in str(refuse(seeded, csv_file(content)))


def test_a_line_with_more_cells_than_the_header_is_named_by_its_line(seeded, csv_file):
    path = csv_file(b"Deal ID,Owner,Stage\nD1,Ava,Open,extra,cells\nD2,Ben,Open\n")
    assert str(refuse(seeded, path)).splitlines() == [
        f"cannot import {path.name}: 1 malformed row; nothing was changed.",
        f"  {path.name}, line 2: has 5 cells, the header has 3",
    ]


def test_missing_file(store, tmp_path):
    assert "No such file" in str(refuse(store, tmp_path / "nope.csv"))


def test_wrong_explicit_encoding(store, csv_file):
    raw = "Deal ID,Owner,Stage\nD1,José,Open\n".encode("cp1252")
    assert "line 2 is not valid utf-8" in str(refuse(store, csv_file(raw), encoding="utf-8"))


def test_invalid_status_and_flags(store, csv_file):
    path = csv_file("Deal ID,Owner,Stage,Deal - Status\nD1,Ava,Open,maybe\n")
    assert "'maybe' is not a status" in str(refuse(store, path))
    path = csv_file("Id,OwnerId,StageName,IsClosed,IsWon\nD1,U1,Open,perhaps,false\n")
    assert "'perhaps' is not true or false" in str(refuse(store, path))


def test_dry_run_counts_and_changes_nothing(seeded, csv_file):
    before = dump(seeded)
    path = csv_file(
        "Opportunity ID,Opportunity Owner,Stage\n006A1,Ava Chen,Qualification\nNEW,Ava Chen,Open\n"
    )
    summary = import_file(seeded, "deals", path, ImportOptions(today=TODAY, dry_run=True))
    assert (summary.new, summary.updated, summary.unchanged) == (1, 1, 0)
    assert summary.line().startswith("would import 2 deals rows")
    assert dump(seeded) == before
