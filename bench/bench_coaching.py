"""`coachtui brief` for one rep and `coachtui impact` for every rep, over the
million deals across 5,000 reps with 20,000 coaching sessions.

The sessions are generated deterministically and written through coachtui's
own sessions import (`coachtui import sessions FILE`): each rep has a weekly
one-on-one on a weekday of their own, four sessions over the last year, each
on a coaching area, with notes, ratings and a commitment or two (some kept,
some missed, some still open). No peer: the budgets are absolute, 1 s for the
brief and 3 s for impact, whole process, medians of the runs.

Run: python -m bench.bench_coaching [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
from pathlib import Path

from bench.common import COACHTUI, DATA, timed
from bench.make_deals import AS_OF, write_deals

REPS = 5_000
SESSIONS = 20_000
AREAS = ("targeting", "messaging", "dollarizing", "multi_stakeholder")
WEEKS = 52
BRIEF_REP = "Rep 0042"


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
    """The million deals (imported, so their frames are kept) and the sessions."""
    db = DATA / "coaching.db"
    if db.exists():
        return db
    csv_path = DATA / "deals-1m.csv"
    if not csv_path.exists():
        write_deals(csv_path, 1_000_000, REPS)
    partial = DATA / "coaching.partial.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    sessions_file = DATA / "sessions-20k.json"
    sessions_file.write_text(json.dumps(sessions_document()))
    for kind, file in (("deals", csv_path), ("sessions", sessions_file)):
        subprocess.run(
            [*COACHTUI, "import", kind, str(file), "--db", str(partial)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for suffix in ("", "-wal", "-shm"):  # closed: its WAL is folded in
        if Path(f"{partial}{suffix}").exists():
            Path(f"{partial}{suffix}").rename(f"{db}{suffix}")
    subprocess.run(
        [*COACHTUI, "metrics", "--db", str(db), "--format", "csv"],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # a first look at the numbers after the imports: the deals' frames kept
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="one JSON object per figure")
    args = parser.parse_args()
    # the commands keep the deals' frames in the cache folder: the bench's own
    os.environ["XDG_CACHE_HOME"] = str(DATA / "cache")
    db = coaching_database()
    window = ["--db", str(db), "--as-of", AS_OF.isoformat()]
    figures = [
        ("brief one rep", [*COACHTUI, "brief", BRIEF_REP, *window], 1.0),
        ("impact all reps", [*COACHTUI, "impact", *window, "--format", "csv"], 3.0),
    ]
    for name, command, budget in figures:
        ours = statistics.median(timed(command, args.runs))
        if args.json:
            print(
                json.dumps(
                    {
                        "figure": name,
                        "ours": ours,
                        "peer_name": None,
                        "peer": None,
                        "budget": budget,
                        "budget_kind": "seconds",
                    }
                )
            )
        else:
            verdict = "within" if ours <= budget else "OVER"
            print(
                f"{name:<16} coachtui {ours:8.3f}s   (budget {budget:.1f}s, {verdict}; "
                f"median of {args.runs}; {REPS:,} reps, 1M deals, {SESSIONS:,} sessions)"
            )


if __name__ == "__main__":
    main()
