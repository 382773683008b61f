"""Write the bundled sample team to sample_data/ (deterministic: same files every run).

Two managers, twelve reps, two years of deals in a Salesforce-style pipeline,
with stage history (OpportunityHistory) and activities. The reps differ on
purpose so that every coaching area shows up:

- thin top of the funnel (Targeting): few, small new deals;
- busy but converting poorly (Messaging): many activities, weak first step;
- stalling mid-funnel (Dollarizing): long days in the middle stages;
- single-threaded and lost late (Multi-stakeholder access): one contact,
  deals that die at the last open stage;

beside stars and average reps. Dates are written relative to AS_OF; `coachtui
demo` moves them so that AS_OF becomes today.

Run: python scripts/make_sample_data.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

AS_OF = dt.date(2026, 11, 27)
DAYS = 730
OUT = Path(__file__).resolve().parents[1] / "sample_data"

OPEN_STAGES = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Proposal/Price Quote",
    "Negotiation/Review",
)


@dataclass(frozen=True)
class Persona:
    new_per_week: float
    advance: tuple[float, ...]  # chance to move on from each open stage
    days_in_stage: tuple[float, ...]  # mean days spent in each open stage
    amount: float
    contacts: float
    activities_per_week: float


STAR = Persona(4.0, (0.85, 0.9, 0.9, 0.9, 0.85, 0.8), (5, 6, 7, 7, 8, 8), 42_000, 3.5, 22)
AVERAGE = Persona(3.0, (0.75, 0.85, 0.85, 0.85, 0.8, 0.7), (6, 8, 9, 9, 10, 10), 30_000, 2.5, 18)
TARGETING = Persona(1.1, (0.75, 0.85, 0.85, 0.85, 0.8, 0.7), (6, 8, 9, 9, 10, 10), 17_000, 2.5, 9)
MESSAGING = Persona(2.6, (0.35, 0.85, 0.85, 0.85, 0.8, 0.7), (6, 8, 9, 9, 10, 10), 28_000, 2.3, 34)
DOLLARIZING = Persona(
    3.0, (0.78, 0.85, 0.8, 0.8, 0.8, 0.7), (6, 9, 60, 65, 14, 12), 31_000, 2.6, 18
)
MULTI = Persona(3.0, (0.78, 0.85, 0.8, 0.8, 0.7, 0.35), (6, 9, 35, 35, 16, 14), 36_000, 1.0, 18)

TEAMS = {
    "Dana Whitfield": [
        ("Ava Chen", "West", STAR),
        ("Ben Ortiz", "West", AVERAGE),
        ("Chloe Park", "West", TARGETING),
        ("Diego Alvarez", "West", MESSAGING),
        ("Emma Novak", "West", DOLLARIZING),
        ("Farid Haddad", "West", MULTI),
    ],
    "Marcus Reed": [
        ("Grace Liu", "East", STAR),
        ("Hiro Tanaka", "East", AVERAGE),
        ("Isla Murphy", "East", AVERAGE),
        ("Jonah Brooks", "East", TARGETING),
        ("Kemi Adeyemi", "East", DOLLARIZING),
        ("Luca Romano", "East", MULTI),
    ],
}

ACCOUNT_WORDS = [
    "Acme",
    "Borealis",
    "Cedar",
    "Delta",
    "Evergreen",
    "Falcon",
    "Granite",
    "Harbor",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Lumen",
    "Meridian",
    "Northwind",
    "Orchid",
    "Pinnacle",
    "Quarry",
    "Redwood",
    "Summit",
    "Tidewater",
    "Union",
    "Vertex",
    "Willow",
    "Xenon",
    "Yarrow",
    "Zephyr",
]
ACCOUNT_KINDS = ("Logistics", "Health", "Foods", "Robotics", "Energy", "Analytics", "Retail")
PRODUCTS = ("Platform", "Renewal", "Expansion", "Pilot", "Analytics add-on", "Services")
ACTIVITY_TYPES = ("Call", "Call", "Email", "Email", "Email", "Meeting")


def us_date(day: dt.date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def simulate(rng: random.Random) -> tuple[list, list, list, list]:
    reps, deals, history, activities = [], [], [], []
    deal_number = 0
    start = AS_OF - dt.timedelta(days=DAYS)
    for manager, members in TEAMS.items():
        for rep, region, persona in members:
            rep_id = f"005{len(reps) + 1:012d}"
            email = rep.lower().replace(" ", ".") + "@example.com"
            reps.append([rep, rep_id, manager, region, email, round(persona.amount * 40, -3)])
            for offset in range(DAYS):
                day = start + dt.timedelta(days=offset)
                if day.weekday() >= 5:
                    continue
                for _ in range(_poisson(rng, persona.new_per_week / 5)):
                    deal_number += 1
                    deal = _walk_deal(rng, persona, rep, day, deal_number)
                    deals.append(deal[0])
                    history.extend(deal[1])
                for _ in range(_poisson(rng, persona.activities_per_week / 5)):
                    activities.append([rep, us_date(day), rng.choice(ACTIVITY_TYPES), ""])
    return reps, deals, history, activities


def _poisson(rng: random.Random, mean: float) -> int:
    count, threshold, product = 0, pow(2.718281828, -mean), rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def _walk_deal(rng: random.Random, persona: Persona, rep: str, created: dt.date, number: int):
    deal_id = f"006{number:012d}"
    account = f"{rng.choice(ACCOUNT_WORDS)} {rng.choice(ACCOUNT_KINDS)}"
    name = f"{account} - {rng.choice(PRODUCTS)}"
    amount = round(rng.lognormvariate(0, 0.45) * persona.amount, -2)
    contacts = max(1, round(rng.gauss(persona.contacts, 0.8)))
    if persona is MULTI:
        contacts = 1 if rng.random() < 0.85 else 2
    history = [[deal_id, OPEN_STAGES[0], created.isoformat() + "T09:00:00.000Z"]]
    entered, stage, status, closed = created, OPEN_STAGES[0], "open", None
    for index, mean_days in enumerate(persona.days_in_stage):
        leaves = entered + dt.timedelta(days=1 + int(rng.expovariate(1 / mean_days)))
        if leaves > AS_OF:
            break
        if rng.random() >= persona.advance[index]:
            stage, status, closed = "Closed Lost", "lost", leaves
        elif index + 1 == len(OPEN_STAGES):
            stage, status, closed = "Closed Won", "won", leaves
        else:
            stage, entered = OPEN_STAGES[index + 1], leaves
        history.append([deal_id, stage, leaves.isoformat() + "T15:30:00.000Z"])
        if status != "open":
            entered = leaves
            break
    expected_close = closed or max(AS_OF, created) + dt.timedelta(days=rng.randint(10, 75))
    row = [
        deal_id,
        name,
        account,
        rep,
        stage,
        f"{amount:.2f}",
        "USD",
        us_date(created),
        us_date(expected_close),
        us_date(entered),
        contacts,
    ]
    return row, history


def write(folder: Path, name: str, header: list[str], rows: list[list]) -> None:
    with (folder / name).open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)


def main(folder: Path = OUT) -> None:
    rng = random.Random(20261127)
    reps, deals, history, activities = simulate(rng)
    folder.mkdir(exist_ok=True)
    write(folder, "reps.csv", ["Full Name", "User ID", "Manager", "Region", "Email", "Quota"], reps)
    write(
        folder,
        "deals.csv",
        [
            "Opportunity ID",
            "Opportunity Name",
            "Account Name",
            "Opportunity Owner",
            "Stage",
            "Amount",
            "Opportunity Currency",
            "Created Date",
            "Close Date",
            "Last Stage Change Date",
            "Contacts",
        ],
        deals,
    )
    write(folder, "history.csv", ["OpportunityId", "StageName", "CreatedDate"], history)
    write(
        folder,
        "activities.csv",
        ["Assigned To", "Date", "Activity Type", "Opportunity ID"],
        activities,
    )
    (folder / "sample.json").write_text(json.dumps({"as_of": AS_OF.isoformat()}, indent=2) + "\n")
    print(
        f"{len(reps)} reps, {len(deals)} deals, {len(history)} stage changes, "
        f"{len(activities)} activities in {folder}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
