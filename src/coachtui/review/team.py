"""One call from the store to the numbers and the diagnosis, for the CLI and the app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from coachtui.review.diagnosis import Focus, diagnose, diagnose_rep
from coachtui.review.metrics import DealData, Prepared, Report, compute
from coachtui.settings import Settings

if TYPE_CHECKING:
    from coachtui.review.kept_numbers import KeptNumbers


@dataclass(frozen=True)
class TeamReview:
    """The report, and each rep's focus diagnosed from it when first read;
    where the team's numbers are kept (`kept`), for the windows the brief
    and impact compute to be kept there too."""

    report: Report
    settings: Settings
    kept: KeptNumbers | None = None

    @cached_property
    def focus(self) -> dict[str, list[Focus]]:
        return diagnose(self.report, self.settings)

    def focus_of(self, rep: str) -> list[Focus]:
        """One rep's focus (none for a rep the report does not have), without
        diagnosing the whole team for it."""
        if "focus" in self.__dict__:  # the whole team is diagnosed already
            return self.focus.get(rep, [])
        if not self.report.rep_row(rep):
            return []
        return diagnose_rep(self.report, rep, self.settings)

    def keep(self) -> None:
        """Keep the review where the team's numbers are kept, for the next
        command and start. Every team's review only: some teams' lack the
        others, and a kept review serves any team."""
        if self.kept is not None:
            self.kept.keep_report(self.report)


def configured_pipeline(
    stored: list[tuple[str, str]], configured: list[str]
) -> list[tuple[str, str]]:
    """The user's own order of open stages first, then the rest as stored."""
    if not configured:
        return stored
    named = [(stage, "open") for stage in configured]
    return named + [(stage, status) for stage, status in stored if stage not in configured]


def review_team_from(
    data: DealData,
    as_of: dt.date,
    days: int,
    settings: Settings | None = None,
    prepared: Prepared | None = None,
    kept: KeptNumbers | None = None,
) -> TeamReview:
    """Every team's review, or only some teams': `prepare(data, settings, reps)`."""
    settings = settings or Settings()
    data = replace(data, pipeline=configured_pipeline(data.pipeline, settings.pipeline))
    report = compute(data, as_of, days, settings, prepared)
    return TeamReview(report, settings, kept)


def kept_review(
    kept: KeptNumbers | None, as_of: dt.date, days: int, settings: Settings
) -> TeamReview | None:
    """Every team's review as it was kept for this window (`keep_report`),
    if it was: some teams' numbers are among them too."""
    report = kept.report(as_of, days) if kept is not None else None
    return None if report is None else TeamReview(report, settings, kept)


def review_kept_or_computed(
    data: DealData,
    as_of: dt.date,
    days: int,
    settings: Settings,
    kept: KeptNumbers | None,
    prepared: Callable[[], Prepared] | None = None,
) -> TeamReview:
    """The review kept for this window, else computed from `data` (and to
    be kept where `kept` says). `prepared` gives `prepare(data, settings,
    reps)` for some teams' numbers only: called only to compute."""
    return kept_review(kept, as_of, days, settings) or review_team_from(
        data, as_of, days, settings, prepared() if prepared else None, kept
    )
