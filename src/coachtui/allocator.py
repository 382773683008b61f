"""When freed memory goes back to the system: numpy's (the C library's
malloc) when told (`give_back_what_numpy_freed`); polars' allocator
(jemalloc) as its setting says, read once, as polars loads, from
$_RJEM_MALLOC_CONF. A setting of the user's own (or one a parent process
had) is left as it is; coachtui marks its own.

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

import contextlib
import os
import sys

SETTING = "_RJEM_MALLOC_CONF"
OURS = "COACHTUI_SET_ALLOCATOR"  # set beside it when coachtui set it, for its children too
AT_ONCE = "dirty_decay_ms:0,muzzy_decay_ms:0"
AFTER_A_MOMENT = "dirty_decay_ms:50,muzzy_decay_ms:0"


def give_back_at_once() -> None:
    if SETTING not in os.environ:
        os.environ[SETTING] = AT_ONCE
        os.environ[OURS] = "1"


def give_back_after_a_moment() -> None:
    """For a command that computes the numbers and exits: if the setting is
    coachtui's (not the user's own, nor one a parent process found), and
    polars has not loaded yet (it reads the setting then)."""
    if os.environ.get(OURS) == "1" and "polars" not in sys.modules:
        os.environ[SETTING] = AFTER_A_MOMENT


def give_back_what_numpy_freed() -> None:
    """numpy allocates through the C library's malloc, which keeps what is
    freed for its own next malloc; polars' allocator cannot use that. The
    windows' running totals (`review.windows`) left ~90 MB so kept before
    impact's tables, each in polars: given back to the system. Only the GNU
    C library has this call; elsewhere nothing is done. (ctypes loads here:
    not before every command's and the app's start.)"""
    import ctypes

    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).malloc_trim(0)
