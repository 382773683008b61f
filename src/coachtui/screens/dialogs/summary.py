"""One session on one screen, with a copy for the CRM: shown when a session
ends, and for a past session picked on the History tab."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from coachtui.areas import FocusArea
from coachtui.coaching import export
from coachtui.screens import keys
from coachtui.text import literal


def summary_text(session: dict) -> Text:
    """Areas covered, ratings, commitments and duration, from collect_sessions()."""
    text = literal(session["rep"], style="bold")
    minutes = session["minutes"]
    text.append(
        f"  ·  {session['started_at'][:10]}  ·  {minutes} min\n\n"
        if minutes is not None
        else "\n\n"
    )
    covered = sorted({item["area"] for item in session["checklist"] if item["asked"]})
    text.append("Areas covered: ", style="bold")
    text.append(", ".join(FocusArea(a).label for a in covered) if covered else "none marked")
    text.append("\nRatings: ", style="bold")
    text.append(
        ", ".join(f"{FocusArea(a).label} {r}/5" for a, r in session["ratings"].items()) or "none"
    )
    text.append("\n\nCommitments\n", style="bold")
    for c in session["commitments"] or [{"text": "none", "owner": "", "due_date": None}]:
        due = f", due {c['due_date']}" if c.get("due_date") else ""
        owner = f" ({c['owner']}{due})" if c["owner"] else ""
        text.append_text(literal(f"  - {c['text']}{owner}\n"))
    if session["reviewed_commitments"]:
        text.append("\nLast commitments\n", style="bold")
        for c in session["reviewed_commitments"]:
            text.append_text(literal(f"  - {c['status']}: {c['text']}\n"))
    if session["notes"].strip():
        text.append("\nNotes\n", style="bold")
        text.append_text(literal(session["notes"].strip() + "\n"))
    return text


class SessionSummary(ModalScreen[None]):
    BINDINGS = keys.SUMMARY

    def __init__(self, session: dict, heading: str = "Session ended") -> None:
        super().__init__()
        self.session = session
        self.heading = heading

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary-body", classes="dialog") as body:
            body.border_title = self.heading
            yield Static(summary_text(self.session))
        yield Footer()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(export.as_markdown([self.session]))
        self.notify("Summary copied to the clipboard (OSC 52): paste it into the CRM")
