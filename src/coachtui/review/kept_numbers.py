"""The team's numbers kept for the next command, beside the deal frames.

A rep's brief on a team of thousands computes every rep's numbers, the
team's diagnosis and each window the brief reads, for the team's medians:
more than a second on a million deals. Those numbers change only with the
CRM data and the settings they are computed with, so they are kept as files
in the cache, named as the deal frames are (the database's path,
coachtui's version, its last import) and after those settings: a file of
another import or other settings is never read, and this database's files
of other imports are removed when this import's are written. As the deal
frames: 0600 in a 0700 folder, the user's alone, or not read at all. A kept
file that cannot be read or written only costs time: the numbers are
computed again.

Two things are kept:
- a window's review (`Report.parts`), which the brief, `metrics` and the
  app read: those of one day (the day's windows), the last day kept;
- the windows' numbers the brief and impact read (`ReportCache`): each asked
  rep's metrics in each window, their team's medians, who was asked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from coachtui.review.metrics import REPORT_PARTS, Report
from coachtui.settings import Settings
from coachtui.store.kept_frames import (
    SUFFIX,
    Frames,
    digest,
    forget_kept,
    keep,
    kept_prefix,
    named,
    read_kept,
)

FOLDER = "team-numbers"
WINDOW_PARTS = ("rows", "teams", "asked")


@dataclass(frozen=True)
class KeptNumbers:
    """Where the numbers of one database at one import, computed with one
    set of settings, are kept."""

    prefix: Path

    @classmethod
    def of(cls, database: Path, version: str | None, settings: Settings) -> KeptNumbers | None:
        """`version`: the import the numbers are computed from (`DealData.imported`).
        None when there is none, or the cache cannot be used."""
        prefix = kept_prefix(database, version, FOLDER) if version is not None else None
        if prefix is None:
            return None
        return cls(prefix.with_name(f"{prefix.name}-{digest(settings.numbers_use)}"))

    def report(self, as_of: dt.date, days: int) -> Report | None:
        """The review kept for the window ending `as_of`, if there is one."""
        parts = read_kept(self._report_files(as_of, days))
        if parts is None:
            return None
        try:
            return Report.from_parts(as_of, days, parts)
        except (KeyError, ValueError, pl.exceptions.PolarsError):
            return None  # not what this version writes: computed again, and kept anew

    def keep_report(self, report: Report) -> None:
        """Keep a report computed here (not one read back), every part of it
        computed. Every team's only: `report` reads it back for any team, and
        some teams' (`prepare`'s `reps`) lack the others."""
        if report.computed is None:
            return
        keep(report.parts(), self._report_files(report.as_of, report.days))
        reports, this_day = f"{self.prefix.name}-report-", report.as_of.isoformat()
        for other in self.prefix.parent.glob(f"{reports}*{SUFFIX}"):
            if not other.name.startswith(f"{reports}{this_day}-"):
                with contextlib.suppress(OSError):
                    forget_kept(other)  # another day's: the reports of one day are kept

    def windows(self) -> Frames | None:
        """The windows' numbers kept: `WINDOW_PARTS`."""
        return read_kept(self._files("windows", WINDOW_PARTS))

    def keep_windows(self, parts: Frames) -> None:
        keep(parts, self._files("windows", WINDOW_PARTS))

    def _report_files(self, as_of: dt.date, days: int) -> dict[str, Path]:
        return self._files(f"report-{as_of.isoformat()}-{days}", REPORT_PARTS)

    def _files(self, what: str, names: tuple[str, ...]) -> dict[str, Path]:
        return {name: named(self.prefix, f"{what}-{name}") for name in names}
