"""Committed pictures of each screen; update on purpose with --snapshot-update."""

from __future__ import annotations

import datetime as dt

import pytest

from coachtui.app import CoachApp
from coachtui.coaching import commitments, deal_work
from coachtui.coaching import sessions as coaching
from tests.conftest import TODAY, settle

SESSION_START = "2026-11-27T09:00:00"
EMMA = ("j", "j", "j", "j")  # the fifth rep, A to Z


def after(*keys: str, then: tuple[str, ...] = ()):
    """A run_before: let the team load, press `keys`, let it settle, press `then`."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        await pilot.press(*then)

    return run_before


def fix_start(
    store, session_id: int, started: str, ended: str | None = None, changed: str | None = None
) -> None:
    """Session times are part of the picture: pin them (`changed`: its last change)."""
    store.conn.execute(
        "UPDATE coaching_sessions SET started_at = ?, ended_at = ?, updated_at = ? WHERE id = ?",
        (started, ended, changed or ended or started, session_id),
    )


@pytest.fixture
def demo_app(demo_store):
    return CoachApp(demo_store, today=TODAY)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_roster(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=after())


def test_empty_roster(snap_compare, store):
    assert snap_compare(CoachApp(store), terminal_size=(80, 24), run_before=after())


def test_help(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=after("question_mark"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_review_of_a_rep(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=after(*EMMA, "enter"))


def test_review_lower_down(snap_compare, demo_app):
    scroll = after(*EMMA, "enter", then=("pagedown", "pagedown"))
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=scroll)


@pytest.fixture
def coaching_app(demo_store):
    """Emma's session, started at a fixed time, with a commitment and a deal
    from last week, and a commitment made now."""
    earlier = coaching.start_or_resume(demo_store, "Emma Novak", None)
    commitments.add_commitment(
        demo_store, earlier.id, "Emma Novak", "Send the ROI sheet", due=TODAY
    )
    coaching.end_session(demo_store, earlier.id)
    (deal,) = demo_store.conn.execute(
        "SELECT deal_id FROM deals WHERE rep = 'Emma Novak' AND status = 'open' "
        "AND name = 'Juniper Health - Platform' ORDER BY deal_id LIMIT 1"
    ).fetchone()
    deal_work.discuss_deal(demo_store, earlier.id, deal)
    deal_work.save_deal_notes(demo_store, earlier.id, deal, "Legal reviews the MSA; redline Fri")
    now = coaching.start_or_resume(demo_store, "Emma Novak", None)
    coaching.save_notes(demo_store, now.id, "Stalled deals: Pinnacle, Orchid")
    coaching.save_question(demo_store, now.id, "dollarizing.measure", text="hours", asked=True)
    commitments.add_commitment(
        demo_store, now.id, "Emma Novak", "Book the CFO", due=TODAY + dt.timedelta(days=7)
    )
    fix_start(demo_store, earlier.id, "2026-11-20T09:00:00", "2026-11-20T09:28:00")
    # the day a commitment was made is in the picture too
    demo_store.conn.execute(
        "UPDATE commitments SET created_at = ? WHERE session_id = ?",
        ("2026-11-20T09:20:00", earlier.id),
    )
    # last typed in at 09:10, and opened again in this app at 09:12:30: the two
    # and a half minutes in between are not part of the session's 10 minutes
    fix_start(demo_store, now.id, SESSION_START, changed="2026-11-27T09:10:00")
    return CoachApp(demo_store, today=TODAY, clock=lambda: dt.datetime(2026, 11, 27, 9, 12, 30))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_coach(snap_compare, coaching_app, size):
    assert snap_compare(coaching_app, terminal_size=size, run_before=after(*EMMA, "c"))


def test_brief(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=after(*EMMA, "b"))


def test_coach_shows_the_brief_first(snap_compare, demo_store):
    """A new session: the brief first, the session's timer running."""

    def clock() -> dt.datetime:
        started = demo_store.conn.execute("SELECT started_at FROM coaching_sessions").fetchone()
        if started is None:
            return dt.datetime(2026, 11, 27, 9, 0)
        return dt.datetime.fromisoformat(started[0]) + dt.timedelta(seconds=5)

    app = CoachApp(demo_store, today=TODAY, clock=clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=after(*EMMA, "c"))


def test_history(snap_compare, coaching_app):
    history = after(*EMMA, "enter", "4")
    assert snap_compare(coaching_app, terminal_size=(80, 24), run_before=history)


def test_history_with_impact(snap_compare, ann):
    """Ann's session on Dollarizing ended 06-01: 29 days after it, as of 06-30."""
    app = CoachApp(ann, today=dt.date(2026, 6, 30))
    assert snap_compare(app, terminal_size=(80, 24), run_before=after("enter", "4"))


@pytest.mark.parametrize(
    ("screen", "keys"),
    [("roster", ()), ("review", (*EMMA, "enter")), ("coach", ("j", "c"))],
    ids=["roster", "review", "coach"],
)
def test_sixteen_colours(snap_compare, demo_store, monkeypatch, screen, keys):
    """TERM=linux: the ANSI theme; the below-team marks still read as symbols."""
    monkeypatch.setenv("TERM", "linux")
    session = coaching.start_or_resume(demo_store, "Ben Ortiz", None)
    fix_start(demo_store, session.id, SESSION_START)
    app = CoachApp(demo_store, today=TODAY, clock=lambda: dt.datetime(2026, 11, 27, 9, 0))
    assert snap_compare(app, terminal_size=(80, 24), run_before=after(*keys))


def test_commitments(snap_compare, demo_store):
    """Grace's and Emma's open commitments, one overdue, one kept (not listed)."""
    late, soon = TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=7)
    made = {
        "Grace Liu": [("Map the buyers at Orchid", None), ("Send the ROI sheet", soon)],
        "Emma Novak": [("Book the CFO at Pinnacle for the pricing review", late)],
    }
    for n, (rep, listed) in enumerate(made.items()):
        session = coaching.start_or_resume(demo_store, rep, None)
        for text, due in listed:
            commitments.add_commitment(demo_store, session.id, rep, text, due=due)
        coaching.end_session(demo_store, session.id)
        fix_start(demo_store, session.id, f"2026-11-1{n}T09:00:00", f"2026-11-1{n}T09:30:00")
    app = CoachApp(demo_store, today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=after("5"))


@pytest.mark.parametrize("screen", ["roster", "coach"])
@pytest.mark.parametrize(
    "environ",
    [{"NO_COLOR": "1"}, {"NO_COLOR": "1", "TERM": "linux"}],
    ids=["no_color", "linux_no_color"],
)
def test_without_colour(snap_compare, coaching_app, monkeypatch, environ, screen):
    """NO_COLOR, on a 256-colour terminal and on the Linux console: the
    terminal's own colours, the cursor row reversed, below-team cells bold with ▼."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    app = CoachApp(coaching_app.store, today=TODAY, clock=coaching_app.clock)
    keys = (*EMMA, "c") if screen == "coach" else ()
    assert snap_compare(app, terminal_size=(80, 24), run_before=after(*keys))
