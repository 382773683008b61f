"""Every key of coachtui and its id, in one place.

The app, the panes and the dialogs bind these lists; the help (?) lists them.
`keys` in config.toml remaps a binding by its id, e.g. `{"coach.commit" = "A"}`:
the ids are in the users' files, so they never change.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding

TABS = (
    ("roster", "Roster"),
    ("review", "Review"),
    ("coach", "Coach"),
    ("history", "History"),
    ("commitments", "Commitments"),
)

APP = [
    Binding("q", "quit", "Quit", id="quit"),
    Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit.ctrl"),
    Binding("question_mark,f1", "help", "Help", id="help"),  # F1 in a text box: ? is typed
    *(
        Binding(str(n), f"show_tab('{tab}')", label, show=False, id=f"tab.{tab}")
        for n, (tab, label) in enumerate(TABS, start=1)
    ),
]

# keys as the footer and the help write them, where Textual's names are less plain
KEY_NAMES = {
    "question_mark": "?",
    "f1": "F1",
    "f10": "F10",
    "escape": "esc",
    "slash": "/",
    "plus": "+",
    "equals_sign": "=",
    "minus": "-",
    "delete": "del",
}

# every list: vim aliases, hidden from the footer
TABLE = [
    Binding("enter", "select_cursor", "Select", show=False, id="table.select"),
    Binding("j", "cursor_down", "Down", show=False, id="table.down"),
    Binding("k", "cursor_up", "Up", show=False, id="table.up"),
    Binding("g", "scroll_top", "First row", show=False, id="table.first"),
    Binding("G", "scroll_bottom", "Last row", show=False, id="table.last"),
    Binding("ctrl+d", "page_down", "Page down", show=False, id="table.page_down"),
    Binding("ctrl+u", "page_up", "Page up", show=False, id="table.page_up"),
]

# a list of choices (the deals to discuss): the table's vim keys, under the
# same ids (a key remapped for the tables is remapped here too), to the
# list's own actions
_LIST_ACTIONS = {"table.first": "first", "table.last": "last"}
OPTION_LIST = [
    replace(binding, action=_LIST_ACTIONS.get(binding.id, binding.action))
    for binding in TABLE
    if binding.id in ("table.down", "table.up", *_LIST_ACTIONS)
]

ROSTER_TABLE = [Binding("enter", "select_cursor", "Open rep", id="roster.open")]

ROSTER = [
    Binding("c", "coach", "Coach", id="roster.coach"),
    Binding("b", "brief", "Brief", id="roster.brief"),
    Binding("slash", "filter", "Filter", key_display="/", id="roster.filter"),
    Binding("s", "sort(1)", "Sort", id="roster.sort"),
    Binding("S", "sort(-1)", "Sort back", show=False, id="roster.sort_back"),
    Binding("r", "reverse", "Reverse", show=False, id="roster.reverse"),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="roster.clear_filter"),
]

REVIEW = [
    Binding("n", "step_rep(1)", "Next rep", id="review.next"),
    Binding("p", "step_rep(-1)", "Prev rep", id="review.previous"),
    Binding("w", "cycle_window", "Window", id="review.window"),
    Binding("c", "coach", "Coach", id="review.coach"),
    Binding("b", "brief", "Brief", id="review.brief"),
    Binding("j", "scroll_down", "Down", show=False, id="review.down"),
    Binding("k", "scroll_up", "Up", show=False, id="review.up"),
]

COACH = [
    # F10 ends the session even while typing: no text editor takes it
    Binding(
        "f10,ctrl+g",
        "end_session",
        "End",
        key_display="F10",
        priority=True,
        id="session.end",
    ),
    Binding("n", "edit_notes", "Notes", id="coach.notes"),
    Binding("e", "edit_question", "Answer", show=False, id="coach.edit"),
    Binding("space", "mark", "Mark", id="coach.mark"),
    Binding("plus,equals_sign", "rate(1)", "Rate", key_display="+/-", id="coach.rate_up"),
    Binding(
        "minus",
        "rate(-1)",
        "Rate down; below 1 removes the rating",
        show=False,
        id="coach.rate_down",
    ),
    Binding("f", "cycle_focus", "Focus", id="coach.focus"),
    Binding("a", "add_commitment", "Commit", id="coach.commit"),
    Binding("d", "discuss_deal", "Deal", id="coach.deal"),
    Binding("y", "copy_session", "Copy", id="coach.copy"),
    Binding("b", "show_brief", "Brief", id="coach.brief"),
    Binding("escape", "leave_editor", "Leave editor", show=False, id="coach.leave"),
]

# the brief shown first in a new session: on to the checklist
SESSION_BRIEF = [Binding("escape,enter", "go_on", "Checklist", id="coach.brief_done")]

# the commitments made in this session, under last week's on the Coach tab
MADE = [
    Binding("enter", "select_cursor", "Edit", id="coach.commitment_edit"),
    Binding("delete", "delete_commitment", "Delete", id="coach.commitment_delete"),
]

HISTORY = [
    Binding("a", "toggle_scope", "The team / this rep", id="history.scope"),
    Binding("slash", "search", "Search", key_display="/", id="history.search"),
    Binding("escape", "leave_search", "Leave search", show=False, id="history.leave_search"),
]

COMMITMENTS = [Binding("space", "mark", "Kept/missed/open", id="commitments.mark")]

BRIEF = [Binding("escape,q,b", "dismiss", "Close", id="brief.close")]
BRIEF_SCROLL = [
    Binding("j", "scroll_down", "Down", show=False, id="brief.down"),
    Binding("k", "scroll_up", "Up", show=False, id="brief.up"),
    Binding("g", "scroll_home", "Top", show=False, id="brief.top"),
    Binding("G", "scroll_end", "Bottom", show=False, id="brief.bottom"),
]
COMMITMENT = [Binding("escape", "cancel", "Cancel", id="commitment.cancel")]
CONFIRM = [
    Binding("y", "answer(True)", "Yes", id="confirm.yes"),
    Binding("n,escape", "answer(False)", "No", id="confirm.no"),
]
DEAL = [
    Binding("escape", "close", "Close", id="deal.close"),
    Binding("f2", "deal_list", "Deals list", key_display="F2", id="deal.list"),
]
IMPORT = [Binding("escape", "close", "Close", id="import.close")]
SUMMARY = [
    Binding("y", "copy", "Copy (Markdown)", id="summary.copy"),
    Binding("escape,enter,q", "dismiss", "Close", id="summary.close"),
]
HELP = [Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close")]
