"""The team's numbers for the tabs: the roster kept from the last start, read
before the first paint, and the team computed again on a worker."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING

from coachtui.coaching.overview import RepCoaching, coaching_overview
from coachtui.review.roster_cache import data_version, keep_roster, kept_roster, roster_of
from coachtui.screens.messages import TeamLoaded

if TYPE_CHECKING:
    from coachtui.review.metrics import DealData
    from coachtui.review.roster_cache import Roster
    from coachtui.settings import Settings
    from coachtui.store import Store

WINDOWS = (30, 90, 180, 365)


def next_window(days: int) -> int:
    """The window of days after this one (`w` cycles through them)."""
    return WINDOWS[(WINDOWS.index(days) + 1) % len(WINDOWS)] if days in WINDOWS else WINDOWS[0]


def kept_team(
    store: Store, as_of: dt.date, days: int, settings: Settings
) -> tuple[Roster, dict[str, RepCoaching]] | None:
    """The roster as computed last time, when nothing it depends on has
    changed since, and who was coached: the manager reads it while the team
    is computed again.

    Read on the UI thread, on purpose: three small reads that let the first
    paint show the team (in WAL mode, a writer does not hold them up)."""
    try:
        roster = kept_roster(store, data_version(store.last_import(), as_of, days, settings))
        overview = coaching_overview(store, as_of)
    except sqlite3.DatabaseError:
        return None  # the team's worker says what is wrong
    return None if roster is None else (roster, overview)


def compute_team(
    store: Store, *, data: DealData | None, as_of: dt.date, days: int, settings: Settings
) -> TeamLoaded:
    """Read the deals (unless `data` holds them already) and compute the
    team's numbers, with the version of the data they come from (the roster
    is kept under it: `keep_for_next_start`). On a worker: polars loads here,
    once the roster has been painted."""
    from coachtui.review.frames import read_deal_data_kept
    from coachtui.review.kept_numbers import KeptNumbers
    from coachtui.review.team import review_kept_or_computed

    data = read_deal_data_kept(store) if data is None else data
    version = data_version(data.imported, as_of, days, settings)
    kept = KeptNumbers.of(store.path, data.imported, settings)
    overview = coaching_overview(store, as_of)
    review = review_kept_or_computed(data, as_of, days, settings, kept)
    return TeamLoaded(data, review, roster_of(review), overview, version)


def keep_for_next_start(store: Store, team: TeamLoaded) -> None:
    """Keep the roster for the next start to paint, unless it is kept
    already, and the team's numbers for the next start or command to read.
    On a worker, once the roster is shown: the manager does not wait for it."""
    if kept_roster(store, team.version) != team.roster:
        keep_roster(store, team.version, team.roster)
    team.review.keep()
