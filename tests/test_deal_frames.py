"""The deals kept as Arrow files for the next start: the same frames as the
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
    return sorted((cache_dir() / "deal-frames").iterdir())


def test_the_kept_frames_come_back_the_same_and_private(demo_store, monkeypatch):
    first = read_deal_data_kept(demo_store)
    assert same(first, read_deal_data(demo_store))
    files = kept_files()
    assert len(files) == 4
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}

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


@pytest.mark.parametrize("damage", [b"not arrow at all", b""])
def test_a_damaged_kept_file_is_read_again_from_the_store(demo_store, damage):
    read_deal_data_kept(demo_store)
    deals_file = next(f for f in kept_files() if f.name.endswith("-deals.arrow"))
    deals_file.write_bytes(damage)
    assert same(read_deal_data_kept(demo_store), read_deal_data(demo_store))
