"""A rep or a manager named on the command line: as the CRM spells it, or
case and spacing aside when only one name is so alike; a name no one has is
refused (exit 2, the closest names said) by every command that takes one,
where some listed nothing and said nothing."""

from __future__ import annotations

import pytest

from coachtui.cli import main
from coachtui.cli.common import TEAM, known_as
from coachtui.coaching import commitments
from coachtui.coaching import sessions as coaching
from coachtui.store import Store
from tests.conftest import TODAY

AS_OF = ["--as-of", TODAY.isoformat()]


def test_a_name_is_known_as_the_crm_spells_it_case_and_spacing_aside():
    known = ["Emma Novak", "Ann Lee", "ann lee", "Bob"]
    assert known_as("Emma Novak", known) == "Emma Novak"
    assert known_as("emma  NOVAK ", known) == "Emma Novak"
    assert known_as("ann lee", known) == "ann lee"  # exactly so: one of the two


def test_a_name_two_reps_share_but_for_case_is_refused_with_both(capsys):
    assert known_as("ANN LEE", ["Ann Lee", "ann lee", "Bob"]) == 2
    refusal = "coachtui: no rep named 'ANN LEE'; closest: Ann Lee, ann lee\n"
    assert capsys.readouterr().err == refusal
    assert known_as("Nobody", ["Emma Novak"], TEAM) == 2
    assert capsys.readouterr().err == "coachtui: no team managed by 'Nobody'\n"


@pytest.mark.parametrize(
    "command",
    [
        ["brief", "emma novak"],
        ["brief", "--manager", "DANA WHITFIELD"],
        ["metrics", "--rep", "Emma  Novak", "--format", "csv"],
        ["metrics", "--manager", "dana whitfield", "--format", "csv"],
        ["impact", "--rep", "emma novak"],
        ["commitments", "--rep", "emma novak"],
        ["export", "sessions", "--rep", "emma novak", "--format", "csv"],
    ],
)
def test_every_command_takes_a_name_in_other_case(demo_db, capsys, command):
    with Store.open(demo_db) as store:
        session = coaching.start_or_resume(store, "Emma Novak", None)
        commitments.add_commitment(store, session.id, "Emma Novak", "Map the buying group")
    dated = AS_OF if command[0] in ("brief", "metrics", "impact") else []
    assert main([*command, "--db", str(demo_db), *dated]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert "Emma Novak" in out.out


@pytest.mark.parametrize(
    "command, refusal",
    [
        (["commitments", "--rep", "Emma Nowak"], "no rep named 'Emma Nowak'; closest: Emma Novak"),
        (["export", "sessions", "--rep", "Nobody"], "no rep named 'Nobody'"),
        (["--manager", "Dana"], "no team managed by 'Dana'; closest: Dana Whitfield"),
        (["coach", "Ema Novak"], "no rep named 'Ema Novak'; closest: Emma Novak"),
    ],
)
def test_a_name_no_one_has_is_refused(demo_db, capsys, command, refusal):
    assert main([*command, "--db", str(demo_db)]) == 2
    assert capsys.readouterr().err == f"coachtui: {refusal}\n"
