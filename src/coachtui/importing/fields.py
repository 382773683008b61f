"""What each kind of import holds, and how CRM exports name those fields.

Column names are compared after `normalize`: camelCase split, lower case,
punctuation folded to single spaces, so "Deal - Owner", "deal_owner" and
"DealOwner" all read as "deal owner".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(column: str) -> str:
    """The comparable form of a column name."""
    spaced = _CAMEL.sub(" ", column.strip().lstrip("\ufeff"))
    return _NON_WORD.sub(" ", spaced.lower()).strip()


@dataclass(frozen=True)
class Kind:
    """One kind of import: its fields, which are required, and their synonyms."""

    name: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    synonyms: dict[str, tuple[str, ...]]
    # fields read only to derive others (status columns, Pipedrive's won/lost times)
    helpers: tuple[str, ...] = ()

    def match(self, columns: list[str], explicit: dict[str, str]) -> dict[str, str]:
        """field -> the column of `columns` that holds it.

        `explicit` (from `--map FIELD=COLUMN`) wins; otherwise a column named
        like the field comes first, then the synonyms in the order listed.
        """
        by_name = {normalize(column): column for column in reversed(columns)}
        mapping = dict(explicit)
        taken = set(explicit.values())
        for field in (*self.fields, *self.helpers):
            if field in mapping:
                continue
            for name in (field, *self.synonyms.get(field, ())):
                column = by_name.get(normalize(name))
                if column is not None and column not in taken:
                    mapping[field] = column
                    taken.add(column)
                    break
        return mapping


_REP_SYNONYMS = (
    "owner",
    "owner name",
    "opportunity owner",
    "deal owner",
    "sales agent",
    "salesperson",
    "sales person",
    "sales rep",
    "sales representative",
    "account owner",
    "assigned to",
    "assigned",
    "user",
    "owner id",
    "deal owner name",
    "rep name",
    "seller",
    "account executive",
)

DEALS = Kind(
    name="deals",
    fields=(
        "deal_id",
        "rep",
        "account",
        "name",
        "stage",
        "amount",
        "currency",
        "created_date",
        "close_date",
        "stage_entered_date",
        "contacts",
    ),
    required=("rep", "stage"),
    helpers=("status", "is_closed", "is_won", "won_time", "lost_time", "stage_order"),
    synonyms={
        "deal_id": (
            "id",
            "deal id",
            "opportunity id",
            "opportunity 18 digit id",
            "record id",
            "opportunity",
            "deal number",
        ),
        "rep": _REP_SYNONYMS,
        "account": (
            "account name",
            "company",
            "company name",
            "organization",
            "deal organization",
            "organization name",
            "associated company",
            "customer",
            "client",
            "account id",
        ),
        "name": ("opportunity name", "deal name", "deal title", "title"),
        "stage": ("stage name", "deal stage", "sales stage", "pipeline stage", "opportunity stage"),
        "amount": (
            "value",
            "deal value",
            "close value",
            "opportunity amount",
            "total amount",
            "amount in company currency",
            "revenue",
            "deal amount",
        ),
        "currency": (
            "currency iso code",
            "deal currency",
            "currency of value",
            "deal currency of value",
            "amount currency",
            "opportunity currency",
            "currency code",
        ),
        "created_date": (
            "created",
            "created on",
            "create date",
            "created date",
            "creation date",
            "deal creation date",
            "engage date",
            "date created",
            "open date",
            "add time",
            "deal add time",
            "deal created",
            "deal deal created",  # Pipedrive: "Deal - Deal created"
        ),
        "close_date": (
            "close date",
            "closed date",
            "closed on",
            "expected close date",
            "deal expected close date",
            "close time",
            "date closed",
        ),
        "stage_entered_date": (
            "stage entered",
            "stage entered date",
            "last stage change date",
            "stage change date",
            "last stage change",
            "deal last stage change",
            "date entered current stage",
            "stage date",
        ),
        "contacts": (
            "contact count",
            "number of contacts",
            "contacts count",
            "number of associated contacts",
            "associated contacts",
            "stakeholders",
            "deal people count",
        ),
        "status": ("deal status", "state", "outcome"),
        "is_closed": ("closed",),
        "is_won": ("won",),
        "won_time": ("deal won time", "won date", "won on"),
        "lost_time": ("deal lost time", "lost date", "lost on"),
        "stage_order": ("stage sort order", "sort order", "stage position"),
    },
)

REPS = Kind(
    name="reps",
    fields=("rep", "rep_id", "manager", "region", "email", "quota"),
    required=("rep",),
    synonyms={
        "rep": (
            "name",
            "full name",
            "user name",
            "sales agent",
            "salesperson",
            "sales person",
            "sales rep",
            "owner",
            "owner name",
            "rep name",
            "user",
        ),
        "rep_id": ("id", "user id", "owner id", "rep id", "employee id"),
        "manager": ("manager name", "manager id", "reports to", "team lead", "sales manager"),
        "region": ("regional office", "territory", "office", "team", "location"),
        "email": ("e mail", "email address", "work email"),
        "quota": ("annual quota", "target", "quota amount"),
    },
)

HISTORY = Kind(
    name="history",
    fields=("deal_id", "stage", "entered_at"),
    required=("deal_id", "stage", "entered_at"),
    synonyms={
        "deal_id": (
            "opportunity id",
            "deal id",
            "record id",
            "id",
            "opportunity",
            "deal - id",
        ),
        "stage": ("stage name", "to stage", "new stage", "deal stage", "new value"),
        "entered_at": (
            "created date",
            "entered",
            "entered on",
            "changed at",
            "change date",
            "date",
            "stage entered",
            "stage entered date",
            "edit date",
            "created",
            "timestamp",
        ),
    },
)

ACTIVITIES = Kind(
    name="activities",
    fields=("rep", "date", "type", "deal_id"),
    required=("rep", "date"),
    helpers=("activity_id",),
    synonyms={
        "rep": _REP_SYNONYMS,
        "date": (
            "activity date",
            "due date",
            "created date",
            "date completed",
            "completed on",
            "done time",
            "start date",
            "created",
        ),
        "type": ("activity type", "task subtype", "subtype", "kind", "channel", "event type"),
        "deal_id": (
            "opportunity id",
            "related to id",
            "what id",
            "deal",
            "record id",
            "opportunity",
        ),
        "activity_id": ("id", "activity id", "task id", "event id"),
    },
)

KINDS = {kind.name: kind for kind in (DEALS, REPS, HISTORY, ACTIVITIES)}
