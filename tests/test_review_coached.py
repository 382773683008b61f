"""Review's line under the diagnosis when the suggested area was coached before:
Emma Novak's first area on the sample team is Dollarizing."""

from __future__ import annotations

from textual.widgets import Static

from coachtui.app import CoachApp
from coachtui.areas import FocusArea
from coachtui.coaching import records
from coachtui.coaching import sessions as coaching
from coachtui.coaching.impact import coached, coached_line, coaching_impact
from coachtui.review.frames import read_deal_data
from coachtui.review.team import review_team_from
from coachtui.screens.review import ReviewPane
from tests.conftest import TODAY, settle, shown

EMMA = ("j", "j", "j", "j", "enter")  # the fifth rep, A to Z


def session_on(store, area: FocusArea, day: str) -> None:
    """An ended session of Emma's, suggested on `area`, on `day`."""
    session = coaching.start_or_resume(store, "Emma Novak", area)
    coaching.end_session(store, session.id)
    store.conn.execute(
        "UPDATE coaching_sessions SET started_at = ?, ended_at = ? WHERE id = ?",
        (f"{day}T09:00:00", f"{day}T09:30:00", session.id),
    )


async def diagnosis_of_emma(store) -> str:
    app = CoachApp(store, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press(*EMMA)
        await settle(pilot)
        pane = app.query_one(ReviewPane)
        assert pane.rep == "Emma Novak"
        return shown(pane.query_one("#review-focus", Static))


async def test_review_says_what_changed_while_the_suggested_area_was_coached(demo_store):
    session_on(demo_store, FocusArea.DOLLARIZING, "2026-09-03")
    session_on(demo_store, FocusArea.DOLLARIZING, "2026-10-01")
    data = read_deal_data(demo_store)
    review = review_team_from(data, TODAY, 90)
    assert review.focus["Emma Novak"][0].area is FocusArea.DOLLARIZING
    ended = coached(records.coaching_sessions(demo_store, "Emma Novak"))
    (impact,) = coaching_impact(data, ended, TODAY, 90)
    line = coached_line(impact, review.report.currency)
    assert line.startswith("coached on Dollarizing since Thu 03 Sep: cycle ")
    diagnosis = await diagnosis_of_emma(demo_store)
    assert diagnosis.startswith("1. Dollarizing")
    assert diagnosis.endswith(f"\n{line}")  # under the diagnosis


async def test_too_early_says_so_and_another_area_says_nothing(demo_store):
    session_on(demo_store, FocusArea.TARGETING, "2026-09-03")
    assert "coached on" not in await diagnosis_of_emma(demo_store)
    session_on(demo_store, FocusArea.DOLLARIZING, "2026-11-20")
    diagnosis = await diagnosis_of_emma(demo_store)
    assert diagnosis.endswith(
        "\ncoached on Dollarizing since Fri 20 Nov: too early to compare (7 days after, 14 needed)"
    )


async def test_a_rep_with_no_area_to_coach_but_a_metric_below_the_team_reads_as_one(demo_store):
    """Ben is below the team on open pipeline alone, which no coaching area
    reads: the review said "Nothing stands out" above that very line."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        pane = app.query_one(ReviewPane)
        assert pane.rep == "Ben Ortiz"
        assert shown(pane.query_one("#review-focus", Static)).splitlines() == [
            "No coaching area stands out against the team: coach what the rep asks for.",
            "▼ Open pipeline below the team: no coaching area reads it alone",
        ]
