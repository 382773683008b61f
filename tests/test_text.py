"""How counts read in the messages and the evidence."""

from __future__ import annotations

import pytest

from coachtui.text import counted


@pytest.mark.parametrize(
    ("n", "words", "said"),
    [
        (1, ("invalid value",), "1 invalid value"),
        (3, ("invalid value",), "3 invalid values"),
        (0, ("duplicated row",), "0 duplicated rows"),
        (1, ("activity", "activities"), "1 activity"),
        (1200, ("activity", "activities"), "1,200 activities"),
    ],
)
def test_a_count_says_one_thing_or_many(n, words, said):
    assert counted(n, *words) == said
