"""`y`: the session as Markdown for a CRM note, sent to the terminal's
clipboard (OSC 52, which works over SSH) and always kept in a private file
whose name is said: whether the clipboard got it, no program can know, and
tmux (by default) or screen keep it from the terminal."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from textual.widget import Widget

from coachtui.paths import create_private_file, data_dir, private_place

COPY_FILE = "last-copy.md"


def copy_file() -> Path:
    return data_dir() / COPY_FILE


def keep(text: str) -> Path:
    """The text in the data folder, readable by the manager alone (0600),
    written whole into a new file that then takes the name: never through a
    link another user planted."""
    path = copy_file()
    private_place(path, "XDG_DATA_HOME")
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with create_private_file(partial) as out:
        out.write(text.encode("utf-8"))
    partial.replace(path)
    return path


def tmux_clipboard(environ=os.environ) -> str | None:
    """tmux's set-clipboard ('on', 'external' or 'off') inside tmux, else None."""
    if not environ.get("TMUX"):
        return None
    try:
        shown = subprocess.run(
            ["tmux", "show-options", "-gv", "set-clipboard"],
            capture_output=True,
            text=True,
            timeout=1,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return shown.stdout.strip() or "unknown"


def where_it_went(path: Path, environ=os.environ) -> str:
    """What to tell the manager: where the copy went, as far as it is known."""
    setting = tmux_clipboard(environ)
    if setting not in (None, "on"):  # off, external (tmux's default) or unknown
        return (
            f"tmux may keep it from your clipboard (set -g set-clipboard on); the text is in {path}"
        )
    if environ.get("STY"):
        return f"screen does not pass it to your clipboard; the text is in {path}"
    through = "through tmux " if setting == "on" else ""
    return (
        f"Sent {through}to your terminal's clipboard (OSC 52), if the terminal "
        f"accepts it; the text is also in {path}"
    )


def copy(widget: Widget, text: str) -> None:
    """Send `text` to the clipboard, keep it in the file, and say so."""
    widget.app.copy_to_clipboard(text)
    try:
        path = keep(text)
    except OSError as exc:
        widget.notify(
            f"Sent to your terminal's clipboard (OSC 52), if it accepts it; "
            f"not saved to {copy_file()}: {exc}",
            severity="warning",
            timeout=10,
            markup=False,
        )
        return
    widget.notify(where_it_went(path), timeout=10, markup=False)
