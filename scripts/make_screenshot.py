"""Save the README screenshot (docs/roster.svg) from the app itself, on the demo team.

Run: python scripts/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from coachtui.app import CoachApp
from coachtui.importing.sample import build_demo_database

OUT = Path(__file__).resolve().parents[1] / "docs"


async def main() -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        build_demo_database(Path(folder) / "demo.db") as store,
    ):
        app = CoachApp(store)
        async with app.run_test(size=(100, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.save_screenshot("roster.svg", path=str(OUT))


if __name__ == "__main__":
    asyncio.run(main())
