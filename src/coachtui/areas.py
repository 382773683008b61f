"""The four coaching areas, named as the manager names them."""

from __future__ import annotations

from enum import StrEnum


class FocusArea(StrEnum):
    """The four coaching areas, plus the verdict that there is too little data."""

    TARGETING = "targeting"
    MESSAGING = "messaging"
    DOLLARIZING = "dollarizing"
    MULTI_STAKEHOLDER = "multi_stakeholder"
    INSUFFICIENT_DATA = "insufficient_data"

    @property
    def label(self) -> str:
        return {
            FocusArea.TARGETING: "Targeting",
            FocusArea.MESSAGING: "Messaging",
            FocusArea.DOLLARIZING: "Dollarizing",
            FocusArea.MULTI_STAKEHOLDER: "Multi-stakeholder access",
            FocusArea.INSUFFICIENT_DATA: "Too little data",
        }[self]

    @property
    def short_label(self) -> str:
        """For narrow columns."""
        if self is FocusArea.MULTI_STAKEHOLDER:
            return "Stakeholders"
        if self is FocusArea.INSUFFICIENT_DATA:
            return "(too little)"
        return self.label


# the four coaching areas in the order the manager sees them
COACHING_AREAS = (
    FocusArea.TARGETING,
    FocusArea.MESSAGING,
    FocusArea.DOLLARIZING,
    FocusArea.MULTI_STAKEHOLDER,
)
