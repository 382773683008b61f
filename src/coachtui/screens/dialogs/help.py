"""Help on `?` / F1: every key, generated from the bindings so it stays true."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from coachtui.screens import keys
from coachtui.screens.widgets.key_footer import KeyFooter

MOVEMENT = [
    Binding("up,down", "", "Move the highlight"),
    Binding("pageup,pagedown", "", "Page up / down"),
    Binding("home,end", "", "A wide table's first / last column"),
]
PALETTE = [
    Binding("ctrl+p", "", "Command palette: a rep's review, coach or brief; a tab; import a file")
]
TERMINAL_ALTERNATIVES = [
    Binding("q", "", "instead of ctrl+q (some editors' terminals keep it)"),
    Binding("g,G", "", "instead of ctrl+Home / ctrl+End (tmux and screen may not pass them)"),
    Binding("ctrl+g", "", "instead of F10 to end a session"),
    Binding("enter,e", "", "to answer a question: no shift+enter, ctrl+h or ctrl+j needed"),
]
DIALOGS = [
    Binding("escape", "", "Close a dialog or this help"),
    Binding("tab,shift+tab", "", "Next / previous field"),
]
# the History tab's list: enter opens a session, whose summary copies it (y)
HISTORY_LIST = [Binding("enter", "", "Open the highlighted session (read-only)")]


def _key_names(binding: Binding) -> str:
    return " / ".join(keys.KEY_NAMES.get(key, key) for key in binding.key.split(","))


def sections() -> list[tuple[str, list[Binding]]]:
    """Every key of the app, by where it works."""
    return [
        ("Everywhere", [*keys.APP, *PALETTE]),
        ("Lists", [*MOVEMENT, *keys.TABLE]),
        ("Roster", [*keys.ROSTER_TABLE, *keys.ROSTER]),
        ("Review", keys.REVIEW),
        ("Coach (the live session)", keys.COACH),
        ("Coach: the brief a new session shows first", keys.SESSION_BRIEF),
        ("Coach: the commitments made now", keys.MADE),
        ("Coach: the deals under discussion (d)", keys.DEAL),
        ("The brief (b)", [*keys.BRIEF, *keys.BRIEF_SCROLL]),
        ("Asked to confirm", keys.CONFIRM),
        ("History", [*HISTORY_LIST, *keys.HISTORY]),
        ("A session's summary (History's enter, F10)", keys.SUMMARY),
        ("Commitments", keys.COMMITMENTS),
        ("Dialogs", [*DIALOGS, *keys.COMMITMENT, *keys.IMPORT, *keys.HELP]),
        ("If a key does not reach coachtui", TERMINAL_ALTERNATIVES),
    ]


def binding_ids() -> set[str]:
    """The ids that `keys` in config.toml can remap."""
    return {b.id for _title, bindings in sections() for b in bindings if b.id}


def keymap(wanted: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """The keymap to set from `keys` in config.toml, and what to say about the
    ids that name no binding."""
    unknown = sorted(set(wanted) - binding_ids())
    problem = f"keys: no binding named {', '.join(unknown)}; see the help (?) for the ids"
    return {k: v for k, v in wanted.items() if k not in unknown}, problem if unknown else None


def help_table() -> Group:
    """One small table per section: key, what it does, and its id for config.toml."""
    parts = []
    for title, bindings in sections():
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
        table.add_column(style="bold", no_wrap=True, min_width=14)
        table.add_column(ratio=1)
        table.add_column(style="dim", no_wrap=True)
        for binding in bindings:
            table.add_row(
                Text(_key_names(binding)), Text(binding.description), Text(binding.id or "")
            )
        parts += [Text(title, style="underline"), table, Text("")]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = keys.HELP

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            yield Static(help_table())
        yield KeyFooter()
