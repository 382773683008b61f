"""What the commands share: the one-line failure, dates, names, and the team's
numbers read from the database."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from coachtui.paths import database_path
from coachtui.text import day, visible

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    import polars as pl

    from coachtui.review.kept_numbers import KeptNumbers
    from coachtui.review.metrics import DealData, Prepared
    from coachtui.review.team import TeamReview
    from coachtui.settings import Settings
    from coachtui.store import Store

EXIT_USAGE = 2
EXIT_STOPPED = 130  # ctrl+c: `run` then ends the process by SIGINT (the shell says 130)


def fail(message: str) -> int:
    """The one-line refusal, its control characters made visible: a file's
    or a database's name may carry a terminal's escape codes."""
    print(f"coachtui: {visible(message)}", file=sys.stderr)
    return EXIT_USAGE


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


REP, TEAM = "rep named", "team managed by"


def known_as(name: str, known: Iterable[str], what: str = REP) -> str | int:
    """`name` as the CRM spells it, or the exit status of the refusal that
    says there is none, with the closest names. Case and spacing aside is
    enough ("emma  novak" is Emma Novak) when only one name is so alike."""
    known = list(known)
    if name in known:
        return name
    loose = _loosely(name)
    alike = [spelled for spelled in known if _loosely(spelled) == loose]
    if len(alike) == 1:
        return alike[0]
    import difflib  # only to refuse: not loaded at every start

    matches = (
        difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        or [spelled for spelled in known if name.casefold() in spelled.casefold()][:3]
    )
    return fail(f"no {what} {name!r}" + (f"; closest: {', '.join(matches)}" if matches else ""))


def coached_or_known(store: Store, name: str | None) -> str | int | None:
    """`known_as` among the CRM's reps and every rep coached (a rep gone from
    the exports was coached); None when no rep was named."""
    return None if name is None else known_as(name, store.known_reps(coached=True))


def _loosely(name: str) -> str:
    return " ".join(name.casefold().split())


def stored_database(args: argparse.Namespace) -> Path | int:
    """The database a command that only reads is to read, or the exit status
    of a refusal when there is none there: a mistyped `--db` would leave an
    empty database behind and show nothing as if the team had no deals."""
    path = database_path(args.db)
    if os.path.lexists(path):  # a link or a folder: the store says why not
        return path
    where = f" --db {shlex.quote(str(path))}" if args.db else ""
    return fail(f"no database at {path}: import deals first (coachtui import deals FILE{where})")


@dataclass(frozen=True)
class Team:
    """Every deal, the settings, and the window asked for; the team's numbers
    and diagnosis over it when first read: every team's, or only those of
    `reps` (rep, manager; whole teams, from `metrics.teams_of`). Every team's
    numbers, once computed, are kept for the next command (`kept`)."""

    path: Path
    data: DealData
    settings: Settings
    as_of: dt.date
    days: int
    reps: pl.DataFrame | None = None

    @cached_property
    def prepared(self) -> Prepared:
        from coachtui.review.metrics import prepare

        return prepare(self.data, self.settings, self.reps)

    @cached_property
    def kept(self) -> KeptNumbers | None:
        from coachtui.review.kept_numbers import KeptNumbers

        return KeptNumbers.of(self.path, self.data.imported, self.settings)

    @cached_property
    def review(self) -> TeamReview:
        from coachtui.review.team import review_kept_or_computed

        return review_kept_or_computed(
            self.data, self.as_of, self.days, self.settings, self.kept, lambda: self.prepared
        )

    def keep_review(self) -> None:
        """Keep every team's review for the next command, each part computed."""
        if self.reps is None:
            self.review.keep()

    def open_store(self) -> Store:
        from coachtui.store import Store

        return Store.open(self.path)


def read_team(args: argparse.Namespace) -> Team | int:
    """The team as of `--as-of` over `--days`, or the exit status of a failure."""
    from coachtui.review.frames import read_deal_data_for_command
    from coachtui.settings import load_settings
    from coachtui.store import Store, StoreError

    settings, problems = load_settings()
    for problem in problems:
        print(f"coachtui: warning: {problem}", file=sys.stderr)
    days = settings.window_days if args.days is None else args.days
    if days <= 0:
        return fail("--days must be a positive number of days")
    path = stored_database(args)
    if isinstance(path, int):
        return path
    try:
        with Store.open(path) as store:  # checks or migrates it; then read
            deals_imported = store.last_imported("deals")
    except StoreError as exc:
        return fail(str(exc))
    data = read_deal_data_for_command(path)
    as_of = args.as_of or dt.date.today()
    stale = stale_data(deals_imported, as_of)
    if stale:
        print(f"coachtui: warning: {stale}", file=sys.stderr)
    return Team(path, data, settings, as_of, days)


STALE_AFTER_DAYS = 7  # a weekly export; older, the numbers miss a week of the CRM


def stale_data(imported: dt.date | None, as_of: dt.date) -> str | None:
    """What to say when the deals were last imported over STALE_AFTER_DAYS
    before `as_of`: the days since know nothing of deals won, lost or moved."""
    if imported is None or (as_of - imported).days <= STALE_AFTER_DAYS:
        return None
    return (
        f"the deals were last imported on {day(imported)} {imported.year}, "
        f"{(as_of - imported).days} days before {day(as_of)} {as_of.year}: "
        "deals won, lost or moved since are not known (deals open then still "
        "count as open, and as stalling); import a newer export"
    )
