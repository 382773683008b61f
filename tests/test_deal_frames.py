"""The deals kept as files for the next start: the same frames as the
store's, private, and never used once an import has changed the deals."""

from __future__ import annotations

import stat

import pytest

from coachtui.importing import ImportOptions, import_file
from coachtui.paths import cache_dir
from coachtui.review import frames as deal_frames
from coachtui.review.frames import read_deal_data, read_deal_data_kept
from coachtui.store import kept_frames
from tests.conftest import FIXTURES, TODAY


def same(one, other) -> bool:
    return all(getattr(one, n).equals(getattr(other, n)) for n in deal_frames.KEPT) and (
        one.pipeline == other.pipeline
    )


def kept_files():
    return sorted((cache_dir() / "deal-frames").glob("*.parquet"))


def test_the_kept_frames_come_back_the_same_and_private(demo_store, monkeypatch):
    first = read_deal_data_kept(demo_store)
    assert same(first, read_deal_data(demo_store))
    files = kept_files()
    assert len(files) == 4
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    everything = list(files[0].parent.iterdir())
    assert len(everything) == 8  # each with its digest
    assert {stat.S_IMODE(f.stat().st_mode) for f in everything} == {0o600}

    def no_store_reads(store):
        raise AssertionError("read from the store although the frames were kept")

    monkeypatch.setattr(kept_frames, "read_frames", no_store_reads)
    assert same(read_deal_data_kept(demo_store), first)


def test_an_import_sets_the_kept_frames_aside(demo_store):
    before = read_deal_data_kept(demo_store)
    old_files = kept_files()
    import_file(demo_store, "deals", FIXTURES / "salesforce_labels.csv", ImportOptions(today=TODAY))
    after = read_deal_data_kept(demo_store)
    assert after.deals.height > before.deals.height
    assert same(after, read_deal_data(demo_store))
    assert len(kept_files()) == 4 and not set(old_files) & set(kept_files())


@pytest.mark.parametrize("damage", [b"not parquet at all", b""])
def test_a_damaged_kept_file_is_read_again_from_the_store(demo_store, damage):
    read_deal_data_kept(demo_store)
    deals_file = next(f for f in kept_files() if f.name.endswith("-deals.parquet"))
    deals_file.write_bytes(damage)
    assert same(read_deal_data_kept(demo_store), read_deal_data(demo_store))


def test_a_kept_file_polars_panics_over_is_read_again_from_the_store(demo_store, monkeypatch):
    """Some damage makes polars' reader panic (a BaseException) rather than
    raise its own error: the frames are read again all the same."""
    read_deal_data_kept(demo_store)

    def panics(source, **options):
        raise kept_frames.pl.exceptions.PanicException("called `Option::unwrap()` on `None`")

    monkeypatch.setattr(kept_frames.pl, "read_parquet", panics)
    assert same(read_deal_data_kept(demo_store), read_deal_data(demo_store))


def test_an_older_kind_of_kept_file_of_the_same_import_is_removed(demo_store):
    """What an older coachtui kept (Arrow files) goes when these are kept."""
    read_deal_data_kept(demo_store)
    deals = next(f for f in kept_files() if f.name.endswith("-deals.parquet"))
    older = deals.with_suffix(".arrow")
    older.write_bytes(b"the same import, kept as an older coachtui did")
    deals.unlink()
    read_deal_data_kept(demo_store)  # reads the store again, and keeps anew
    assert not older.exists() and deals.exists()
    assert len(kept_files()) == 4
