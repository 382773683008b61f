"""The sessions file: the JSON that `coachtui export sessions --format json`
writes, read back and checked whole before anything is written. A problem is
refused with the file, the session's place in it and the field.

Pydantic loads with this module, which only `coachtui import sessions` imports.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from coachtui.areas import COACHING_AREAS, FocusArea
from coachtui.coaching.commitments import OWNERS
from coachtui.coaching.export import CSV_COLUMNS
from coachtui.coaching.records import (
    INFLUENCE_ROLES,
    STANCES,
    VALUE_QUESTIONS,
    CoachingSession,
    question_wordings,
)
from coachtui.coaching.sessions import RATINGS
from coachtui.coaching.statuses import CommitmentStatus
from coachtui.text import counted, visible

if TYPE_CHECKING:
    from coachtui.coaching.playbook import Playbook


class SessionsRefused(Exception):
    """The sessions file cannot be imported; nothing was written."""

    def __init__(self, file: Path, problem: str) -> None:
        super().__init__(f"cannot import {file}: {problem}; nothing was changed")


def _said(text: str) -> str:
    if not text.strip():
        raise ValueError("is blank")
    return text


def _as_written(moment: dt.datetime) -> dt.datetime:
    """The time as written, its time zone dropped: dates count by their date
    part, with no time-zone conversion."""
    return moment.replace(tzinfo=None)


Said = Annotated[str, AfterValidator(_said)]
Moment = Annotated[dt.datetime, AfterValidator(_as_written)]
Area = Literal[tuple(area.value for area in COACHING_AREAS)]
Rating = Annotated[int, Field(ge=RATINGS.start, le=RATINGS.stop - 1)]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Reviewed = Literal[tuple(s.value for s in CommitmentStatus if s is not CommitmentStatus.OPEN)]


def _twice(values: Iterable[object]) -> object | None:
    """The first value listed twice, if any."""
    seen: set[object] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ChecklistEntry(_Part):
    """A question as the export names it: by its area and the playbook's
    wording, or with area "" by the id of a question the playbook no longer has."""

    area: Literal["", *Area.__args__]
    question: Said
    asked: bool = False
    notes: str = ""
    _question_id: str = PrivateAttr("")

    @field_validator("question")
    @classmethod
    def _in_the_playbook(cls, question: str, info: ValidationInfo) -> str:
        area = info.data.get("area")
        if area and (area, question) not in info.context["questions"]:
            raise ValueError(
                f"not one of the {FocusArea(area).label} questions of your playbook: add it "
                'to playbook.toml, or give its area as "" to keep it as written'
            )
        return question

    @model_validator(mode="after")
    def _find_its_id(self, info: ValidationInfo) -> ChecklistEntry:
        self._question_id = info.context["questions"].get((self.area, self.question), self.question)
        return self

    @property
    def question_id(self) -> str:
        return self._question_id


class CommitmentEntry(_Part):
    text: Said
    owner: Literal[OWNERS] = "rep"
    due_date: dt.date | None = None
    status: CommitmentStatus = CommitmentStatus.OPEN
    made_on: dt.date | None = None
    marked_on: dt.date | None = None


class ReviewedEntry(_Part):
    """An earlier commitment this session marked, named by its text."""

    text: Said
    status: Reviewed


class InfluenceEntry(_Part):
    role: Literal[tuple(role for role, _label in INFLUENCE_ROLES)]
    who: str = ""
    met: bool = False
    stance: Literal[STANCES] = "unknown"


class DealEntry(_Part):
    deal_id: Said
    name: str | None = None
    account: str | None = None
    cost_of_inaction_month: Money | None = None
    cost_of_inaction_year: Money | None = None
    currency: str | None = None
    notes: str = ""
    value_answers: dict[Literal[tuple(question for question, _ in VALUE_QUESTIONS)], str] = {}
    influences: list[InfluenceEntry] = []

    @field_validator("cost_of_inaction_year")
    @classmethod
    def _twelve_months(cls, year: float | None, info: ValidationInfo) -> float | None:
        month = info.data.get("cost_of_inaction_month")
        if year is not None and month is not None and not math.isclose(year, 12 * month):
            raise ValueError(f"a year is 12 months, and 12 x {month:g} is {12 * month:g}")
        return year

    @field_validator("influences")
    @classmethod
    def _one_a_role(cls, influences: list[InfluenceEntry]) -> list[InfluenceEntry]:
        role = _twice(i.role for i in influences)
        if role:
            raise ValueError(f"the role {role} is listed twice")
        return influences

    @property
    def cost_of_inaction(self) -> tuple[float, float] | None:
        """(per month, per year), either worked out from the other, or None."""
        month, year = self.cost_of_inaction_month, self.cost_of_inaction_year
        if month is None and year is None:
            return None
        return (year / 12 if month is None else month, 12 * month if year is None else year)


class SessionEntry(_Part):
    id: int | None = None  # the row id in the database it came from: not kept
    rep: Said
    started_at: Moment
    ended_at: Moment | None = None
    minutes: int | None = Field(default=None, ge=0)
    finished: bool | None = None
    focus_area: Area | None = None
    suggested_area: Area | None = None
    notes: str = ""
    checklist: list[ChecklistEntry] = []
    ratings: dict[Area, Rating] = {}
    commitments: list[CommitmentEntry] = []
    reviewed_commitments: list[ReviewedEntry] = []
    deals: list[DealEntry] = []

    @field_validator("ended_at")
    @classmethod
    def _after_the_start(cls, ended: dt.datetime | None, info: ValidationInfo):
        started = info.data.get("started_at")
        if ended is not None and started is not None and ended < started:
            raise ValueError("is before started_at")
        return ended

    @field_validator("minutes")
    @classmethod
    def _at_most_as_long_as_it_ran(cls, minutes: int | None, info: ValidationInfo):
        started, ended = info.data.get("started_at"), info.data.get("ended_at")
        if minutes is None or started is None or ended is None:
            return minutes
        ran = CoachingSession(id=0, rep="", started_at=started, ended_at=ended).minutes
        if minutes > ran:
            raise ValueError(f"more than the {ran} minutes from started_at to ended_at")
        return minutes

    @field_validator("finished")
    @classmethod
    def _finished_when_ended(cls, finished: bool | None, info: ValidationInfo):
        known = finished is not None and "ended_at" in info.data
        if known and finished != (info.data["ended_at"] is not None):
            raise ValueError("a session is finished when it has an ended_at")
        return finished

    @field_validator("checklist")
    @classmethod
    def _one_note_a_question(cls, checklist: list[ChecklistEntry]) -> list[ChecklistEntry]:
        question = _twice(item.question_id for item in checklist)
        if question:
            raise ValueError(f"the question {question!r} is listed twice")
        return checklist

    @field_validator("deals")
    @classmethod
    def _one_entry_a_deal(cls, deals: list[DealEntry]) -> list[DealEntry]:
        deal_id = _twice(deal.deal_id for deal in deals)
        if deal_id:
            raise ValueError(f"the deal {deal_id!r} is listed twice")
        return deals

    @property
    def updated_at(self) -> dt.datetime | None:
        """When it was last written to: when it ended, or `minutes` after its
        start (so that it has lasted as long again); None when the file does not say."""
        if self.ended_at is not None or self.minutes is None:
            return self.ended_at
        return self.started_at + dt.timedelta(minutes=self.minutes)

    @property
    def paused(self) -> dt.timedelta:
        """The time between its start and end not in its `minutes`: the time it
        was left unfinished, open nowhere."""
        if self.ended_at is None or self.minutes is None:
            return dt.timedelta(0)
        paused = self.ended_at - self.started_at - dt.timedelta(minutes=self.minutes)
        return paused if paused >= dt.timedelta(minutes=1) else dt.timedelta(0)  # less: rounding

    @property
    def last_change(self) -> dt.datetime:
        """When its answers, deals and reviews are recorded as written."""
        return self.updated_at or self.started_at


class SessionsFile(_Part):
    sessions: list[SessionEntry]


def read_sessions_file(path: Path, playbook: Playbook) -> list[SessionEntry]:
    """Every session of the file, checked; SessionsRefused names the first problem."""
    text = _text(path)
    data = _json(path, text)
    if not isinstance(data, dict) or "sessions" not in data:
        raise SessionsRefused(
            path,
            'not a sessions file: it should be an object with a "sessions" list, as '
            "`coachtui export sessions --format json` writes",
        )
    wordings = question_wordings(playbook)
    questions = {(area.value, wording): qid for qid, (area, wording) in wordings.items()}
    try:
        sessions = SessionsFile.model_validate_json(
            text, strict=True, context={"questions": questions}
        ).sessions
    except ValidationError as exc:
        raise SessionsRefused(path, _problem(exc)) from None
    first_place: dict[tuple[str, dt.datetime], int] = {}
    for place, session in enumerate(sessions, 1):
        seen = first_place.setdefault((session.rep, session.started_at), place)
        if seen != place:
            raise SessionsRefused(
                path, f"session {place}, started_at: the same rep and start as session {seen}"
            )
    return sessions


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SessionsRefused(path, (exc.strerror or str(exc)).lower()) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SessionsRefused(path, f"not UTF-8 text (byte {exc.start})") from None


def _json(path: Path, text: str) -> object:
    try:
        return json.loads(text)
    except RecursionError:
        raise SessionsRefused(path, "not valid JSON: nested too deeply") from None
    except json.JSONDecodeError as exc:
        if text.partition("\n")[0].strip() == ",".join(CSV_COLUMNS):
            problem = (
                "this is the CSV of `coachtui export sessions`, which leaves out what a "
                "session needs to come back whole (the areas of its questions, when each "
                "commitment was made and marked, the buying influences); import the JSON of "
                "`coachtui export sessions --format json` instead"
            )
        else:
            problem = f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise SessionsRefused(path, problem) from None


# what one item of a list is called, in a problem's place
_ITEM = {
    "sessions": "session",
    "checklist": "checklist item",
    "commitments": "commitment",
    "reviewed_commitments": "reviewed commitment",
    "deals": "deal",
    "influences": "influence",
}


_KEYED = ("ratings", "value_answers")  # a problem names the key: "ratings.dollarizing"


def _where(loc: tuple[int | str, ...]) -> str:
    """("sessions", 2, "ratings", "dollarizing") -> "session 3, ratings.dollarizing"."""
    parts: list[str] = []
    for step in loc:
        if isinstance(step, int):
            parts[-1] = f"{_ITEM.get(parts[-1], parts[-1])} {step + 1}"
        elif parts and parts[-1] in _KEYED:
            parts[-1] = f"{parts[-1]}.{step}"
        elif step != "[key]":
            parts.append(step)
    return visible(", ".join(parts))


def _problem(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    first = errors[0]
    message = first["msg"].removeprefix("Value error, ")
    value = first.get("input")
    if first["type"] != "missing" and not isinstance(value, dict | list):
        shown = json.dumps(value, ensure_ascii=False)
        message += f" (got {visible(shown if len(shown) <= 40 else shown[:39] + '…')})"
    others = len(errors) - 1
    more = f" (and {counted(others, 'more problem')})" if others else ""
    return f"{_where(first['loc'])}: {message}{more}"
