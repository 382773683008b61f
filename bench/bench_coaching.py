"""`coachtui brief` for one rep and `coachtui impact` for every rep, over the
million deals across 5,000 reps with 20,000 coaching sessions: once as one
team of 5,000 (no reps file), once as 500 teams of 10 (a reps file naming
each rep's manager, as a company's export would).

The sessions are generated deterministically and written through coachtui's
own sessions import (`coachtui import sessions FILE`): each rep has a weekly
one-on-one on a weekday of their own, four sessions over the last year, each
on a coaching area, with notes, ratings and a commitment or two (some kept,
some missed, some still open). No peer: the budgets are absolute, 1 s for the
brief and 3 s for impact, whole process, medians of the runs; and the peak
memory of impact (the highest of its runs, budget 500 MB). A team's numbers
are its reps' medians: one team of 5,000 and 500 teams of 10 are different
work.

Each command runs twice in a row: with no numbers kept, as the first
command after an import (it computes the team's numbers, and keeps them),
then as the next command, which reads the numbers the first kept
(`coachtui.review.kept_numbers`).

Run: python -m bench.bench_coaching [--runs 5] [--json]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
from pathlib import Path

from bench.common import (
    COACHTUI,
    DATA,
    Figure,
    code_version,
    median,
    million_deals,
    print_figures,
    timed_together,
    use_bench_cache,
)
from bench.make_deals import AS_OF
from coachtui.paths import cache_dir
from coachtui.review.kept_numbers import FOLDER
from coachtui.store import remove_database

REPS = 5_000
TEAM_SIZE = 10
SESSIONS = 20_000
AREAS = ("targeting", "messaging", "dollarizing", "multi_stakeholder")
WEEKS = 52
BRIEF_REP = "Rep 0042"
COMPUTED, KEPT = "numbers computed", "numbers kept"


def sessions_document(seed: int = 11) -> dict:
    """SESSIONS sessions, SESSIONS / REPS a rep, oldest first."""
    rng = random.Random(seed)
    sessions = []
    for n in range(SESSIONS):
        rep_number, nth = n % REPS, n // REPS
        weeks_ago = rng.randrange(WEEKS * nth // 4, WEEKS * (nth + 1) // 4)
        day = AS_OF - dt.timedelta(weeks=WEEKS - weeks_ago, days=rep_number % 5)
        started = dt.datetime.combine(day, dt.time(9 + rep_number % 8, 0))
        area = AREAS[(rep_number + nth) % len(AREAS)]
        due = day + dt.timedelta(days=7)
        status = "open" if due > AS_OF else rng.choice(("kept", "missed", "open"))
        commitments = [
            {
                "text": f"Book the economic buyer at Account {rng.randrange(50_000):05d}",
                "owner": "rep",
                "due_date": due.isoformat(),
                "status": status,
                "made_on": day.isoformat(),
            }
        ]
        if rng.random() < 0.5:
            commitments.append(
                {
                    "text": "Send the cost of doing nothing",
                    "owner": "manager",
                    "made_on": day.isoformat(),
                }
            )
        sessions.append(
            {
                "rep": f"Rep {rep_number:04d}",
                "started_at": started.isoformat(),
                "ended_at": (started + dt.timedelta(minutes=30 + rng.randrange(30))).isoformat(),
                "focus_area": area,
                "notes": f"Went through the {area} questions; pipeline review of week {weeks_ago}.",
                "ratings": {area: rng.randrange(1, 6)},
                "commitments": commitments,
            }
        )
    return {"sessions": sessions}


def coaching_database() -> Path:
    """The million deals (imported, so their frames are kept) and the sessions,
    made again when coachtui's code changed (what an import leaves may change).

    A database of its own, not report.db: the sessions would change what the
    other figures measure on that one."""
    use_bench_cache()
    db, stamp = DATA / "coaching.db", DATA / "coaching.code"
    if db.exists() and stamp.exists() and stamp.read_text() == code_version():
        return db
    remove_database(db)
    deals = million_deals()  # first: it makes the data folder on a new clone
    sessions_file = DATA / "sessions-20k.json"
    sessions_file.write_text(json.dumps(sessions_document()))
    for kind, file in (("deals", deals), ("sessions", sessions_file)):
        subprocess.run(
            [*COACHTUI, "import", kind, str(file), "--db", str(db)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    subprocess.run(
        [*COACHTUI, "metrics", "--db", str(db), "--format", "csv"],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # a first look at the numbers after the imports: the deals' frames kept
    stamp.write_text(code_version())
    return db


def teams_database() -> Path:
    """coaching.db with a reps file: 500 managers, 10 reps each."""
    one_team = coaching_database()
    db, stamp = DATA / "coaching-teams.db", DATA / "coaching-teams.code"
    if db.exists() and stamp.exists() and stamp.read_text() == code_version():
        return db
    remove_database(db)
    shutil.copyfile(one_team, db)  # closed: no -wal beside it
    reps = DATA / "reps-500-teams.csv"
    lines = [f"Rep {n:04d},Manager {n // TEAM_SIZE:03d}" for n in range(REPS)]
    reps.write_text("rep,manager\n" + "\n".join(lines) + "\n")
    for command in (["import", "reps", str(reps)], ["metrics", "--format", "csv"]):
        subprocess.run(
            [*COACHTUI, *command, "--db", str(db)], check=True, stdout=subprocess.DEVNULL
        )
    stamp.write_text(code_version())
    return db


def figures(runs: int) -> list[Figure]:
    commands = {}
    for teams, db in (("one team", coaching_database()), ("500 teams", teams_database())):
        window = ["--db", str(db), "--as-of", AS_OF.isoformat()]
        for name, command in (
            (f"brief one rep, {teams}", ["brief", BRIEF_REP, *window]),
            (f"impact all reps, {teams}", ["impact", *window, "--format", "csv"]),
        ):  # the first after an import computes the numbers, the next reads them
            commands[f"{name}, {COMPUTED}"] = commands[f"{name}, {KEPT}"] = [*COACHTUI, *command]
    peaks: dict[str, list[float]] = {}
    times = timed_together(commands, runs, setup=_forget_numbers, peaks=peaks)
    return [
        *(
            Figure(
                name,
                median(times[name]),
                budget=1.0 if "brief" in name else 3.0,
                budget_kind="seconds",
            )
            for name in commands
        ),
        *(
            Figure(f"peak memory: {name}", max(peaks[name]), budget=500, budget_kind="MB")
            for name in commands
            if "impact" in name
        ),
    ]


def _forget_numbers(name: str) -> None:
    """Before a run that computes the numbers, no numbers kept."""
    if name.endswith(COMPUTED):
        shutil.rmtree(cache_dir() / FOLDER, ignore_errors=True)  # the bench's cache


if __name__ == "__main__":
    print_figures(figures, __doc__)
