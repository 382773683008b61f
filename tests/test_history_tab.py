"""History's coaching impact, driven by keys on the `ann`
fixture (tests/conftest.py): Ann's session on Dollarizing ended 2026-06-01."""

from __future__ import annotations

import datetime as dt
import re

from rich.console import Console

from coachtui.app import CoachApp
from coachtui.coaching import records
from coachtui.coaching.impact import coached, coaching_impact, impact_rows
from coachtui.review.frames import read_deal_data
from coachtui.review.team import review_team_from
from tests.conftest import settle

JUNE_30, JUNE_10 = dt.date(2026, 6, 30), dt.date(2026, 6, 10)
HOSTILE = "[bold red]Budget[/] \x1b[31mowner $(rm -rf) [link=http://x]"


def plain(widget) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=96, color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get().strip()


async def history_of_ann(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter", "4")  # Ann is the first rep
    await settle(pilot)


async def test_history_shows_what_changed_while_each_area_was_coached(ann):
    app = CoachApp(ann, today=JUNE_30)
    async with app.run_test(size=(100, 50)) as pilot:
        await history_of_ann(pilot)
        shown = plain(app.query_one("#history-impact"))
        # start 06-01, after min(06-01 + 90, 06-30): 29 days
        assert "Dollarizing since Mon 01 Jun: 1 session; changed while coaching, over" in shown
        assert "the 29 days after" in shown
        assert "caused" not in shown
        # each headline metric's row, as impact_rows gives it (its numbers: test_impact.py)
        data = read_deal_data(ann)
        sessions = coached(records.coaching_sessions(ann))
        (impact,) = coaching_impact(data, sessions, JUNE_30, 90)
        rows = impact_rows(impact, review_team_from(data, JUNE_30, 90).report.currency)
        assert [row[0] for row in rows] == [
            "cycle",
            "stalled deals",
            "average deal",
            "velocity a day",
        ]
        for row in rows:  # on one line, in order
            assert re.search(r" +".join(map(re.escape, row)), shown), row
        # all reps: no impact block
        await pilot.press("a")
        await settle(pilot)
        assert plain(app.query_one("#history-impact")) == ""


async def test_under_fourteen_days_the_impact_is_too_early(ann):
    app = CoachApp(ann, today=JUNE_10)
    async with app.run_test(size=(100, 50)) as pilot:
        await history_of_ann(pilot)
        shown = plain(app.query_one("#history-impact"))
        assert "too early: 9 days after, 14 needed" in shown
        assert shown.count("too early") == 1 + 4  # the heading, then each metric
        for word in ("better", "worse", "flat"):
            assert word not in shown
