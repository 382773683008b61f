"""The user's settings: config.toml in the configuration folder, validated by pydantic.

Everything has a default, so coachtui runs with no file at all. A setting that
does not validate is reported by key and reason, and the defaults are used.

The settings are frozen dataclasses, with their constraints in their
annotations; pydantic validates them only when there is a file to read. Its
first use costs ~75 ms, which every start would otherwise spend before the
roster could paint.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import platformdirs

from coachtui.paths import APP_NAME

if TYPE_CHECKING:  # read by pydantic, which loads them with a file to validate
    from annotated_types import Ge, Gt, Lt

CONFIG_ENV = "COACHTUI_CONFIG"
# the smallest window the layout holds (not a setting: the screens are drawn for it)
MIN_WIDTH, MIN_HEIGHT = 80, 24
SIXTEEN_COLOUR_TERMS = ("linux", "vt100", "vt220", "ansi", "cons25")
ANSI_THEMES = ("ansi-dark", "ansi-light")


def sixteen_colours(environ=os.environ) -> bool:
    """A console or terminal with the 16 ANSI colours only (TERM=linux and alike):
    the app takes the ANSI theme there."""
    term = environ.get("TERM", "")
    return term in SIXTEEN_COLOUR_TERMS or term.endswith("-16color")


# read by pydantic: a key the settings do not have is an error, not ignored
STRICT = {"extra": "forbid"}


@dataclass(frozen=True)
class DiagnosisThresholds:
    """Every threshold of the diagnosis rules (docs/METRICS.md's defaults)."""

    __pydantic_config__ = STRICT
    # below this share of the team is low; above high_ratio, high
    low_ratio: Annotated[float, Gt(0), Lt(1)] = 0.75
    high_ratio: Annotated[float, Gt(1)] = 1.33
    # activities at least this share of the team's
    activity_parity: Annotated[float, Gt(0)] = 0.9
    # fewer new deals than min_new_deals and fewer closed than min_closed_deals:
    # too little data
    min_new_deals: Annotated[int, Ge(0)] = 5
    min_closed_deals: Annotated[int, Ge(0)] = 5
    # median contacts at or below this
    single_threaded_contacts: Annotated[float, Ge(0)] = 1


@dataclass(frozen=True)
class StallRule:
    __pydantic_config__ = STRICT
    min_days: Annotated[float, Ge(0)] = 14
    cycle_multiplier: Annotated[float, Gt(0)] = 1.5
    fallback_days: Annotated[float, Ge(0)] = 30


@dataclass(frozen=True)
class Currency:
    """Conversion to the user's currency: `rates.EUR = 1.08` means 1 EUR = 1.08 of `base`."""

    __pydantic_config__ = STRICT
    base: str = "USD"
    rates: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    __pydantic_config__ = STRICT
    # your name as the reps file's manager column has it
    me: str | None = None
    # a Textual theme; default: dark, or ANSI on 16 colours
    theme: str | None = None
    # binding id -> keys, e.g. {"session.end" = "f9"}
    keys: dict[str, str] = field(default_factory=dict)
    window_days: Annotated[int, Gt(0)] = 90
    # the largest CRM export an import reads, in MB
    import_max_mb: Annotated[int, Gt(0)] = 2048
    # your open stages, in order
    pipeline: list[str] = field(default_factory=list)
    currency: Currency = field(default_factory=Currency)
    diagnosis: DiagnosisThresholds = field(default_factory=DiagnosisThresholds)
    stall: StallRule = field(default_factory=StallRule)

    @property
    def numbers_use(self) -> str:
        """The settings the team's numbers and diagnosis are computed with, as
        text: what is kept of them is kept under it."""
        every_setting = asdict(self)
        used = ("pipeline", "currency", "diagnosis", "stall")
        return json.dumps({name: every_setting[name] for name in used})


def config_path() -> Path:
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def playbook_path() -> Path:
    """The user's playbook.toml, next to config.toml."""
    return config_path().with_name("playbook.toml")


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings, and the problems found in the file (empty when all is well)."""
    path = path or config_path()
    if not path.exists():
        return Settings(), []
    import tomllib  # only with a file to read: every start would pay for it

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Settings(), [f"{path}: {exc}; using the defaults"]
    from annotated_types import Ge, Gt, Lt  # noqa: F401 (the constraints pydantic reads)
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(Settings).validate_python(data), []
    except ValidationError as exc:
        problems = [
            f"{path}: {'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        ]
        return Settings(), [*problems, "using the defaults"]
