"""`coachtui import sessions FILE`: the JSON export read back. Exports are
compared as parsed JSON with each session's `id` (the row id of the database
it came from) left out; everything else must be equal."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from coachtui.areas import FocusArea
from coachtui.coaching import commitments, deal_work
from coachtui.coaching import sessions as coaching
from coachtui.coaching.playbook import shipped
from coachtui.coaching.sessions_file import SessionsRefused, read_sessions_file
from coachtui.store import Store
from tests.command_line import coachtui_here
from tests.conftest import dump, rows
from tests.test_export import coach_ava_and_ben

RETIRED_QUESTION = "dollarizing.old-roi-template"


def coach_richly(store: Store) -> Store:
    """Ava's two sessions and Ben's first (see test_export), then Ben's second,
    which reviews his first: in all, a question the playbook no longer has,
    ratings, commitments kept, missed, carried and open, and deals with their cost of
    inaction, answers to the value questions, buying influences and what was learned."""
    coach_ava_and_ben(store)
    ((ava_first,),) = rows(store, "SELECT MIN(id) FROM coaching_sessions WHERE rep LIKE 'Ava%'")
    ((ben_first,),) = rows(store, "SELECT id FROM coaching_sessions WHERE rep = 'Ben'")
    coaching.save_question(store, ava_first, RETIRED_QUESTION, text="Budget owner unclear")
    legal = commitments.add_commitment(
        store, ben_first, "Ben", "Call Acme legal", due=dt.date(2026, 11, 24)
    )
    demo = commitments.add_commitment(store, ben_first, "Ben", "Book the onsite demo")
    ben = coaching.start_or_resume(store, "Ben", FocusArea.TARGETING)
    commitments.review_commitment(store, legal.id, "missed", ben.id)
    commitments.review_commitment(store, demo.id, "carried", ben.id)  # open again at the end
    coaching.save_notes(store, ben.id, "Pilot stuck in procurement\nLegal has not called back")
    coaching.save_question(store, ben.id, "targeting.trigger", text="new CIO in May", asked=True)
    coaching.rate(store, ben.id, FocusArea.TARGETING, 3)
    coaching.rate(store, ben.id, FocusArea.MESSAGING, 5)
    commitments.add_commitment(
        store, ben.id, "Ben", "Draft the pilot plan", owner="manager", due=dt.date(2026, 12, 2)
    )
    deal_work.discuss_deal(store, ben.id, "B1")
    deal_work.save_deal_value(
        store, "B1", 4, 5, 80, {"measure": "days to close the books", "target": "5 days"}
    )
    deal_work.save_influence(store, "B1", "technical", "Kim Park", True, "neutral")
    deal_work.save_influence(store, "B1", "economic", "", False, "opposed")
    deal_work.save_deal_notes(store, ben.id, "B1", "security review blocks the pilot")
    coaching.end_session(store, ben.id)
    store.conn.execute(  # 40 minutes from start to end, 5 of them paused: 35 minutes long
        "UPDATE coaching_sessions SET started_at = '2026-11-25T10:00:00', "
        "ended_at = '2026-11-25T10:40:00', updated_at = '2026-11-25T10:40:00', "
        "paused_seconds = 300 WHERE id = ?",
        (ben.id,),
    )
    store.conn.execute(
        "UPDATE commitments SET created_at = (SELECT started_at FROM coaching_sessions s "
        "WHERE s.id = session_id), marked_at = CASE id WHEN ? THEN '2026-11-25T10:05:00' "
        "ELSE marked_at END WHERE rep = 'Ben'",
        (legal.id,),
    )
    return store


@pytest.fixture
def rich(store):
    return coach_richly(store)


def exported(db) -> dict:
    out = coachtui_here("export", "sessions", "--db", str(db), "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def without_ids(data: dict) -> list[dict]:
    return [{k: v for k, v in session.items() if k != "id"} for session in data["sessions"]]


def import_sessions(file, db, *options: str):
    return coachtui_here("import", "sessions", str(file), "--db", str(db), *options)


@pytest.fixture
def export_file(rich, tmp_path):
    """The rich sessions as `coachtui export sessions --format json` writes them."""
    path = tmp_path / "sessions.json"
    path.write_text(json.dumps(exported(rich.path)), encoding="utf-8")
    return path


def test_the_fixture_holds_what_a_round_trip_must_carry(export_file):
    sessions = json.loads(export_file.read_text())["sessions"]
    assert [(s["rep"], s["started_at"][:10]) for s in sessions] == [
        ("Ben", "2026-11-18"),
        ("Ava [bold]Chen[/]", "2026-11-20"),
        ("Ben", "2026-11-25"),
        ("Ava [bold]Chen[/]", "2026-11-27"),
    ]
    assert sessions[1]["checklist"][-1] == {
        "area": "",
        "question": RETIRED_QUESTION,
        "asked": False,
        "notes": "Budget owner unclear",
    }
    assert sessions[2]["reviewed_commitments"] == [
        {"text": "Call Acme legal", "status": "missed"},
        {"text": "Book the onsite demo", "status": "carried"},
    ]
    assert (sessions[2]["ended_at"], sessions[2]["minutes"]) == ("2026-11-25T10:40:00", 35)
    assert sessions[3]["reviewed_commitments"] == [{"text": "Book the CFO", "status": "kept"}]
    assert [i["role"] for i in sessions[2]["deals"][0]["influences"]] == ["economic", "technical"]
    assert sessions[2]["deals"][0]["value_answers"] == {
        "measure": "days to close the books",
        "target": "5 days",
    }


def test_an_export_imported_into_a_new_database_exports_the_same(export_file, tmp_path):
    new_db = tmp_path / "laptop" / "coachtui.db"
    new_db.parent.mkdir(mode=0o700)
    out = import_sessions(export_file, new_db)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert out.stdout == f"imported 4 sessions from {export_file}: 4 new, 0 already there\n"
    assert without_ids(exported(new_db)) == without_ids(json.loads(export_file.read_text()))


def test_importing_twice_adds_nothing_the_second_time(export_file, tmp_path):
    new_db = tmp_path / "coachtui.db"
    import_sessions(export_file, new_db)
    with Store.open(new_db) as store:
        before = dump(store)
    out = import_sessions(export_file, new_db)
    assert out.stdout == f"imported 4 sessions from {export_file}: 0 new, 4 already there\n"
    with Store.open(new_db) as store:
        assert dump(store) == before


def test_importing_into_the_database_it_came_from_changes_nothing(rich, export_file):
    before = dump(rich)
    out = import_sessions(export_file, rich.path)
    assert out.stdout.endswith(": 0 new, 4 already there\n")
    assert dump(rich) == before


def test_a_later_session_finds_the_commitments_it_reviewed_among_those_already_there(
    export_file, tmp_path
):
    """Sessions moved in two goes: Ava's second session reviews the commitment
    of her first, which the first import brought."""
    data = json.loads(export_file.read_text())
    first_go = tmp_path / "first.json"
    first_go.write_text(json.dumps({"sessions": data["sessions"][:2]}))
    new_db = tmp_path / "coachtui.db"
    import_sessions(first_go, new_db)
    out = import_sessions(export_file, new_db)
    assert out.stdout.endswith(": 2 new, 2 already there\n"), out.stderr
    assert out.stderr == ""
    assert without_ids(exported(new_db)) == without_ids(data)


def test_a_review_whose_commitment_is_not_there_is_left_out_with_a_warning(export_file, tmp_path):
    data = json.loads(export_file.read_text())
    alone = tmp_path / "alone.json"
    alone.write_text(json.dumps({"sessions": data["sessions"][3:]}))
    new_db = tmp_path / "coachtui.db"
    out = import_sessions(alone, new_db)
    assert out.returncode == 0
    assert out.stderr == (
        "coachtui: warning: session 1: 'Book the CFO' is not among the earlier commitments "
        "of Ava [bold]Chen[/], so its review (kept) was left out\n"
    )
    (session,) = without_ids(exported(new_db))
    expected = {k: v for k, v in data["sessions"][3].items() if k != "id"}
    assert session == {**expected, "reviewed_commitments": []}


def test_a_second_unfinished_session_for_a_rep_is_said(export_file, tmp_path):
    new_db = tmp_path / "coachtui.db"
    with Store.open(new_db) as store:
        coaching.start_or_resume(store, "Ava [bold]Chen[/]", None)
    out = import_sessions(export_file, new_db)
    assert out.returncode == 0
    assert out.stderr == (
        "coachtui: warning: session 4: Ava [bold]Chen[/] has more than one unfinished session "
        "now; coaching resumes the latest\n"
    )


def test_a_deal_keeps_the_cost_answers_and_buyers_the_database_already_has(export_file, tmp_path):
    new_db = tmp_path / "coachtui.db"
    with Store.open(new_db) as store:
        deal_work.save_deal_value(store, "B1", 1, 1, 100, {"measure": "tickets", "now": ""})
        deal_work.save_influence(store, "B1", "economic", "Ola", True, "supportive")
    out = import_sessions(export_file, new_db)
    assert out.returncode == 0
    assert out.stderr == (
        "coachtui: warning: session 3, deal B1: the database already had its cost of "
        "inaction, answers to the value questions, economic buyer, and keeps what it had\n"
    )
    (deal,) = exported(new_db)["sessions"][2]["deals"]
    assert deal["cost_of_inaction_year"] == 5200
    assert deal["value_answers"] == {"measure": "tickets"}
    assert deal["influences"][0] == {
        "role": "economic",
        "who": "Ola",
        "met": True,
        "stance": "supportive",
    }
    assert deal["influences"][1]["who"] == "Kim Park"


def test_a_dry_run_checks_and_counts_but_writes_nothing(export_file, tmp_path):
    new_db = tmp_path / "coachtui.db"
    out = import_sessions(export_file, new_db, "--dry-run")
    assert out.stdout.startswith("checked (dry run, nothing written) 4 sessions from ")
    assert not new_db.exists()  # not even an empty one
    rich_db = tmp_path / "rich.db"
    import_sessions(export_file, rich_db)
    before = exported(rich_db)
    assert import_sessions(export_file, rich_db, "--dry-run").returncode == 0
    assert exported(rich_db) == before


def test_a_file_written_by_hand_needs_only_the_rep_and_the_start(tmp_path):
    """Past one-on-ones from elsewhere: what is left out takes its default, a
    time zone is dropped (no conversion), a yearly cost gives the monthly one,
    and a value answer is kept on one line, as the deal dialog's boxes have it."""
    hand = tmp_path / "past.json"
    session = {
        "rep": "Ava",
        "started_at": "2026-10-01T09:00:00Z",
        "ended_at": "2026-10-01T09:30:00Z",
        "deals": [
            {
                "deal_id": "D1",
                "cost_of_inaction_year": 24000,
                "value_answers": {"now": "12 days\n- [x] to close", "target": " "},
            }
        ],
        "commitments": [{"text": "Send the deck"}],
    }
    unfinished = {"rep": "Ben", "started_at": "2026-10-02T09:00:00", "minutes": None}
    hand.write_text(json.dumps({"sessions": [session, unfinished]}))
    new_db = tmp_path / "coachtui.db"
    assert import_sessions(hand, new_db).returncode == 0
    back, ben = without_ids(exported(new_db))
    assert (ben["minutes"], ben["finished"], ben["ended_at"]) == (None, False, None)
    assert back["started_at"] == "2026-10-01T09:00:00"
    assert (back["minutes"], back["finished"], back["focus_area"], back["ratings"]) == (
        30,
        True,
        None,
        {},
    )
    assert back["commitments"] == [
        {
            "text": "Send the deck",
            "owner": "rep",
            "due_date": None,
            "status": "open",
            "made_on": "2026-10-01",
            "marked_on": None,
        }
    ]
    deal = back["deals"][0]
    assert (deal["cost_of_inaction_month"], deal["cost_of_inaction_year"]) == (2000, 24000)
    assert deal["value_answers"] == {"now": "12 days - [x] to close"}


# -- refused files ----------------------------------------------------------


def _spoiled(export_file, spoil) -> str:
    data = json.loads(export_file.read_text())
    spoil(data["sessions"])
    return json.dumps(data, indent=2)


def _set(place: int, *path_and_value):
    """A change to session `place` (1-based): set the value at the path."""
    *path, key, value = path_and_value

    def spoil(sessions):
        target = sessions[place - 1]
        for step in path:
            target = target[step]
        target[key] = value

    return spoil


def _drop(place: int, key: str):
    return lambda sessions: sessions[place - 1].pop(key)


REFUSALS = [
    (_set(2, "focus_area", "closing"), "session 2, focus_area: Input should be 'targeting'"),
    (
        _set(3, "ratings", "targeting", 7),
        "session 3, ratings.targeting: Input should be less than or equal to 5 (got 7)",
    ),
    (_set(3, "ratings", "closing", 3), "session 3, ratings.closing: Input should be 'targeting'"),
    (
        _set(2, "started_at", "20/11/2026 09:00"),
        "session 2, started_at: Input should be a valid datetime",
    ),
    (
        _set(2, "commitments", 0, "due_date", "2026-11-31"),
        "session 2, commitment 1, due_date: Input should be a valid date",
    ),
    (
        _set(2, "commitments", 1, "status", "done"),
        "session 2, commitment 2, status: Input should be 'open', 'kept', 'missed' or "
        "'carried' (got \"done\")",
    ),
    (_drop(3, "rep"), "session 3, rep: Field required"),
    (_set(3, "rep", "  "), 'session 3, rep: is blank (got "  ")'),
    (
        _set(2, "checklist", 0, "area", "closing"),
        "session 2, checklist item 1, area: Input should be '', 'targeting'",
    ),
    (
        _set(2, "checklist", 0, "question", "Why?"),
        "session 2, checklist item 1, question: not one of the Dollarizing questions",
    ),
    (_set(3, "ended_at", "2026-11-25T09:00:00"), "session 3, ended_at: is before started_at"),
    (
        _set(3, "minutes", 45),
        "session 3, minutes: more than the 40 minutes from started_at to ended_at (got 45)",
    ),
    (
        _set(4, "finished", True),
        "session 4, finished: a session is finished when it has an ended_at",
    ),
    (
        _set(3, "deals", 0, "influences", 0, "stance", "hostile"),
        "session 3, deal 1, influence 1, stance: Input should be 'unknown'",
    ),
    (
        _set(3, "deals", 0, "value_answers", "mood", "tired"),
        "session 3, deal 1, value_answers.mood: Input should be 'measure', 'now',",
    ),
    (
        _set(3, "deals", 0, "cost_of_inaction_year", 1.0),
        "session 3, deal 1, cost_of_inaction_year: a year is 12 months",
    ),
    (
        _set(4, "reviewed_commitments", 0, "status", "open"),
        "session 4, reviewed commitment 1, status: Input should be 'kept', 'missed' or 'carried'",
    ),
    (_set(3, "ratings", "\x1b[2J", 3), "session 3, ratings.^[[2J: Input should be"),
    (_set(1, "mood", "tired"), 'session 1, mood: Extra inputs are not permitted (got "tired");'),
    (
        lambda sessions: sessions[0].update(rep="", mood=1),
        'session 1, rep: is blank (got "") (and 1 more problem);',
    ),
    (
        lambda sessions: sessions.append(sessions[1]),
        "session 5, started_at: the same rep and start as session 2",
    ),
]


@pytest.mark.parametrize(("spoil", "problem"), REFUSALS)
def test_a_bad_session_is_refused_naming_its_place_and_field(export_file, spoil, problem):
    export_file.write_text(_spoiled(export_file, spoil))
    with pytest.raises(SessionsRefused) as refused:
        read_sessions_file(export_file, shipped())
    assert str(refused.value).startswith(f"cannot import {export_file}: {problem}")
    assert str(refused.value).endswith("; nothing was changed")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            '{"sessions": [\n  {"rep": "Ava",}\n]}',
            "not valid JSON: line 2, column 17: Expecting property name",
        ),
        ("[]", 'not a sessions file: it should be an object with a "sessions" list'),
        ('{"reps": []}', 'not a sessions file: it should be an object with a "sessions" list'),
        ("", "not valid JSON: line 1, column 1: Expecting value"),
    ],
)
def test_a_file_that_is_not_a_sessions_file_is_refused(tmp_path, content, problem):
    path = tmp_path / "sessions.json"
    path.write_text(content)
    with pytest.raises(SessionsRefused, match=f"^cannot import {path}: {problem}"):
        read_sessions_file(path, shipped())


def test_a_refused_file_changes_nothing_and_says_why_in_one_line(rich, export_file, tmp_path):
    export_file.write_text(_spoiled(export_file, _set(3, "ratings", "targeting", 7)))
    other_db = tmp_path / "other.db"
    shutil.copy(rich.path, other_db)  # a database that has sessions, and lacks none of them
    with Store.open(other_db) as store:
        bens = "(SELECT id FROM coaching_sessions WHERE rep = 'Ben')"
        for table in ("question_notes", "ratings", "commitments", "session_deals"):
            store.conn.execute(f"DELETE FROM {table} WHERE session_id IN {bens}")
        store.conn.execute("DELETE FROM coaching_sessions WHERE rep = 'Ben'")
        before = dump(store)
    out = import_sessions(export_file, other_db)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr == (
        f"coachtui: cannot import {export_file}: session 3, ratings.targeting: Input should be "
        "less than or equal to 5 (got 7); nothing was changed\n"
    )
    with Store.open(other_db) as store:
        assert dump(store) == before


def test_a_refused_file_creates_no_database(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    out = import_sessions(bad, tmp_path / "new.db")
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert not (tmp_path / "new.db").exists()


def test_the_csv_export_is_refused_for_the_json(rich, tmp_path):
    csv_export = tmp_path / "sessions.csv"
    out = coachtui_here("export", "sessions", "--db", str(rich.path), "--format", "csv")
    csv_export.write_text(out.stdout)
    out = import_sessions(csv_export, tmp_path / "new.db")
    assert out.returncode == 2
    assert "this is the CSV of `coachtui export sessions`" in out.stderr
    assert "--format json" in out.stderr


def test_the_crm_options_are_refused_for_sessions(export_file, tmp_path):
    out = import_sessions(export_file, tmp_path / "new.db", "--map", "rep=Owner")
    assert out.returncode == 2
    assert "import sessions takes the file, --dry-run and --db" in out.stderr


def test_minutes_short_of_the_span_are_a_pause_beyond_their_rounding(tmp_path):
    """30 minutes for 09:00:00 to 09:30:20 is the span rounded: no pause; 25
    minutes for 09:00 to 09:40 leaves 15 of them paused."""
    hand = tmp_path / "past.json"
    sessions = [
        {"rep": "Ava", "started_at": "2026-10-01T09:00:00", "ended_at": "2026-10-01T09:30:20"},
        {"rep": "Ben", "started_at": "2026-10-01T09:00:00", "ended_at": "2026-10-01T09:40:00"},
    ]
    sessions[0]["minutes"], sessions[1]["minutes"] = 30, 25
    hand.write_text(json.dumps({"sessions": sessions}))
    new_db = tmp_path / "coachtui.db"
    assert import_sessions(hand, new_db).returncode == 0
    with Store.open(new_db) as store:
        paused = rows(store, "SELECT rep, paused_seconds FROM coaching_sessions ORDER BY rep")
    assert paused == [("Ava", 0), ("Ben", 15 * 60)]
    assert [s["minutes"] for s in without_ids(exported(new_db))] == [30, 25]
