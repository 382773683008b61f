"""When polars' allocator (jemalloc) gives freed memory back to the system:
read once, as polars loads, from $_RJEM_MALLOC_CONF (the user's own wins).

At once, by default: the import of a million deals peaked at 632 MiB with
polars' own delays (500 ms, then 1 s), 441 MiB at once; the app holds its
frames for hours. But memory given back is faulted in afresh, page by
page, when polars asks again, and a command that computes the numbers and
exits asks again all the time: impact for a team of 5,000 over a million
deals took 439,000 page faults and 2.4-2.9 s giving back at once; keeping
what it freed for 50 ms, 185,000 and 2.0-2.1 s, its peak 441 -> 462-470
MiB. Those commands keep it for that moment.
"""

from __future__ import annotations

import os
import sys

SETTING = "_RJEM_MALLOC_CONF"
AT_ONCE = "dirty_decay_ms:0,muzzy_decay_ms:0"
AFTER_A_MOMENT = "dirty_decay_ms:50,muzzy_decay_ms:0"


def give_back_at_once() -> None:
    os.environ.setdefault(SETTING, AT_ONCE)


def give_back_after_a_moment() -> None:
    """For a command that computes a report and exits: unless the user set
    their own, and if polars has not loaded yet (it reads the setting then)."""
    ours = os.environ.get(SETTING, "").endswith(AT_ONCE)  # polars' own may come first
    if ours and "polars" not in sys.modules:
        os.environ[SETTING] = AFTER_A_MOMENT
