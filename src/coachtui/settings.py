"""The user's settings: config.toml in the configuration folder, validated by pydantic.

Everything has a default, so coachtui runs with no file at all. A setting that
does not validate is reported by key and reason, and the defaults are used.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coachtui.config import APP_NAME

CONFIG_ENV = "COACHTUI_CONFIG"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DiagnosisThresholds(Strict):
    """Every threshold of the diagnosis rules (shared/METRICS.md's defaults)."""

    low_ratio: float = Field(0.75, gt=0, lt=1, description="below this share of the team is low")
    high_ratio: float = Field(1.33, gt=1, description="above this share of the team is high")
    activity_parity: float = Field(
        0.9, gt=0, description="activities at least this share of the team's"
    )
    min_new_deals: int = Field(5, ge=0, description="fewer new deals than this, and ...")
    min_closed_deals: int = Field(5, ge=0, description="... fewer closed deals: too little data")
    single_threaded_contacts: float = Field(1, ge=0, description="median contacts at or below this")


class StallRule(Strict):
    min_days: float = Field(14, ge=0)
    cycle_multiplier: float = Field(1.5, gt=0)
    fallback_days: float = Field(30, ge=0)


class Currency(Strict):
    """Conversion to the user's currency: `rates.EUR = 1.08` means 1 EUR = 1.08 of `base`."""

    base: str = "USD"
    rates: dict[str, float] = Field(default_factory=dict)


class Settings(Strict):
    me: str | None = Field(None, description="your name as the reps file's manager column has it")
    theme: str | None = Field(
        None, description="a Textual theme; default: dark, or ANSI on 16 colours"
    )
    keys: dict[str, str] = Field(
        default_factory=dict, description='binding id -> keys, e.g. {"session.end" = "f9"}'
    )
    window_days: int = Field(90, gt=0)
    pipeline: list[str] = Field(default_factory=list, description="your open stages, in order")
    currency: Currency = Field(default_factory=Currency)
    diagnosis: DiagnosisThresholds = Field(default_factory=DiagnosisThresholds)
    stall: StallRule = Field(default_factory=StallRule)


def config_path() -> Path:
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings, and the problems found in the file (empty when all is well)."""
    path = path or config_path()
    if not path.exists():
        return Settings(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Settings(), [f"{path}: {exc}; using the defaults"]
    try:
        return Settings.model_validate(data), []
    except ValidationError as exc:
        problems = [
            f"{path}: {'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        ]
        return Settings(), [*problems, "using the defaults"]
