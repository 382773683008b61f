"""What one import did, as the command prints it and the import log keeps it.

A dataclass, not a pydantic model: an import of a million deals starts
without loading pydantic (~75 ms).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coachtui.text import counted, visible


@dataclass(frozen=True)
class ImportSummary:
    kind: str
    file: str
    layout: str
    encoding: str
    mapping: dict[str, str]
    rows: int
    new: int
    updated: int
    unchanged: int
    dry_run: bool = False
    # imported all the same, but worth a look (a guessed encoding, odd dates)
    warnings: list[str] = field(default_factory=list)

    def mapping_lines(self) -> list[str]:
        return [f"  {name:<18} <- {visible(column)}" for name, column in self.mapping.items()]

    def line(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{verb} {counted(self.rows, f'{self.kind} row')} from {self.file} ({self.layout}): "
            f"{self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged"
        )
