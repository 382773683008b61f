"""The import dialog: the same import as `coachtui import`, from inside the app."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from coachtui.importing import ImportRefused, import_file
from coachtui.importing.fields import KINDS
from coachtui.screens import keys
from coachtui.screens.literal import literal
from coachtui.screens.messages import ImportDone
from coachtui.screens.workers import run_on_store
from coachtui.store import Store


class ImportDialog(ModalScreen[bool]):
    BINDINGS = keys.IMPORT

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self.imported = False

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
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#run")
    def start(self) -> None:
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not str(path) or str(path) == ".":
            self._show(Text("Type the path of a CSV file.", style="bold"))
            return
        self._show(literal(f"Importing {path.name}..."))
        self._run(str(self.query_one("#kind", Select).value), path)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.imported)

    def _run(self, kind: str, path: Path) -> None:
        def run(store: Store) -> ImportDone:
            try:
                summary = import_file(store, kind, path)
            except ImportRefused as exc:
                return ImportDone(literal(exc), imported=False)
            said = "\n".join([summary.line(), *(f"Warning: {w}" for w in summary.warnings)])
            return ImportDone(literal(said), imported=True)

        run_on_store(self, self.db_path, run, group="import")

    def on_import_done(self, message: ImportDone) -> None:
        self._show(message.text, message.imported)

    def _show(self, text: Text, imported: bool | None = None) -> None:
        if imported is not None:
            self.imported = self.imported or imported
            self.query_one("#import-result").set_class(not imported, "error")
        self.query_one("#import-result", Static).update(text)
