"""Why an import was refused, in words that name the file, line and column."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class RowProblem:
    """One bad cell: the physical line (the header is line 1), column and
    value; or a bad line, with no column."""

    line: int
    column: str
    value: str
    reason: str

    def describe(self, file: str) -> str:
        if not self.column:  # the line as a whole: its number of cells
            return f"{file}, line {self.line}: {self.reason}"
        shown = repr(self.value) if self.value else "(blank)"
        return f"{file}, line {self.line}, column {self.column!r}: {shown} {self.reason}"


class ImportRefused(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, file: str, summary: str, problems: list[RowProblem] | None = None):
        self.file = file
        self.summary = summary
        self.problems = sorted(problems or [], key=lambda p: p.line)
        super().__init__(self.message())

    def message(self) -> str:
        lines = [f"cannot import {self.file}: {self.summary}; nothing was changed."]
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        lines += [f"  {problem.describe(self.file)}" for problem in shown]
        hidden = len(self.problems) - len(shown)
        if hidden:
            lines.append(f"  ... and {hidden} more")
        return "\n".join(lines)
