"""The commands of the coaching loop: `brief` before the call, `commitments`
between calls, `impact` over the weeks."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from coachtui.cli.common import (
    TEAM,
    Team,
    coached_or_known,
    fail,
    known_as,
    parse_date,
    read_team,
    stored_database,
)
from coachtui.text import counted, csv_text, day, strict_json, visible

if TYPE_CHECKING:
    from coachtui.coaching.records import SessionCounts
    from coachtui.review.team import TeamReview


def add_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    brief = command("brief", "the brief before a one-on-one: focus, changes, commitments, deals")
    brief.add_argument("rep", metavar="REP", nargs="?", help="the rep (or --all, --manager)")
    who = brief.add_mutually_exclusive_group()
    who.add_argument("--all", action="store_true", help="every rep, one brief after the other")
    who.add_argument("--manager", metavar="NAME", help="every rep of this manager's team")
    _window(brief)
    brief.add_argument("--format", default="text", choices=("text", "md", "json"))

    impact = command("impact", "coaching impact: the numbers before and after, against the team")
    impact.add_argument("--rep", metavar="NAME", help="only this rep")
    _window(impact)
    impact.add_argument("--format", default="table", choices=("table", "csv", "json"))

    listing = command("commitments", "the team's open commitments, overdue first")
    listing.add_argument("--rep", metavar="NAME", help="only this rep")
    listing.add_argument("--overdue", action="store_true", help="only those past their due date")
    listing.add_argument("--as-of", type=parse_date, metavar="YYYY-MM-DD", help="default: today")
    listing.add_argument("--format", default="table", choices=("table", "csv", "json"))


def _window(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=parse_date, metavar="YYYY-MM-DD", help="default: today")
    parser.add_argument("--days", type=int, metavar="N", help="the window (default: 90)")


def run_brief(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from coachtui.coaching import brief, records
    from coachtui.coaching.impact import ReportCache
    from coachtui.review.metrics import teams_of

    if args.rep is not None and (args.all or args.manager):
        return fail("name one rep, or give --all or --manager NAME: not both")
    if args.rep is None and not (args.all or args.manager):
        return fail("name one rep, or give --all or --manager NAME")
    team = read_team(args)
    if isinstance(team, int):
        return team
    reps = team.data.every_rep
    names = reps.get_column("rep").to_list()
    if args.rep is not None:
        rep = known_as(args.rep, names)
        if isinstance(rep, int):
            return rep
        chosen = [rep]
    elif args.manager is not None:
        manager = known_as(args.manager, {m for m in reps.get_column("manager") if m}, TEAM)
        if isinstance(manager, int):
            return manager
        chosen = [r for r, m in reps.select("rep", "manager").iter_rows() if m == manager]
    else:
        chosen = names
    if not args.all:  # the chosen reps' team: the other teams' numbers are not in it
        team = replace(team, reps=teams_of(reps, chosen))
    reports = ReportCache(team.data, team.settings, lambda: team.prepared, team.kept)
    with team.open_store() as store, ThreadPoolExecutor(1) as other_core:
        # the team's review on the other core while every brief's windows
        # but the review's own are counted here, in one pass (not one a rep)
        reviewed = other_core.submit(_review_for_briefs, team, len(chosen))
        sessions = [s for rep in chosen for s in records.coaching_sessions(store, rep)]
        windows = brief.windows_read(sessions, team.as_of, team.days)
        windows.pop((team.as_of, team.days), None)
        reports.prepare(windows)
        review = reviewed.result()
        reports.knowing(review.report)
        briefs = [
            brief.build_brief(store, team.data, review, rep, team.settings, reports)
            for rep in chosen
        ]
    team.keep_review()
    if args.format == "json":
        documents = [b.as_dict() for b in briefs]
        sys.stdout.write(strict_json(documents[0] if args.rep else {"briefs": documents}))
    else:
        render = brief.as_text if args.format == "text" else brief.as_markdown
        sys.stdout.write(("\n" + "-" * 80 + "\n\n").join(render(b) for b in briefs))
    return 0


def _review_for_briefs(team: Team, briefs: int) -> TeamReview:
    """The team's review with what each brief's focus reads of the team made
    (its benchmarks and step rates), and for several briefs every rep's rows
    at once (looked up, not filtered for, a rep). Made beside the windows:
    one rep's brief in a team of 5,000 took 0.43-0.50 s for both together,
    0.57-0.62 s one after the other (in process, three each)."""
    report = team.review.report
    report.benchmarks, report.team_conversion  # noqa: B018
    if briefs > 1:
        report.every_rep_at_once()
    return team.review


def run_impact(args: argparse.Namespace) -> int:
    from coachtui.coaching import records
    from coachtui.coaching.impact import (
        ReportCache,
        coached_in,
        coaching_impact,
        impact_csv,
        impact_lines,
        impact_table,
    )
    from coachtui.review.metrics import teams_of

    team = read_team(args)
    if isinstance(team, int):
        return team
    with team.open_store() as store:
        rep = coached_or_known(store, args.rep)
        if isinstance(rep, int):
            return rep
        sessions = coached_in(store, rep)
        counts = records.session_counts(store, team.as_of, rep)
    if rep is not None:  # the rep's team alone, when there are others
        team = replace(team, reps=teams_of(team.data.every_rep, [rep]))
    # not the team's review (its window is rarely one that impact reads), and
    # every team's deals are left to the cache, which reads only what it needs
    prepared = (lambda: team.prepared) if team.reps is not None else None
    reports = ReportCache(team.data, team.settings, prepared, team.kept)
    window = (team.as_of, team.days, team.settings, reports)
    if args.format == "csv":
        for rows in impact_csv(impact_table(team.data, sessions, *window)):
            sys.stdout.write(rows)
        return 0
    entries = coaching_impact(team.data, sessions, *window)
    if args.format == "json":
        document = {
            "as_of": team.as_of.isoformat(),
            "days": team.days,
            "impact": [entry.as_dict() for entry in entries],
        }
        sys.stdout.write(strict_json(document))
    else:
        currency = team.review.report.currency
        blocks = [
            "\n".join([entry.rep, *(f"  {line}" for line in impact_lines(entry, currency))])
            for entry in entries
        ]
        text = "\n\n".join(blocks) if blocks else _no_impact(counts, team.as_of, rep)
        sys.stdout.write(visible(text) + "\n")
    return 0


def _no_impact(counts: SessionCounts, as_of: dt.date, rep: str | None) -> str:
    """Why there is no impact to show: no session ended (by `as_of`), or none
    of those that did was on a coaching area (a rep with nothing below the team)."""
    whose = f" with {rep}" if rep else ""
    if not counts.ended:
        return f"no coaching session{whose} has ended yet"
    if not counts.ended_by:
        return f"no coaching session{whose} ended by {day(as_of)}"
    return (
        f"{counted(counts.ended_by, 'session')}{whose} ended by {day(as_of)}, none on a coaching "
        "area: impact follows the numbers of the area a session works on (chosen in it)"
    )


COMMITMENT_COLUMNS = ("rep", "text", "owner", "due_date", "overdue", "made_on")


def run_commitments(args: argparse.Namespace) -> int:
    from coachtui.coaching import records
    from coachtui.store import Store, StoreError

    today = args.as_of or dt.date.today()
    path = stored_database(args)
    if isinstance(path, int):
        return path
    try:
        with Store.open(path) as store:
            rep = coached_or_known(store, args.rep)
            if isinstance(rep, int):
                return rep
            listed = records.open_commitments(store, rep)
    except StoreError as exc:
        return fail(str(exc))
    shown = records.overdue_first(
        (c for c in listed if c.overdue(today) or not args.overdue), today
    )
    rows = [
        {
            "rep": c.rep,
            "text": c.text,
            "owner": c.owner,
            "due_date": c.due_date.isoformat() if c.due_date else None,
            "overdue": c.overdue(today),
            "made_on": c.made_on.isoformat() if c.made_on else None,
        }
        for c in shown
    ]
    if args.format == "json":
        sys.stdout.write(strict_json({"as_of": today.isoformat(), "commitments": rows}))
    elif args.format == "csv":
        sys.stdout.write(
            csv_text(COMMITMENT_COLUMNS, ([row[k] for k in COMMITMENT_COLUMNS] for row in rows))
        )
    else:
        lines = [
            f"{'OVERDUE ' if c.overdue(today) else ''}{c.rep}: {c.text} ({c.owner}"
            f"{', due ' + day(c.due_date) if c.due_date else ''})"
            for c in shown
        ]
        sys.stdout.write(visible("\n".join(lines)) + "\n" if lines else "no open commitments\n")
    return 0
