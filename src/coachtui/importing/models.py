"""The CRM's words, as pydantic models: the rows an import checks before it
saves them, and what an import did.

Nothing the app needs for its first paint imports this module: pydantic's
first use costs ~75 ms. The coaching areas are in `coachtui.areas`, the
coaching sessions in `coachtui.coaching.records`, the settings in
`coachtui.settings`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DealStatus = Literal["open", "won", "lost"]
ActivityType = Literal["call", "email", "meeting", "other"]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Rep(Record):
    rep: str = Field(min_length=1)
    rep_id: str | None = None
    manager: str | None = None
    region: str | None = None
    email: str | None = None
    quota: float | None = None


class Deal(Record):
    deal_id: str = Field(min_length=1)
    rep: str = Field(min_length=1)
    stage: str = Field(min_length=1)
    status: DealStatus
    account: str | None = None
    name: str | None = None
    amount: float | None = None
    currency: str | None = None
    created_date: dt.date | None = None
    close_date: dt.date | None = None
    stage_entered_date: dt.date | None = None
    contacts: int | None = None


class StageChange(Record):
    deal_id: str
    stage: str
    entered_at: dt.date
    source: Literal["file", "import"] = "file"


class Activity(Record):
    activity_id: str
    rep: str
    date: dt.date
    type: ActivityType
    deal_id: str | None = None


class ImportSummary(Record):
    """What one import did, as the command prints it and the import log keeps it."""

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
    # what the file lacks for some numbers, said after the summary
    warnings: tuple[str, ...] = ()

    def mapping_lines(self) -> list[str]:
        return [f"  {field:<18} <- {column}" for field, column in self.mapping.items()]

    def line(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        return (
            f"{verb} {self.rows} {self.kind} rows from {self.file} ({self.layout}): "
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged"
        )
