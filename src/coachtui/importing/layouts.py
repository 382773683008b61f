"""The CRM export layouts coachtui recognises, and their default pipelines.

A layout only changes two things: the name printed with the mapping, and the
stage order used for conversion (the CRM's default pipeline, before stages
the file adds in order of first appearance). Column matching itself is the
same synonym lookup for every layout.
"""

from __future__ import annotations

from coachtui.importing.fields import normalize

LAYOUTS = ("auto", "salesforce", "hubspot", "pipedrive", "generic")

DEFAULT_PIPELINES: dict[str, tuple[str, ...]] = {
    "salesforce": (
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Id. Decision Makers",
        "Perception Analysis",
        "Proposal/Price Quote",
        "Negotiation/Review",
        "Closed Won",
        "Closed Lost",
    ),
    "hubspot": (
        "Appointment Scheduled",
        "Qualified To Buy",
        "Presentation Scheduled",
        "Decision Maker Bought-In",
        "Contract Sent",
        "Closed Won",
        "Closed Lost",
    ),
    "pipedrive": (
        "Qualified",
        "Contact Made",
        "Demo Scheduled",
        "Proposal Made",
        "Negotiations Started",
    ),
    "generic": (),
}

_SALESFORCE_API = {"stage name", "owner id", "is won", "is closed", "opportunity id"}
_SALESFORCE_LABELS = {"opportunity name", "opportunity owner", "opportunity id", "account name"}
_HUBSPOT = {"record id", "deal stage", "deal owner", "deal name", "pipeline", "create date"}


def detect_layout(columns: list[str]) -> str:
    """Which CRM wrote this header: salesforce, hubspot, pipedrive or generic."""
    names = {normalize(column) for column in columns}
    if sum(column.strip().startswith("Deal - ") for column in columns) >= 2:
        return "pipedrive"
    if len(names & _SALESFORCE_API) >= 2 or len(names & _SALESFORCE_LABELS) >= 2:
        return "salesforce"
    if len(names & _HUBSPOT) >= 3:
        return "hubspot"
    return "generic"


def stage_rank(layout: str, stage: str) -> int | None:
    """Where `stage` stands in the layout's default pipeline, if it is there."""
    wanted = stage.strip().casefold()
    for rank, known in enumerate(DEFAULT_PIPELINES.get(layout, ())):
        if known.casefold() == wanted:
            return rank
    return None
