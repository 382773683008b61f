"""The roster as plain rows, kept in the store for the next start.

Computing the team's numbers needs polars and every deal; painting the roster
needs a few numbers a rep. The app keeps the roster it last computed, with
the data version it was computed from, and paints it at once on the next
start when nothing it depends on has changed: the same imports, settings,
window and day. The team is computed again in the background all the same,
and the roster repainted only if it moved. Plain Python: nothing here loads
polars.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coachtui import __version__
from coachtui.review.benchmark import below_team, mixed_currencies

if TYPE_CHECKING:
    from coachtui.review.team import TeamReview
    from coachtui.settings import Settings
    from coachtui.store import Store

SHOWN = (
    "open_pipeline",
    "new_pipeline",
    "win_rate",
    "avg_deal_size",
    "avg_cycle_days",
    "sales_velocity",
    "stalled_deals",
)
META_KEY = "roster"


@dataclass(frozen=True)
class Roster:
    """Each rep's shown numbers, which are below the team, which are split into
    several currencies (`mixed`), and the first coaching area."""

    as_of: str
    days: int
    currency: str | None
    rows: list[dict]

    @property
    def as_of_date(self) -> dt.date:
        return dt.date.fromisoformat(self.as_of)

    def rows_of(self, manager: str | None) -> list[dict]:
        """The rows of this manager's team; every row when no manager is chosen."""
        return [row for row in self.rows if not manager or row["manager"] == manager]


def roster_of(review: TeamReview) -> Roster:
    report = review.report
    rows = []
    for row in report.reps.to_dicts():
        team = report.team_benchmark(row["manager"])
        areas = review.focus[row["rep"]]
        rows.append(
            {
                "rep": row["rep"],
                "manager": row["manager"],
                "focus": areas[0].area.short_label if areas else "",
                **{metric: row[metric] for metric in SHOWN},
                "below": [m for m in SHOWN if below_team(m, row[m], team.get(m))],
                "mixed": [m for m in SHOWN if row[m] is None and mixed_currencies(row, m)],
            }
        )
    return Roster(report.as_of.isoformat(), report.days, report.currency, rows)


def data_version(imported: str | None, as_of: dt.date, days: int, settings: Settings) -> str:
    """What the roster's numbers depend on: the CRM data (the import its
    deals hold, `Store.last_import`), the day, the window and the settings
    the numbers use."""
    return f"{__version__}|{imported}|{as_of.isoformat()}|{days}|{settings.numbers_use}"


def kept_roster(store: Store, version: str) -> Roster | None:
    """The roster kept for this data version, if there is one."""
    kept = store.get_meta(META_KEY)
    if kept is None:
        return None
    try:
        saved = json.loads(kept)
        return Roster(**saved["roster"]) if saved["version"] == version else None
    except (ValueError, KeyError, TypeError):
        return None  # unreadable: it is computed again and replaced


def keep_roster(store: Store, version: str, roster: Roster) -> None:
    # vars, not asdict: the rows are plain already, and asdict copies 5,000 of them deeply
    store.set_meta(META_KEY, json.dumps({"version": version, "roster": vars(roster)}))
