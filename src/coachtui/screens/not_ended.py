"""The Coach tab's word when no session runs: the sessions not ended (the
app closed or killed before F10, or open in another coachtui), which `c`
resumes, and why one open in another coachtui is not opened here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from coachtui.text import day

if TYPE_CHECKING:
    import datetime as dt

    from coachtui.coaching.records import CoachingSession

NO_SESSION = "No session running. On the Roster or Review, press c to coach the highlighted rep."
LEFT_OPEN_NAMED = 3  # the Coach tab's note at 80x24; History marks every one


def no_session_text(left_open: list[CoachingSession], today: dt.date) -> str:
    """NO_SESSION, and the sessions not ended (the app closed or killed before
    F10, or open in another coachtui), the latest LEFT_OPEN_NAMED first: `c`
    resumes them. The year is said when it is not this one."""
    latest: dict[str, CoachingSession] = {}
    for session in left_open:  # oldest first: a rep's latest is kept
        latest[session.rep] = session
    if not latest:
        return NO_SESSION
    shown = sorted(latest.values(), key=lambda session: session.started_at, reverse=True)

    def named(session: CoachingSession) -> str:
        started = session.started_at
        year = "" if started.year == today.year else f" {started.year}"
        return f"{session.rep}, started {day(started.date())}{year} {started:%H:%M}"

    names = "; ".join(named(session) for session in shown[:LEFT_OPEN_NAMED])
    if len(shown) > LEFT_OPEN_NAMED:
        names += f"; and {len(shown) - LEFT_OPEN_NAMED} more (History, * unfinished)"
    whose = "a rep resumes their session" if len(shown) > 1 else "the rep resumes it"
    return f"{NO_SESSION}\nNot ended yet: {names}. On the Roster, c on {whose}."


class HeldElsewhere(Message, bubble=False):
    """The rep's session is open in another coachtui: not opened here."""

    def __init__(self, rep: str) -> None:
        super().__init__()
        self.rep = rep


class LeftOpen(Message, bubble=False):
    """The sessions not ended of the reps on the roster, for the Coach tab's
    note when none is running."""

    def __init__(self, sessions: list[CoachingSession]) -> None:
        super().__init__()
        self.sessions = sessions
