"""The app driven by keys, as a manager drives it."""

from __future__ import annotations

import asyncio
import signal

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static, TabbedContent

from coachtui import app as coach_app
from coachtui.app import CoachApp
from coachtui.importing import ImportOptions, import_file
from coachtui.screens.dialogs.help import HelpScreen
from coachtui.screens.dialogs.import_file import ImportDialog
from coachtui.screens.rep_commands import RepCommands
from coachtui.screens.review import ReviewPane
from coachtui.screens.roster import FILTER_PAUSE_SECONDS, RosterPane
from coachtui.store import Store
from tests.conftest import FIXTURES, TODAY, burst, settle, shown, wait_until
from tests.test_workers import another_writer


def cursor_rep(app) -> str:
    table = app.query_one("#roster-table", DataTable)
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


async def test_roster_lists_every_rep_and_moves_with_vim_keys(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.query_one("#roster-table", DataTable)
        assert table.row_count == 12
        # open pipeline, below the team
        assert table.get_cell("Chloe Park", "open_pipeline").plain == "▼15k"
        assert cursor_rep(app) == "Ava Chen"
        await pilot.press("j", "j")
        assert cursor_rep(app) == "Chloe Park"
        await pilot.press("k")
        assert cursor_rep(app) == "Ben Ortiz"
        await pilot.press("G")
        assert cursor_rep(app) == "Luca Romano"
        await pilot.press("g")
        assert cursor_rep(app) == "Ava Chen"
        await pilot.press("down")
        await pilot.press("enter")
        assert app.query_one(TabbedContent).active == "review"
        assert app.query_one(ReviewPane).rep == "Ben Ortiz"


async def test_number_keys_switch_tabs(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test() as pilot:
        await settle(pilot)
        for key, tab in (("2", "review"), ("3", "coach"), ("4", "history"), ("1", "roster")):
            await pilot.press(key)
            assert app.query_one(TabbedContent).active == tab


async def test_help_lists_the_keys_and_closes(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = shown(app.screen.query_one(Static))
        for expected in ("Quit", "Command palette", "j", "Open rep", "Roster"):
            assert expected in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")  # closes help, does not quit
        assert not isinstance(app.screen, HelpScreen)
        assert app.is_running


async def test_the_help_says_what_the_movement_keys_do_on_the_roster(demo_store):
    """ctrl+end and ctrl+home (or G and g) go to the last and first row; home
    and end scroll a wide table's columns. The help once gave home and end as
    the first and last row."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        text = " ".join(shown(app.screen.query_one(Static)).split())
        assert "g / G instead of ctrl+Home / ctrl+End" in text
        assert "home / end A wide table's first / last column" in text
        await pilot.press("escape")
        table = app.query_one("#roster-table", DataTable)
        await pilot.press("ctrl+end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 and table.first_scrolled > 0
        await pilot.press("home", "ctrl+home")
        assert (table.cursor_row, table.first_scrolled) == (0, 0)


@pytest.mark.parametrize("key", ["q", "ctrl+q"])
async def test_quit_keys(demo_store, key):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert not app.is_running


async def test_palette_jumps_to_a_rep(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Rep: Grace")
        await settle(pilot)  # the palette's search
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "review"
        assert app.query_one(ReviewPane).rep == "Grace Liu"


async def test_palette_coaches_a_rep_or_shows_their_brief_but_a_name_alone_reviews(demo_store):
    from coachtui.screens.coach import CoachPane
    from coachtui.screens.dialogs.brief import BriefDialog

    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for typed, then in (
            ("Grace Liu", lambda: app.query_one(ReviewPane).rep == "Grace Liu"),
            ("brief Grace", lambda: isinstance(app.screen, BriefDialog)),
            ("coach Grace", lambda: app.query_one(CoachPane).state.session.rep == "Grace Liu"),
        ):
            await pilot.press("ctrl+p", *typed)
            await settle(pilot)  # the palette's search
            await pilot.press("enter")
            await settle(pilot)
            assert then(), typed
            if isinstance(app.screen, BriefDialog):
                await pilot.press("escape")
        assert app.query_one(TabbedContent).active == "coach"
        # a name alone ranks the review first, whatever Textual does with ties
        hits = [hit async for hit in RepCommands(app.screen).search("Grace Liu")]
        score = {hit.text: hit.score for hit in hits}
        assert score["Rep: Grace Liu"] > max(score["Coach: Grace Liu"], score["Brief: Grace Liu"])


async def test_empty_database_explains_how_to_start(store):
    app = CoachApp(store)
    async with app.run_test() as pilot:
        await settle(pilot)
        status = str(app.query_one("#roster-status").render())
        assert "No deals or reps yet" in status
        assert "coachtui import deals" in status
        assert "coachtui demo" in status
        assert not app.query_one("#roster-table").display


async def test_import_from_the_palette_fills_the_roster(store, monkeypatch):
    monkeypatch.setattr(coach_app, "IMPORT_CHECK_SECONDS", 0.05)  # and says nothing of it
    app = CoachApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"Import a CRM")
        await settle(pilot)  # the palette's search
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        await pilot.press(*str(FIXTURES / "hubspot.csv"), "enter")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert "imported 3 deals rows" in str(app.screen.query_one("#import-result").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.query_one("#roster-table", DataTable).row_count == 2
        said = [notification.message for notification in app._notifications]
        assert not [message for message in said if "New CRM data" in message]


async def test_import_dialog_shows_a_refusal(store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Record ID,Deal owner,Deal Stage,Amount\n1,[bold]Eve[/],Open,lots\n")
    app = CoachApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_import()
        await pilot.pause()
        app.screen.query_one(Input).value = str(bad)
        await pilot.press("enter")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        result = str(app.screen.query_one("#import-result").render())
        assert "line 2, column 'Amount': 'lots' is not an amount" in result
        with Store.open(store.path) as fresh:
            assert fresh.conn.execute("SELECT COUNT(*) FROM deals").fetchone() == (0,)


async def test_closing_the_import_dialog_stops_the_import_and_changes_nothing(store, tmp_path):
    """The import runs in a process of its own, its phases shown as it goes;
    a second one is not started meanwhile; closing the dialog stops it, and
    nothing is written. (Another connection holds the write lock until the
    Escape: on a quiet machine the import could commit before it.)"""
    big = tmp_path / "big.csv"
    lines = (f"D{n},Rep {n % 40},Prospecting,{n},2026-01-01" for n in range(300_000))
    big.write_text("deal_id,rep,stage,amount,created_date\n" + "\n".join(lines) + "\n")
    app = CoachApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_import()
        await pilot.pause()
        dialog = app.screen
        dialog.query_one(Input).value = str(big)
        # the import, signalled, goes no further than its wait for the lock
        with another_writer(store.path):
            await pilot.press("enter")
            result = dialog.query_one("#import-result")
            # under way: a phase shown (reading, checking, writing)
            await wait_until(pilot, lambda: "big.csv: " in str(result.render()), timeout=30)
            child = dialog._child
            dialog.start()  # again while it runs: refused, the same import goes on
            await wait_until(pilot, lambda: len(app._notifications) > 0)
            assert "An import is running" in [n.message for n in app._notifications][-1]
            assert dialog._child is child
            await pilot.press("escape")
        # stopped by the signal: before the import's own handler (-15) or by it (143)
        assert await asyncio.wait_for(child.wait(), 30) in (-signal.SIGTERM, 128 + signal.SIGTERM)
        await settle(pilot)
        assert not isinstance(app.screen, ImportDialog)
    with Store.open(store.path) as fresh:
        assert fresh.conn.execute("SELECT COUNT(*) FROM deals").fetchone() == (0,)
        assert fresh.conn.execute("SELECT COUNT(*) FROM import_log").fetchone() == (0,)
    assert [p.name for p in store.path.parent.iterdir() if ".import-" in p.name] == []


def first_rows(app, count=3) -> list[str]:
    return app.query_one(RosterPane).shown[:count]


async def test_roster_sorts_and_filters_from_the_keyboard(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*"sssss")  # focus, coached, commit, below team, open pipeline
        assert "sort: Open ▲" in str(app.query_one("#roster-status").render())
        assert first_rows(app) == ["Chloe Park", "Jonah Brooks", "Hiro Tanaka"]
        await pilot.press("r")
        assert first_rows(app, 1) == ["Kemi Adeyemi"]
        status = str(app.query_one("#roster-status").render())
        assert "sort: Open ▼" in status
        await pilot.press(*"SSSSS", "r")  # back to names, A to Z
        assert first_rows(app, 1) == ["Ava Chen"]
        await pilot.press("slash", *"marcus")
        await pilot.pause(FILTER_PAUSE_SECONDS + 0.1)  # refilled once typing pauses
        assert len(app.query_one(RosterPane).shown) == 6
        await pilot.press("enter")  # back to the table, filter kept
        assert app.focused is app.query_one("#roster-table")
        await pilot.press("enter")
        assert app.query_one(ReviewPane).rep == "Grace Liu"
        await pilot.press("1", "slash", "escape")
        assert len(app.query_one(RosterPane).shown) == 12


async def test_roster_marks_reps_below_the_team_and_their_focus(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.query_one("#roster-table", DataTable)

        def cell(rep, key):
            return table.get_cell(rep, key).plain

        assert cell("Emma Novak", "avg_cycle_days") == "▼153d"
        assert cell("Emma Novak", "stalled_deals") == "▼6"
        assert cell("Emma Novak", "focus") == "Dollarizing"
        assert cell("Emma Novak", "flagged") == "Cycle Stall"
        assert cell("Ava Chen", "focus") == cell("Ava Chen", "flagged") == ""


async def test_manager_scope_shows_one_team(demo_store):
    app = CoachApp(demo_store, manager="Marcus Reed", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.query_one(RosterPane).shown[0] == "Grace Liu"
        assert len(app.query_one(RosterPane).shown) == 6


async def test_review_before_a_rep_is_picked_shows_how_to_pick_one_alone(demo_store):
    """No empty cards, sparklines of nothing and a stalled table with no rows."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        review = app.query_one(ReviewPane)
        shown_now = [child for child in review.children if child.display]
        assert [child.id for child in shown_now] == ["review-title"]
        assert "Pick a rep on the Roster" in str(shown_now[0].render())
        await pilot.press("1", "enter")
        await settle(pilot)
        assert review.query_one("#review-cards").display
        assert review.query_one("#stalled-table").display


async def test_review_keys_step_through_reps_and_windows(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "enter")
        review = app.query_one(ReviewPane)
        assert review.rep == "Emma Novak"
        await settle(pilot)
        focus = shown(review.query_one("#review-focus", Static))
        assert "1. Dollarizing" in focus and "stalled deals 6 vs team median 0" in focus
        assert review.query_one("#stalled-table", DataTable).row_count == 6
        await pilot.press("n")
        assert review.rep == "Farid Haddad"
        await pilot.press("p", "p")
        assert review.rep == "Diego Alvarez"
        assert app.query_one(RosterPane).focused_rep() == "Diego Alvarez"  # back there, on him
        await pilot.press("w")
        await settle(pilot)
        assert app.review.report.days == 180
        assert "last 180 days" in str(review.query_one("#review-title").render())
        await pilot.press("w", "w", "w")
        await settle(pilot)
        assert app.review.report.days == 90


async def test_review_names_the_manager_lists_areas_in_words_and_explains_marks(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("G", "k", "enter")  # Kemi Adeyemi, the last rep but one
        await settle(pilot)
        review = app.query_one(ReviewPane)
        assert review.rep == "Kemi Adeyemi"
        assert "Kemi Adeyemi  manager: Marcus Reed  ·" in str(
            review.query_one("#review-title").render()
        )
        focus = shown(review.query_one("#review-focus", Static))
        assert "1. Multi-stakeholder access  (strong evidence)" in focus
        assert "2. Dollarizing  (strong evidence)" in focus
        assert "3. Messaging  (some evidence)" in focus
        assert "score" not in focus
        # every card marked below the team is named in the evidence, or explained
        assert "average cycle 148d vs team median" in focus
        assert "stalled deals 12 vs team median 0" in focus
        assert "▼ Won below the team: no coaching area reads it alone" in focus
        assert "▼ Win rate below the team: no coaching area reads it alone" in focus
        marked = [card.id for card in review.query(".card.below")]
        assert marked == [
            "card-won_amount",
            "card-win_rate",
            "card-avg_cycle_days",
            "card-stalled_deals",
        ]


async def test_review_evidence_too_long_for_the_pane_wraps_under_its_start(demo_store):
    """At 80 columns a reason wraps: its next lines start under its first
    word, not under the bullet."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "enter")  # Chloe Park: Targeting
        await settle(pilot)
        review = app.query_one(ReviewPane)
        focus = review.query_one("#review-focus", Static)
        lines = shown(focus, width=focus.content_region.width).splitlines()
        assert lines[0] == "1. Targeting  (strong evidence)"
        assert lines[1].startswith("   · new pipeline ")
        assert lines[2].startswith("     ") and lines[2].strip()  # wrapped, under "new"
        assert lines[2].strip() in "new pipeline $153,000 vs team median $1,214,300: -87% " + (
            "(below 75% of the team)"
        )


async def test_the_filter_waits_for_a_pause_in_typing_or_for_enter(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        roster = app.query_one(RosterPane)
        refills = []
        original = roster._fill
        roster._fill = lambda: (refills.append(roster._wanted()), original())
        burst(pilot, "slash", *"emma")  # typed quickly
        await wait_until(pilot, lambda: getattr(roster.filter_box(), "value", "") == "emma")
        assert refills == [] and len(roster.shown) == 12  # still typing
        burst(pilot, "enter")  # no need to wait
        await wait_until(pilot, lambda: refills == ["emma"])
        assert roster.shown == ["Emma Novak"]
        await pilot.pause(FILTER_PAUSE_SECONDS + 0.1)
        assert refills == ["emma"]  # the pending pause found nothing new to do
        await pilot.press("slash", "escape")
        await pilot.pause(FILTER_PAUSE_SECONDS + 0.1)
        assert refills == ["emma", ""] and len(roster.shown) == 12


async def test_the_roster_columns_keep_their_width_while_filtering(demo_store):
    """Sized once for the whole team (the longest name is Diego Alvarez)."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.query_one("#roster-table", DataTable)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert widths[0] == 2 * table.cell_padding + len("Diego Alvarez")
        await pilot.press("slash", *"chloe", "enter")
        assert app.query_one(RosterPane).shown == ["Chloe Park"]
        assert [column.get_render_width(table) for column in table.columns.values()] == widths


async def test_back_on_the_roster_the_keys_go_to_the_table(demo_store):
    """Not to the hidden filter box, which came first among the roster's widgets."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4", "1")
        assert app.focused is app.query_one("#roster-table")
        await pilot.press("slash", *"chloe", "enter")
        assert app.query_one(RosterPane).shown == ["Chloe Park"]
        # the filter box is on screen now, and comes first: the table had the keys
        await pilot.press("3", "1")
        assert app.focused is app.query_one("#roster-table")


async def test_keys_on_a_coach_tab_with_no_session_reach_no_hidden_widget(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        assert app.focused is None
        await pilot.press("c", "j")  # the roster's keys, on a tab that is not the roster
        await settle(pilot)
        assert app.query_one("CoachPane").state is None
        assert app.query_one(TabbedContent).active == "coach"


@pytest.mark.parametrize("width", [80, 120])
async def test_stalled_deals_show_name_and_stage_whole(demo_store, width):
    """A long deal name wraps at a word; the stage is never cut (80 and 120 columns)."""
    long_name = "Pinnacle Foods International - Analytics add-on and the renewal of 2027"
    demo_store.conn.execute(
        "UPDATE deals SET name = ? WHERE name = 'Pinnacle Foods - Analytics add-on'", (long_name,)
    )
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "enter")
        await settle(pilot)
        pane = app.query_one(ReviewPane)
        pane.scroll_end(animate=False)
        await settle(pilot)
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        table = lines[next(n for n, line in enumerate(lines) if "Stalled deals (" in line) :]
        chunks = [[c.strip() for c in line.split("  ") if c.strip()] for line in table]
        first = next(n for n, line in enumerate(chunks) if line and line[0].startswith("Orchid"))
        name_lines = [line[0] for line in chunks[2:first]]
        assert len(name_lines) > 1 and " ".join(name_lines) == long_name
        assert chunks[2][-3] == "Needs Analysis"  # the name's first line: its stage, whole
        assert {c for line in chunks for c in line if "Value" in c} == {"Value Proposition"}


async def test_an_import_made_elsewhere_is_computed_again_and_said(
    demo_store, csv_file, monkeypatch
):
    """A shell (or a nightly job) imports while the app is open: the roster
    showed the numbers of before until a restart."""
    monkeypatch.setattr(coach_app, "IMPORT_CHECK_SECONDS", 0.05)
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.query_one("#roster-table", DataTable)
        before = table.get_cell("Ava Chen", "open_pipeline").plain
        deal = csv_file(
            "Deal ID,Owner,Stage,Amount,Created\nBIG1,Ava Chen,Prospecting,9000000,2026-11-20\n"
        )
        with Store.open(demo_store.path) as elsewhere:
            import_file(elsewhere, "deals", deal, ImportOptions(today=TODAY))
        await wait_until(pilot, lambda: table.get_cell("Ava Chen", "open_pipeline").plain != before)
        said = [notification.message for notification in app._notifications]
        assert said.count("New CRM data was imported: the numbers are computed again.") == 1
