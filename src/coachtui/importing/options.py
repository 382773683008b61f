"""What the user chose for one import: the CRM layout, the columns, the stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from coachtui.importing.limits import MAX_FILE_MB, MB


@dataclass(frozen=True)
class ImportOptions:
    layout: str = "auto"
    mapping: dict[str, str] = field(default_factory=dict)
    won_stages: tuple[str, ...] = ()
    lost_stages: tuple[str, ...] = ()
    encoding: str | None = None
    date_format: str | None = None
    dry_run: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    # moves every date of the file forward; the demo uses it to look current
    shift_days: int = 0
    # the largest file read (the import_max_mb setting)
    max_file_bytes: int = MAX_FILE_MB * MB
