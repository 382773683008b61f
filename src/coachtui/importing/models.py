"""The CRM's words, as pydantic models: the rows an import checks before it
saves them. What an import did is `coachtui.importing.summary.ImportSummary`.

Nothing the app needs for its first paint, nor an import, imports this
module: pydantic's first use costs ~75 ms. The coaching areas are in `coachtui.areas`, the
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
