"""The team's numbers kept for the next command: read back, they are the
numbers computed; the next brief and impact read them instead of computing;
those of another import, other settings, damaged or not the user's are
never read."""

from __future__ import annotations

import datetime as dt
import io
import json

import polars as pl
import pytest

from coachtui.coaching import impact
from coachtui.coaching.brief import build_brief
from coachtui.coaching.impact import ReportCache
from coachtui.importing import ImportOptions, import_file
from coachtui.paths import cache_dir
from coachtui.review.diagnosis import diagnose
from coachtui.review.frames import read_deal_data, read_deal_data_kept
from coachtui.review.kept_numbers import KeptNumbers
from coachtui.review.metrics import Report, compute
from coachtui.review.roster_cache import data_version, kept_roster
from coachtui.review.team import review_team_from
from coachtui.screens.team import compute_team, keep_for_next_start
from coachtui.settings import Settings, StallRule
from coachtui.store.kept_frames import write_kept
from tests.command_line import coachtui
from tests.conftest import FIXTURES, TODAY

AS_OF = dt.date(2026, 6, 30)


def kept_of(store, settings: Settings | None = None) -> KeptNumbers:
    kept = KeptNumbers.of(store.path, store.last_import(), settings or Settings())
    assert kept is not None
    return kept


def kept_files(part: str = "") -> list:
    return sorted((cache_dir() / "team-numbers").glob(f"*{part}.parquet"))


@pytest.mark.parametrize("team", ["ann", "demo_store"])
def test_a_report_read_back_is_the_report_computed(team, request):
    """Every part, for a team with a rep of no manager (Dan, in `ann`) and
    for the sample team (stage history and activities), in two windows."""
    store = request.getfixturevalue(team)
    data, kept = read_deal_data(store), kept_of(store)
    for as_of, days in ((AS_OF if team == "ann" else TODAY, 90), (dt.date(2026, 5, 1), 30)):
        report = compute(data, as_of, days)
        kept.keep_report(report)
        back = kept.report(as_of, days)
        assert back is not None and back.computed is None  # read, not computed
        assert back.reps.equals(report.reps) and back.signals.equals(report.signals)
        assert back.benchmarks.equals(report.benchmarks)
        assert (back.as_of, back.days, back.currency) == (as_of, days, report.currency)
        assert back.stall_thresholds == report.stall_thresholds
        flags = ("has_activities", "has_contacts", "has_history")
        assert [getattr(back, f) for f in flags] == [getattr(report, f) for f in flags]
        assert back.conversion == report.conversion
        assert back.team_conversion == report.team_conversion
        assert diagnose(back) == diagnose(report)
    assert None in report.stall_thresholds or team == "demo_store"


def test_a_damaged_or_foreign_report_is_not_read(ann):
    kept = kept_of(ann)
    kept.keep_report(compute(read_deal_data(ann), AS_OF, 90))
    (reps,) = kept_files("-reps")
    reps.write_bytes(b"not parquet at all")
    assert kept.report(AS_OF, 90) is None
    for part in ("-reps", "-signals", "-conversion"):  # a Parquet file, not a report's
        kept.keep_report(compute(read_deal_data(ann), AS_OF, 90))
        (path,) = kept_files(part)
        pl.DataFrame({"rep": ["Ann"]}).write_parquet(path)
        assert kept.report(AS_OF, 90) is None


@pytest.mark.parametrize("part", ["signals", "conversion"])
def test_a_kept_part_naming_a_rep_the_table_lacks_is_not_read(ann, part):
    """Of the right kind but not this report's (Parquet files of another
    report, spliced): refused as a whole, so the numbers are computed again."""
    parts = compute(read_deal_data(ann), AS_OF, 90).parts()
    assert Report.from_parts(AS_OF, 90, parts).conversion  # as kept, read
    stranger = parts[part].head(1).with_columns(rep=pl.lit("Zed"))
    parts[part] = pl.concat([parts[part], stranger])
    with pytest.raises(ValueError, match="name reps its table has not"):
        Report.from_parts(AS_OF, 90, parts)


def test_numbers_are_kept_under_the_settings_they_use(ann):
    """A stall rule changes the numbers: they are kept apart. A theme does not."""
    plain = kept_of(ann).prefix
    assert kept_of(ann, Settings(stall=StallRule(min_days=7))).prefix != plain
    assert kept_of(ann, Settings(theme="nord")).prefix == plain


WINDOWS_ASKED = {(AS_OF, 90): {"Ann", "Bob"}, (dt.date(2026, 4, 1), 90): {"Ann", "Dan"}}


def test_the_windows_computed_are_read_by_the_next_cache(ann, monkeypatch):
    data, kept = read_deal_data(ann), kept_of(ann)
    first = ReportCache(data, Settings(), kept=kept)
    first.prepare(WINDOWS_ASKED)
    rows, teams = first.rows(), first.teams()

    def no_computing(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(impact, "compute", no_computing)
    monkeypatch.setattr(impact, "prepare", no_computing)
    second = ReportCache(data, Settings(), kept=kept)
    second.prepare(WINDOWS_ASKED)  # all kept: nothing to compute
    assert second.rows().equals(rows) and second.teams().equals(teams)
    assert second.values("Dan", dt.date(2026, 4, 1), 90) == first.values(
        "Dan", dt.date(2026, 4, 1), 90
    )
    monkeypatch.undo()
    second.prepare({(dt.date(2026, 5, 1), 90): {"Cat"}})  # one more, kept with the others
    third = ReportCache(data, Settings(), kept=kept)
    assert third.rows().height == rows.height + 1
    assert third.values("Cat", dt.date(2026, 5, 1), 90) == second.values(
        "Cat", dt.date(2026, 5, 1), 90
    )


def ann_brief(store, *who: str) -> dict:
    """Ann's brief, of `brief Ann` or of `brief --all`, which keeps every team's review."""
    result = coachtui("brief", *(who or ["Ann"]), "--as-of", AS_OF.isoformat(),
                      "--format", "json", "--db", str(store.path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    return document["briefs"][0] if who else document


def test_the_next_brief_reads_the_numbers_kept_of_this_import_only(ann, tmp_path):
    """The review kept by a brief of every rep is read by the next (a planted
    manager shows), unless it is a link or another import's, which is
    removed with the new import's numbers. One rep's brief computes their
    team alone, and keeps nothing of it: it is not every team's."""
    computed = ann_brief(ann)
    assert not kept_files("-reps")
    assert ann_brief(ann, "--all") == computed
    (reps,) = kept_files("-report-2026-06-30-90-reps")
    planted = pl.read_parquet(io.BytesIO(reps.read_bytes())).with_columns(manager=pl.lit("Planted"))
    write_kept(planted, reps)  # as coachtui writes it
    assert ann_brief(ann)["manager"] == "Planted"  # read, not computed

    elsewhere = tmp_path / "elsewhere.parquet"
    reps.rename(elsewhere)
    reps.symlink_to(elsewhere)
    assert ann_brief(ann, "--all") == computed  # the link is not followed, and is replaced
    assert not reps.is_symlink() and reps.stat().st_mode & 0o777 == 0o600
    write_kept(planted, reps)

    import_file(ann, "deals", FIXTURES / "metrics_deals.csv", ImportOptions(today=TODAY))
    assert ann_brief(ann, "--all") == computed  # the same deals, a new import: computed again
    assert reps not in kept_files() and kept_files("-report-2026-06-30-90-reps")


def test_the_apps_next_start_reads_the_team_it_kept(demo_store):
    """The roster of the numbers read back is the roster computed."""
    window = {"as_of": TODAY, "days": 90, "settings": Settings()}
    computed = compute_team(demo_store, data=None, **window)
    assert computed.review.report.computed is not None and not kept_files()
    keep_for_next_start(demo_store, computed)
    again = compute_team(demo_store, data=computed.data, **window)
    assert again.review.report.computed is None  # read back
    assert again.roster == computed.roster and again.review.focus == computed.review.focus


def test_the_reviews_of_one_day_are_kept(ann):
    """The app keeps a review a window the manager looks at, each day: the
    last day's are kept, not every day's since the last import."""
    data, kept = read_deal_data(ann), kept_of(ann)
    for as_of, days in ((AS_OF, 90), (AS_OF, 30)):
        kept.keep_report(compute(data, as_of, days))
    assert kept.report(AS_OF, 90) is not None and kept.report(AS_OF, 30) is not None
    kept.keep_report(compute(data, AS_OF + dt.timedelta(days=1), 90))
    assert kept.report(AS_OF + dt.timedelta(days=1), 90) is not None
    assert kept.report(AS_OF, 90) is None and kept.report(AS_OF, 30) is None
    assert len(kept_files()) == 6  # one report's parts


def test_the_numbers_of_deals_read_before_an_import_are_not_kept_as_the_new_ones(demo_store):
    """The app computes another window from the deals it holds: if an import
    came in since, those numbers (and that roster) are not the new import's."""
    first = compute_team(demo_store, data=None, as_of=TODAY, days=90, settings=Settings())
    import_file(demo_store, "deals", FIXTURES / "metrics_deals.csv", ImportOptions(today=TODAY))
    cycled = compute_team(demo_store, data=first.data, as_of=TODAY, days=30, settings=Settings())
    keep_for_next_start(demo_store, cycled)
    assert kept_of(demo_store).report(TODAY, 30) is None  # the new import's
    assert cycled.review.kept is not None and cycled.review.kept.report(TODAY, 30) is not None
    new_import = data_version(demo_store.last_import(), TODAY, 30, Settings())
    assert kept_roster(demo_store, new_import) is None


def test_the_apps_brief_keeps_the_windows_it_computes_for_the_next(ann, monkeypatch):
    """Kept once a brief; the brief's own window is the review's, not computed again."""
    data = read_deal_data_kept(ann)
    review = review_team_from(data, AS_OF, 90, kept=kept_of(ann))
    writes = []
    keep_windows = KeptNumbers.keep_windows
    monkeypatch.setattr(
        KeptNumbers, "keep_windows", lambda kept, parts: writes.append(keep_windows(kept, parts))
    )
    computed, compute = [], impact.compute

    def computing(data, *window):
        computed.append(window[:2])
        return compute(data, *window)

    monkeypatch.setattr(impact, "compute", computing)
    first = build_brief(ann, data, review, "Ann", Settings())
    assert kept_files("-windows-rows") and len(writes) == 1
    assert computed and (AS_OF, 90) not in computed  # the review's window: the review's numbers
    monkeypatch.setattr(impact, "prepare", None)  # nothing computed again
    assert build_brief(ann, data, review, "Ann", Settings()) == first
