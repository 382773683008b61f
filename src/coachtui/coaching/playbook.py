"""The coaching checklist: the shipped playbook.toml, replaced or extended by the user's."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coachtui.areas import FocusArea


class Question(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(min_length=1)
    text: str = Field(min_length=1)


class Area(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: FocusArea
    title: str
    purpose: str = ""
    replace: bool = False
    questions: list[Question] = Field(default_factory=list)


class Playbook(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    areas: list[Area]

    def area(self, area: FocusArea) -> Area:
        return next(a for a in self.areas if a.id == area)

    def ordered(self, first: list[FocusArea]) -> list[Area]:
        """The areas with the suggested ones first, in their order."""
        rank = {area: n for n, area in enumerate(first)}
        return sorted(self.areas, key=lambda a: rank.get(a.id, len(rank)))

    def merged(self, user: Playbook) -> Playbook:
        """The user's areas replace (`replace = true`) or extend ours, by id."""
        areas = {area.id: area for area in self.areas}
        for extra in user.areas:
            base = areas.get(extra.id)
            if base is None or extra.replace:
                areas[extra.id] = extra
                continue
            known = {q.id for q in base.questions}
            added = [q for q in extra.questions if q.id not in known]
            areas[extra.id] = base.model_copy(update={"questions": [*base.questions, *added]})
        return Playbook(areas=list(areas.values()))


def shipped() -> Playbook:
    text = (
        resources.files("coachtui.coaching").joinpath("playbook.toml").read_text(encoding="utf-8")
    )
    return Playbook.model_validate(tomllib.loads(text))


def load_playbook(user_file: Path | None) -> tuple[Playbook, list[str]]:
    """The playbook to coach from, and the problems found in the user's file."""
    playbook = shipped()
    if user_file is None or not user_file.exists():
        return playbook, []
    try:
        user = Playbook.model_validate(tomllib.loads(user_file.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError) as exc:
        return playbook, [f"{user_file}: {exc}; using the shipped playbook"]
    return playbook.merged(user), []
