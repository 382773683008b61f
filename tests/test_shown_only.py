"""The main screen's compositor draws what Textual's draws, cell for cell, in
any region a partial redraw covers (coachtui.screens.shown_only)."""

from __future__ import annotations

from functools import partial
from unittest.mock import patch

from rich.cells import cell_len
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Static

from coachtui.app import CoachApp
from coachtui.screens.review import ReviewPane
from coachtui.screens.shown_only import MainScreen, ShownOnlyCompositor
from tests.conftest import TODAY, settle

Cell = tuple[str, object] | None


def drawn(compositor: Compositor, crop: Region, get_renders) -> dict[tuple[int, int], Cell]:
    """Each cell of `crop` as drawn with `get_renders`: its character and style."""
    with patch.object(compositor, "_get_renders", partial(get_renders, compositor)):
        chops = compositor._render_chops(crop, lambda y: True)
    cells: dict[tuple[int, int], Cell] = {}
    for y in crop.line_range:
        for cut, strip in chops[y].items():
            x = cut
            for segment in strip or ():
                for character in segment.text:
                    cells[x, y] = (character, segment.style)
                    x += cell_len(character)
    return {(x, y): cells.get((x, y)) for y in crop.line_range for x in range(crop.x, crop.right)}


def assert_drawn_alike(app, *crops: Region) -> None:
    compositor = app.screen._compositor
    assert isinstance(compositor, ShownOnlyCompositor)
    for crop in crops:
        ours = drawn(compositor, crop, ShownOnlyCompositor._get_renders)
        textuals = drawn(compositor, crop, Compositor._get_renders)
        assert None not in textuals.values(), crop  # the reference covers the crop
        assert ours == textuals, crop


async def test_what_the_roster_and_the_notes_redraw_is_what_textual_would_draw(demo_store):
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#roster-table")
        assert_drawn_alike(
            app,
            table.region,  # the roster's cursor moved
            Region(0, 0, 100, 1),  # the title bar
            Region(30, 2, 40, 12),  # across the tabs, the filter and the table
            app.screen.region,
        )
        await pilot.press("j", "j", "j", "j", "c")
        await settle(pilot)
        await pilot.press("escape", "n", *"Map the buying group at Pinnacle")
        await settle(pilot)
        notes = app.screen.query_one("#session-notes")
        assert notes.text.endswith("Pinnacle")
        checklist = app.screen.query_one("#checklist-table")
        assert_drawn_alike(
            app,
            notes.region,  # a key typed into the notes
            Region(notes.region.x, notes.region.y, 10, 3),  # the notes' first words
            notes.region.union(checklist.region),  # both columns
            Region(notes.region.x - 3, notes.region.y - 4, 20, 8),  # the notes' corner
            app.screen.region,
        )


async def test_what_a_scrolled_review_redraws_is_what_textual_would_draw(demo_store):
    """Scrolled at 80x24 until the metric cards are cut at the review's top edge."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first rep's review
        await settle(pilot)
        pane = app.screen.query_one(ReviewPane)
        top = pane.region
        for y in range(1, pane.max_scroll_y + 1):  # down to the cards cut at the top
            pane.scroll_to(y=y, animate=False)
            await settle(pilot)
            cut = [c for c in pane.query(".card") if c.region.y < top.y < c.region.bottom]
            if cut:
                break
        assert cut, "no card is cut at the top edge"
        assert_drawn_alike(
            app,
            top,
            Region(top.x, top.y, top.width, 2),  # the cut edge
            *(card.region for card in cut),  # the cards, hidden part and all
            *(card.region.intersection(top) for card in cut),
        )


class ScrolledUnderAHeading(App[None]):
    """A block cut at a scrolled container's top edge, with a heading
    behind it above that edge."""

    CSS = "Static { height: 4; }"

    def get_default_screen(self) -> MainScreen:
        return MainScreen()

    def compose(self) -> ComposeResult:
        yield Static("Heading\nover\nthe\nblocks")
        with VerticalScroll():
            for number in range(10):
                yield Static(f"block {number}\n" * 4)


async def test_a_block_cut_at_an_edge_is_drawn_by_what_shows():
    app = ScrolledUnderAHeading()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        app.query_one(VerticalScroll).scroll_to(y=6, animate=False)
        await pilot.pause()
        cut = app.query(Static)[2]  # block 1: its first two lines hidden under the heading
        assert cut.region.y < app.query_one(VerticalScroll).region.y < cut.region.bottom
        assert_drawn_alike(app, cut.region, Region(0, 2, 20, 4), app.screen.region)
