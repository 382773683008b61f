"""The importer either takes a whole file or refuses it with a message; it never
raises anything else and never leaves half a file behind."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from coachtui.importing import ImportOptions, ImportRefused, import_file
from coachtui.store import Store
from tests.conftest import FIXTURES, TODAY, dump

COLUMNS = [
    "Deal ID",
    "Owner",
    "Stage",
    "Amount",
    "Created Date",
    "Close Date",
    "Account",
    "Contacts",
    "IsWon",
    "IsClosed",
    "Deal - Status",
    "Currency",
    "notes",
    "",
]
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "Closed Won",
            "lost",
            "$1,200.50",
            "1.200,50 €",
            "3/5/2026",
            "2026-02-30",
            "true",
            "maybe",
            "(300)",
            "[bold]x[/]",
            "\x1b[31m",
            "\x00",
        ]
    ),
    st.integers(-(10**6), 10**9).map(str),
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A database holding one earlier import, closed; each example gets a copy."""
    path = tmp_path_factory.mktemp("seeded") / "coach.db"
    with Store.open(path) as store:
        import_file(store, "deals", FIXTURES / "hubspot.csv", ImportOptions(today=TODAY))
    return path


def all_or_nothing(seeded: Path, content: bytes, kind: str = "deals") -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(shutil.copy(seeded, folder))
        before = dump(store)
        path = Path(folder) / "export.csv"
        path.write_bytes(content)
        try:
            summary = import_file(store, kind, path, ImportOptions(today=TODAY))
        except ImportRefused as refusal:
            assert str(refusal).startswith("cannot import export.csv: ")
            assert dump(store) == before
        else:
            assert summary.rows > 0
            assert summary.new + summary.updated + summary.unchanged == summary.rows
        finally:
            store.close()


@given(
    header=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    kind=st.sampled_from(["deals", "reps", "history", "activities"]),
)
def test_random_exports(seeded, header, rows, encoding, kind):
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    all_or_nothing(seeded, text.getvalue().encode(encoding, errors="replace"), kind)


@given(st.binary(max_size=400))
def test_random_bytes(seeded, content):
    all_or_nothing(seeded, content)


@given(cut=st.integers(0, 2000), noise=st.binary(min_size=1, max_size=5))
@example(cut=0, noise=b"\xfe\xff")  # a UTF-16 byte-order mark on UTF-8 text
def test_a_real_export_cut_or_mutated(seeded, cut, noise):
    original = (FIXTURES / "salesforce_labels.csv").read_bytes()
    at = cut % len(original)
    all_or_nothing(seeded, original[:at])
    all_or_nothing(seeded, original[:at] + noise + original[at:])
