"""Where a commitment stands: the statuses, and those still owed."""

from __future__ import annotations

from enum import StrEnum


class CommitmentStatus(StrEnum):
    """Where a commitment stands; `space` on the Coach tab steps through them in this order."""

    OPEN = "open"
    KEPT = "kept"
    MISSED = "missed"
    CARRIED = "carried"

    @property
    def following(self) -> CommitmentStatus:
        statuses = list(CommitmentStatus)
        return statuses[(statuses.index(self) + 1) % len(statuses)]


# neither kept nor missed: a commitment carried in a session is open again
# once that session ends
STILL_OPEN = (CommitmentStatus.OPEN, CommitmentStatus.CARRIED)
# the SQL condition on a commitment's status for them, and its parameters
STILL_OPEN_WHERE = f"status IN ({', '.join('?' for _ in STILL_OPEN)})"
STILL_OPEN_VALUES = tuple(status.value for status in STILL_OPEN)
