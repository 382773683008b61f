"""Write a deterministic export of N deals across R reps in the generic layout.

Run: python bench/make_deals.py [--deals 1000000] [--reps 5000] [OUT.csv]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Won", "Lost")
AS_OF = dt.date(2026, 11, 27)


def write_deals(path: Path, deals: int, reps: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "deal_id",
                "rep",
                "account",
                "stage",
                "amount",
                "created_date",
                "close_date",
                "contacts",
            ]
        )
        for number in range(deals):
            created = AS_OF - dt.timedelta(days=rng.randrange(730))
            stage = rng.choice(STAGES)
            closed = created + dt.timedelta(days=rng.randrange(1, 120))
            out.writerow(
                [
                    f"D{number:07d}",
                    f"Rep {rng.randrange(reps):04d}",
                    f"Account {rng.randrange(50_000):05d}",
                    stage,
                    f"{rng.randrange(1_000, 200_000)}.00",
                    created.isoformat(),
                    closed.isoformat(),
                    rng.randrange(1, 6),
                ]
            )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", type=Path, default=Path("bench/data/deals-1m.csv"))
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=5_000)
    args = parser.parse_args()
    print(write_deals(args.out, args.deals, args.reps))


if __name__ == "__main__":
    main()
