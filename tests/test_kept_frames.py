"""The frames an import keeps, and the commands that read them: the same
numbers from the kept files as from the store, and a kept file of an older
import, of another database, damaged or not the user's is never read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

import polars as pl
import pytest

from coachtui.cli import main
from coachtui.importing import ImportOptions, import_file
from coachtui.paths import cache_dir
from coachtui.review import frames
from coachtui.review.frames import read_deal_data, read_deal_data_kept
from coachtui.store import Store, kept_frames
from tests.conftest import FIXTURES, TODAY
from tests.test_deal_frames import same

OPTIONS = ImportOptions(today=TODAY)


def kept_folder():
    return cache_dir() / "deal-frames"


def deals_file():
    return next(kept_folder().glob("*-deals.parquet"))


@pytest.fixture
def no_store_reads():
    """Fail if the frames are read from the store rather than the kept files,
    until `.undo()` (its own patches only: $XDG_CACHE_HOME stays the test's)."""

    def refuse(*_args):
        raise AssertionError("read from the store although the frames were kept")

    with pytest.MonkeyPatch.context() as patches:
        patches.setattr(kept_frames, "read_frames", refuse)
        patches.setattr(frames, "read_deal_data_in_bulk", refuse)
        yield patches


def test_the_first_import_keeps_the_frames_the_store_would_give(store, no_store_reads):
    import_file(store, "reps", FIXTURES / "metrics_reps.csv", OPTIONS)
    import_file(store, "deals", FIXTURES / "metrics_deals.csv", OPTIONS)
    kept = read_deal_data_kept(store)
    no_store_reads.undo()
    assert kept.deals.height == 13
    assert same(kept, read_deal_data(store))


def test_an_import_of_reps_after_the_deals_keeps_the_deals_it_had(store, no_store_reads):
    import_file(store, "deals", FIXTURES / "metrics_deals.csv", OPTIONS)
    import_file(store, "reps", FIXTURES / "metrics_reps.csv", OPTIONS)
    kept = read_deal_data_kept(store)
    no_store_reads.undo()
    assert kept.reps.height == 3
    assert same(kept, read_deal_data(store))
    assert len(list(kept_folder().glob("*.parquet"))) == 4  # the older import's are gone
    assert len(list(kept_folder().iterdir())) == 8  # each with its digest


def test_a_second_import_of_deals_keeps_nothing_it_cannot_vouch_for(store):
    import_file(store, "deals", FIXTURES / "metrics_deals.csv", OPTIONS)
    import_file(store, "deals", FIXTURES / "salesforce_labels.csv", OPTIONS)
    assert kept_frames.read_kept(kept_frames.kept_files(store)) is None
    assert same(read_deal_data_kept(store), read_deal_data(store))


def metrics_csv(capsys, db) -> str:
    assert main(["metrics", "--db", str(db), "--as-of", TODAY.isoformat(), "--format", "csv"]) == 0
    return capsys.readouterr().out


def test_metrics_read_the_kept_frames_and_give_the_same_numbers(demo_db, capsys, monkeypatch):
    from_store = metrics_csv(capsys, demo_db)  # read in bulk, and kept
    assert len(list(kept_folder().glob("*.parquet"))) == 4
    monkeypatch.setattr(frames, "read_deal_data_in_bulk", None)  # not called again
    assert metrics_csv(capsys, demo_db) == from_store
    assert from_store.count("\n") == 13  # the header and 12 reps


def plant(file) -> None:
    """A kept deals file with numbers no store holds, written as coachtui
    writes one (its digest beside it)."""
    kept_frames.write_kept(pl.read_parquet(file).with_columns(pl.lit(1e9).alias("amount")), file)


def test_kept_frames_of_an_older_import_are_not_read(demo_db, capsys):
    before = metrics_csv(capsys, demo_db)
    plant(deals_file())
    with Store.open(demo_db) as store:
        import_file(store, "deals", FIXTURES / "salesforce_labels.csv", OPTIONS)
    after = metrics_csv(capsys, demo_db)
    assert "1000000000.0" not in after and after != before
    shutil.rmtree(kept_folder())
    assert metrics_csv(capsys, demo_db) == after


def test_kept_frames_of_another_database_are_not_read(demo_db, tmp_path, capsys):
    first = metrics_csv(capsys, demo_db)
    plant(deals_file())
    copy = tmp_path / "copy" / "demo.db"
    copy.parent.mkdir(mode=0o700)
    shutil.copy2(demo_db, copy)  # the same content, the same last import
    assert metrics_csv(capsys, copy) == first


@pytest.mark.parametrize("how", ["damaged", "empty", "a link"])
def test_a_kept_file_damaged_or_a_link_is_not_read(demo_db, tmp_path, capsys, how):
    first = metrics_csv(capsys, demo_db)
    file = deals_file()
    if how == "a link":
        elsewhere = tmp_path / "elsewhere.parquet"
        file.rename(elsewhere)
        plant(elsewhere)
        file.symlink_to(elsewhere)
    else:
        file.write_bytes(b"not parquet at all" if how == "damaged" else b"")
    assert metrics_csv(capsys, demo_db) == first


OTHER_COLUMNS = [
    lambda deals: deals.with_columns(pl.col("amount").cast(pl.String)),
    lambda deals: deals.with_columns(pl.col("created_date").cast(pl.Int32)),
    lambda deals: deals.drop("contacts"),
]
OTHER_COLUMNS_IDS = ["amount as text", "dates as numbers", "a column missing"]


def change_kept_deals(change) -> None:
    """Kept deals of other columns, written as coachtui writes a kept file:
    each failed in the numbers with a traceback ("sum not supported for
    dtype str", "- not allowed on date and i32", "contacts not found")."""
    file = deals_file()
    kept_frames.write_kept(change(pl.read_parquet(file)), file)


@pytest.mark.parametrize("change", OTHER_COLUMNS, ids=OTHER_COLUMNS_IDS)
def test_a_kept_file_of_other_columns_is_read_again_from_the_store(demo_db, capsys, change):
    first = metrics_csv(capsys, demo_db)  # a command's read: ADBC, then kept
    change_kept_deals(change)
    assert metrics_csv(capsys, demo_db) == first
    assert pl.read_parquet(deals_file()).schema == pl.Schema(kept_frames.DEAL_SCHEMA)  # kept anew


@pytest.mark.parametrize("change", OTHER_COLUMNS, ids=OTHER_COLUMNS_IDS)
def test_the_app_and_an_import_read_no_kept_file_of_other_columns(store, change):
    """The app's read (the store's connection) and an import of reps, which
    takes the deals kept by the import before."""
    import_file(store, "deals", FIXTURES / "metrics_deals.csv", OPTIONS)
    change_kept_deals(change)
    assert same(read_deal_data_kept(store), read_deal_data(store))
    change_kept_deals(change)
    import_file(store, "reps", FIXTURES / "metrics_reps.csv", OPTIONS)
    kept = kept_frames.kept_files(store)["deals"]  # the reps import's: none, or the store's deals
    assert not kept.exists() or pl.read_parquet(kept).schema == pl.Schema(kept_frames.DEAL_SCHEMA)


@pytest.mark.parametrize(
    "change",
    [lambda deals: deals.head(1000), lambda deals: deals.with_columns(pl.col("amount") * 10)],
    ids=["fewer deals", "other amounts"],
)
def test_a_kept_file_changed_since_coachtui_wrote_it_is_not_read(demo_db, capsys, change):
    """The same columns, other rows: a brief said "stalled deals: none" under a
    focus on "stalled deals 6", and amounts ten times theirs."""
    first = metrics_csv(capsys, demo_db)
    file = deals_file()
    change(pl.read_parquet(file)).write_parquet(file)  # by another program: no new digest
    assert metrics_csv(capsys, demo_db) == first


def test_a_kept_file_and_its_digest_copied_from_another_database_are_not_read(
    demo_db, tmp_path, capsys
):
    """Both files copied over this database's made its numbers another's."""
    first = metrics_csv(capsys, demo_db)
    other = tmp_path / "other" / "team.db"
    other.parent.mkdir(mode=0o700)
    with Store.open(other) as store:
        import_file(store, "deals", FIXTURES / "metrics_deals.csv", OPTIONS)
    metrics_csv(capsys, other)  # keeps the other's frames
    with Store.open(demo_db) as store:
        ours = kept_frames.kept_files(store)["deals"]
    with Store.open(other) as store:
        theirs = kept_frames.kept_files(store)["deals"]
    for suffix in ("", ".sum"):
        shutil.copyfile(f"{theirs}{suffix}", f"{ours}{suffix}")
    assert metrics_csv(capsys, demo_db) == first


def test_reps_that_give_owner_ids_their_names_are_not_taken_from_the_kept_deals(store):
    """Salesforce: the deals name owner ids, the users file gives them names."""
    import_file(store, "deals", FIXTURES / "salesforce_api.csv", OPTIONS)
    import_file(store, "reps", FIXTURES / "salesforce_users.csv", OPTIONS)
    kept = read_deal_data_kept(store)
    assert sorted(kept.deals["rep"]) == ["Uma Patel", "Uma Patel", "Victor Hale"]
    assert same(kept, read_deal_data(store))


def test_a_half_written_file_is_removed_only_once_its_writer_has_gone(store):
    import_file(store, "deals", FIXTURES / "metrics_deals.csv", OPTIONS)
    name = deals_file().name.split("-", 1)[0]
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    writing = kept_folder() / f"{name}-7-deals.{os.getppid()}.partial"  # alive: pytest's parent
    left = kept_folder() / f"{name}-7-deals.{dead}.partial"
    for file in (writing, left):
        file.write_bytes(b"half")
    import_file(store, "reps", FIXTURES / "metrics_reps.csv", OPTIONS)  # keeps the frames again
    assert writing.exists() and not left.exists()


def test_two_threads_keeping_the_same_files_write_partial_files_of_their_own(
    demo_store, monkeypatch
):
    """The app keeps the team's numbers on a worker, and a worker cancelled
    (the manager moved on) goes on running: two may keep the same files."""
    frames = kept_frames.read_frames(demo_store)
    files = kept_frames.kept_files(demo_store)
    writers = []
    create = kept_frames.create_private_file

    def recording(path):
        writers.append((path.name, threading.get_native_id()))
        return create(path)

    monkeypatch.setattr(kept_frames, "create_private_file", recording)
    worker = threading.Thread(target=kept_frames.keep, args=(frames, files))
    worker.start()
    worker.join()
    kept_frames.keep(frames, files)
    assert len(writers) == 2 * 2 * len(files)  # each file and its digest
    assert all(name.endswith(f".{writer}.partial") for name, writer in writers)
    assert len({writer for _, writer in writers}) == 2
    kept = kept_frames.read_kept(files)
    assert kept is not None and all(kept[name].equals(frames[name]) for name in frames)


def test_frames_read_in_pieces_come_in_one(demo_db, tmp_path):
    """The store read through ADBC comes in batches (3,572 deals: 4), a kept
    file of 300,000 rows in 3; the numbers add columns in one piece to them,
    so every column read comes in one (`kept_frames.in_one_piece`)."""
    data = frames.read_deal_data_in_bulk(demo_db)
    for name in frames.KEPT:
        assert {column.n_chunks() for column in getattr(data, name).iter_columns()} == {1}
    pieces = pl.concat([pl.DataFrame({"rep": ["Ann"] * 100_000})] * 3, rechunk=False)
    file = tmp_path / "pieces.parquet"
    pieces.write_parquet(file)  # in several row groups, as coachtui does not write
    kept_frames._sum(file).write_text(kept_frames._sum_of(file, file.read_bytes()))
    for written in (file, kept_frames._sum(file)):
        written.chmod(0o600)
    assert pl.read_parquet(file).get_column("rep").n_chunks() > 1  # as polars reads it
    assert kept_frames.read_kept({"reps": file})["reps"].get_column("rep").n_chunks() == 1


def test_a_kept_frame_is_read_back_whole(tmp_path):
    """Kept in one row group, polars reads it in one piece: nothing to copy
    whole after (a file of several comes in pieces, as above)."""
    frame = pl.DataFrame({"rep": ["Ann", "Bob"] * 150_000, "amount": [1.0, 2.0] * 150_000})
    file = tmp_path / "database-import-reps.parquet"  # as `named` names them
    kept_frames.keep({"reps": frame}, {"reps": file})
    read = pl.read_parquet(file)
    assert read.equals(frame)
    assert {column.n_chunks() for column in read.iter_columns()} == {1}
