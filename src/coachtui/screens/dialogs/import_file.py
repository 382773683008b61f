"""The import dialog: the same import as `coachtui import`, from inside the app.

The import runs in a process of its own (`coachtui import ... --progress-lines`):
it writes through ADBC, whose copy of SQLite must not share a process with
the app's connections, and the app stays responsive meanwhile. Its phases
show as it goes; closing the dialog stops it. A refused import changes
nothing, nor does a stopped one, unless the stop came after its commit: the
app then reads the team again, as after any import that may have written.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from coachtui.importing.fields import KINDS
from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.messages import ImportDone
from coachtui.screens.widgets.key_footer import KeyFooter

STOP_GRACE_SECONDS = 10  # for the import to roll back before it is killed


def import_command(kind: str, path: Path, db_path: Path) -> list[str]:
    return [
        *(sys.executable, "-m", "coachtui", "import", kind),
        *("--db", str(db_path), "--progress-lines", "--", str(path)),
    ]


class ImportDialog(ModalScreen[bool]):
    BINDINGS = keys.IMPORT

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.imported = False
        self._child: asyncio.subprocess.Process | None = None
        self._stopping = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-body") as body:
            body.border_title = "Import a CRM export"
            yield Label("What the file holds")
            yield Select(
                [(kind, kind) for kind in KINDS], value="deals", allow_blank=False, id="kind"
            )
            yield Label("CSV file")
            yield Input(placeholder="~/Downloads/opportunities.csv", id="path")
            yield Static(id="import-result")
            with Horizontal(id="import-buttons"):
                yield Button("Import", variant="primary", id="run")
                yield Button("Close", id="close")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#run")
    def start(self) -> None:
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not str(path) or str(path) == ".":
            self._show(Text("Type the path of a CSV file.", style="bold"))
            return
        if self._importing():
            self.notify("An import is running: wait for it, or Close to stop it.", markup=False)
            return
        self._show(literal(f"Importing {path.name}..."))
        self._run(str(self.query_one("#kind", Select).value), path)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        stopped = self._importing()
        self._stop()
        self.dismiss(self.imported or stopped)  # stopped: perhaps after its commit

    def on_unmount(self) -> None:
        self._stop()

    def _stop(self) -> None:
        """Stop an import still running: it rolls back, nothing is written.
        Once only: closing stops it, and the unmount that follows must not
        signal it again while it rolls back."""
        if self._stopping or not self._importing():
            return
        self._stopping = True
        with contextlib.suppress(ProcessLookupError):
            self._child.terminate()
        child = self._child

        async def kill_if_stuck() -> None:
            with contextlib.suppress(asyncio.TimeoutError, ProcessLookupError):
                await asyncio.wait_for(child.wait(), STOP_GRACE_SECONDS)
                return
            with contextlib.suppress(ProcessLookupError):
                child.kill()

        self.app.run_worker(kill_if_stuck(), group="import-stop", exit_on_error=False)

    def _importing(self) -> bool:
        return self._child is not None and self._child.returncode is None

    def _run(self, kind: str, path: Path) -> None:
        self.run_worker(
            self._import(kind, path), group="import", exclusive=True, exit_on_error=False
        )

    async def _import(self, kind: str, path: Path) -> None:
        child = self._child = await asyncio.create_subprocess_exec(
            *import_command(kind, path, self.db_path),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert child.stdout is not None and child.stderr is not None
        errors = asyncio.create_task(child.stderr.read())
        done: dict = {}
        async for line in child.stdout:
            said = json.loads(line)
            if "phase" in said:
                self._show(literal(f"Importing {path.name}: {said['phase']}..."))
            else:
                done = said
        code = await child.wait()
        told = (await errors).decode(errors="replace").strip()
        if code == 0 and done:
            lines = [done["imported"], *(f"Warning: {w}" for w in done["warnings"])]
            self.post_message(ImportDone(literal("\n".join(lines)), imported=True))
        elif not self._stopping:  # (stopped: the dialog is closing)
            said = told.removeprefix("coachtui: ") or f"the import stopped (exit code {code})"
            self.post_message(ImportDone(literal(said), imported=False))

    def on_import_done(self, message: ImportDone) -> None:
        self._show(message.text, message.imported)

    def _show(self, text: Text, imported: bool | None = None) -> None:
        if imported is not None:
            self.imported = self.imported or imported
            self.query_one("#import-result").set_class(not imported, "error")
        self.query_one("#import-result", Static).update(text)
