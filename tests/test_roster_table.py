"""The roster's table skips DataTable's measuring of every cell (0.8 s each
time the filter refills 5,000 reps) by overriding a private method of
Textual's DataTable, `_update_dimensions`. textual is pinned exactly for it:
when the pin moves, these tests say whether the override still holds."""

from __future__ import annotations

import inspect

import pytest
from bench.make_deals import write_deals
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from coachtui.app import CoachApp
from coachtui.importing import ImportOptions, import_file
from coachtui.screens.widgets.table import RosterTable, VimTable
from tests.conftest import TODAY, settle

LONG = "a name much longer than its column"


def test_datatable_still_sizes_new_rows_in_update_dimensions():
    parameters = list(inspect.signature(DataTable._update_dimensions).parameters)
    assert parameters == ["self", "new_rows"]
    assert RosterTable._update_dimensions is not DataTable._update_dimensions


class Tables(App[None]):
    def compose(self) -> ComposeResult:
        for table in (RosterTable(id="fitted"), VimTable(id="measured")):
            table.add_column("Rep", key="rep")
            table.add_column("Open", key="open")
            yield table


async def test_a_fitted_roster_table_measures_no_cell_and_shows_every_row():
    app = Tables()
    async with app.run_test(size=(100, 40)) as pilot:
        fitted = app.query_one("#fitted", RosterTable)
        measured = app.query_one("#measured", VimTable)
        fitted.fit({"rep": 6, "open": 5})
        for table in (fitted, measured):
            for n in range(50):
                table.add_row(LONG, "123456789", key=str(n))
        await pilot.pause()
        # DataTable measures the cells of new rows when it next idles...
        assert [c.content_width for c in measured.columns.values()] == [len(LONG), 9]
        # ...but not those of a roster table whose widths are fitted: only the labels
        assert [c.content_width for c in fitted.columns.values()] == [3, 4]
        padding = 2 * fitted.cell_padding
        assert [c.get_render_width(fitted) for c in fitted.columns.values()] == [
            6 + padding,
            5 + padding,
        ]
        # and every row is still there to scroll to
        assert fitted.virtual_size.height == measured.virtual_size.height == 51
        fitted.focus()
        await pilot.press("G")
        assert fitted.cursor_row == 49


async def test_at_80_columns_what_a_call_needs_is_in_view(demo_store):
    """Rep, focus, coached, open commitments and the metrics below the team,
    without scrolling sideways; the numbers follow."""
    from coachtui.app import CoachApp
    from tests.conftest import TODAY, settle

    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        header = next(line for line in lines if "Rep" in line and "Focus" in line)
        assert header.split()[:6] == ["Rep", "Focus", "Coached", "Commit", "▼", "Below"]
        chloe = next(line for line in lines if "Chloe Park" in line)
        assert "Targeting" in chloe and "never" in chloe
        assert chloe.split("never")[1].split()[:5] == ["0", "Open", "New", "Avg", "Vel/d"]


def cut_at_the_edge(table: RosterTable) -> bool:
    """Whether a column shows in part at the table's right edge (or no column
    at all: a table 0 wide)."""
    room, start = table.scrollable_content_region.width, 0
    for column in table.ordered_columns:
        end = start + column.get_render_width(table)
        if end > room:
            return start < room or room == 0
        start = end
    return False


def whole_columns(table: RosterTable) -> list[str]:
    """The labels of the columns shown whole, from the left."""
    shown, edge = [], 0
    for column in table.ordered_columns:
        edge += column.get_render_width(table)
        if edge > table.scrollable_content_region.width:
            break
        shown.append(str(column.label))
    return shown


async def test_the_roster_shows_no_column_cut_at_the_screens_edge(demo_store):
    """At 80 columns the roster ended in the New column cut after its figure's
    first digits: 2.7 for 2.7M, ▼153 for ▼153k."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(RosterTable)
        assert whole_columns(table)[-1] == "Open" and not cut_at_the_edge(table)
        for size, last in (((200, 30), "Stall"), ((100, 30), "Avg"), ((80, 24), "Open")):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert whole_columns(table)[-1] == last and not cut_at_the_edge(table)


@pytest.fixture
def forty_reps(store, tmp_path):
    """More reps than the roster has rows at 80x24: a vertical scrollbar."""
    deals = write_deals(tmp_path / "deals.csv", deals=2000, reps=40)
    import_file(store, "deals", deals, ImportOptions(today=TODAY))
    return store


async def test_a_later_start_shows_the_table_whole_from_its_second_frame(forty_reps):
    """The roster kept from the start before paints before any layout: the
    table was 0 wide for three frames, then cut by the scrollbar for four.
    The first frame is laid out before Textual knows the scrollbar shows, so
    it may still cut a column: one frame, a sixtieth of a second."""
    async with CoachApp(forty_reps, today=TODAY).run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # keeps the roster
    app = CoachApp(forty_reps, today=TODAY)
    cut_in: list[bool] = []
    display = app._display

    def display_and_look(screen, update) -> None:
        cut_in.extend(cut_at_the_edge(table) for table in app.query(RosterTable))
        display(screen, update)

    app._display = display_and_look
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.query_one(RosterTable).show_vertical_scrollbar
    assert len(cut_in) > 2 and not any(cut_in[1:])


async def test_a_filter_that_hides_the_scrollbar_leaves_no_column_cut(forty_reps):
    app = CoachApp(forty_reps, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(RosterTable)
        assert table.show_vertical_scrollbar and not cut_at_the_edge(table)
        await pilot.press("slash", *"Rep 000", "enter")
        await settle(pilot)
        assert table.row_count == 10 and not table.show_vertical_scrollbar
        assert not cut_at_the_edge(table)


def wheel(table: RosterTable, event: type[events.MouseEvent]) -> None:
    """The wheel over the table with shift (down: right), or a trackpad sideways."""
    table.post_message(event(table, 20, 5, 0, 0, 0, True, False, False))


async def test_left_and_right_scroll_the_roster_a_whole_column(demo_store):
    """At 80 columns, right scrolled a cell at a time: Focus showed as "cus"
    on the left and New as "Ne" on the right, ▼153k as "▼1". Now each key
    (or the wheel) shows the next whole column, and the table's width
    follows; a filter and a resize there and back keep the place."""
    app = CoachApp(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.query_one(RosterTable)
        labels = [str(column.label) for column in table.ordered_columns]
        for keys, first, last in (
            ((), "Focus", "Open"),
            (("right",), "Coached", "Avg"),
            (("end",), "Open", "Stall"),
            (("left",), "▼ Below team", "Vel/d"),
            (("slash", *"Chloe", "enter"), "▼ Below team", "Vel/d"),
            (("escape", "home"), "Focus", "Open"),
            ((events.MouseScrollRight,), "Coached", "Avg"),
            ((events.MouseScrollDown,), "Commit", "Cycle"),
            ((events.MouseScrollUp, events.MouseScrollLeft), "Focus", "Open"),
            (("end", (100, 30)), "Commit", "Stall"),  # wider: the last ones, from an earlier one
            (((80, 24),), "Open", "Stall"),  # and back: where end was
            # at 100 columns Focus to Avg and Coached to Vel/d are as wide: no resize
            (("home", (100, 30)), "Focus", "Avg"),
            ((events.MouseScrollDown,), "Coached", "Vel/d"),
            ((events.MouseScrollUp,), "Focus", "Avg"),
            (("right",), "Coached", "Vel/d"),
        ):
            for key in keys:
                if isinstance(key, tuple):
                    await pilot.resize_terminal(*key)
                elif isinstance(key, type):
                    wheel(table, key)
                else:
                    await pilot.press(key)
            await settle(pilot)
            shown = range(labels.index(first), labels.index(last) + 1)
            lines = [strip.text for strip in app.screen._compositor.render_strips()]
            header = next(line for line in lines if line.split()[:1] == ["Rep"])
            assert header.split() == ["Rep", *" ".join(labels[n] for n in shown).split()]
            chloe = next(line for line in lines if "Chloe Park" in line).split()
            cells = table.get_row("Chloe Park")
            assert chloe == ["Chloe", "Park", *" ".join(cells[n].plain for n in shown).split()]
