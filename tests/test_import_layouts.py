"""Every export layout coachtui recognises, with the values it must store."""

from __future__ import annotations

import pytest

from coachtui.importing import ImportOptions, import_file
from coachtui.importing.models import Activity, Deal, Rep, StageChange
from tests.conftest import FIXTURES, TODAY, rows

DEAL_COLUMNS = (
    "deal_id, rep, account, name, stage, status, amount, currency, "
    "created_date, close_date, stage_entered_date, contacts"
)


STORED_AS = {
    "deals": Deal,
    "reps": Rep,
    "stage_history": StageChange,
    "activities": Activity,
}


@pytest.fixture(autouse=True)
def every_stored_row_is_a_valid_record(store):
    """Whatever a test imports, each stored row reads back as its domain model."""
    yield
    for table, model in STORED_AS.items():
        cursor = store.conn.execute(f"SELECT * FROM {table}")
        names = [column[0] for column in cursor.description]
        for row in cursor:
            model.model_validate(dict(zip(names, row, strict=True)))


def deals(store):
    return rows(store, f"SELECT {DEAL_COLUMNS} FROM deals ORDER BY deal_id")


def stages(store):
    return [stage for stage, _status in store.pipeline()]


def test_salesforce_report_labels(store):
    summary = import_file(
        store, "deals", FIXTURES / "salesforce_labels.csv", ImportOptions(today=TODAY)
    )
    assert summary.layout == "salesforce"
    assert summary.mapping["rep"] == "Opportunity Owner"
    assert summary.mapping["stage_entered_date"] == "Last Stage Change Date"
    assert (summary.new, summary.updated, summary.unchanged) == (4, 0, 0)
    assert deals(store) == [
        (
            "006A1",
            "Ava Chen",
            "Acme Corp",
            "Acme - Platform",
            "Prospecting",
            "open",
            12500.0,
            "USD",
            "2026-03-04",
            "2026-06-30",
            "2026-03-04",
            None,
        ),
        (
            "006A2",
            "Ava Chen",
            "Borealis Ltd",
            "Borealis - Renewal",
            "Closed Won",
            "won",
            8000.0,
            "USD",
            "2026-01-15",
            "2026-04-02",
            "2026-04-02",
            None,
        ),
        (
            "006A3",
            "Ben Ortiz",
            "Cedar Inc",
            "Cedar - Pilot",
            "Closed Lost",
            "lost",
            None,
            "USD",
            "2026-02-01",
            "2026-03-15",
            "2026-03-15",
            None,
        ),
        (
            "006A4",
            "Ben Ortiz",
            "Delta GmbH",
            "Delta - Expansion",
            "Negotiation/Review",
            "open",
            4500.5,
            "EUR",
            "2026-02-20",
            "2026-07-01",
            "2026-05-05",
            None,
        ),
    ]
    # the default Salesforce pipeline orders stages, not their order in the file
    assert stages(store) == ["Prospecting", "Negotiation/Review", "Closed Won", "Closed Lost"]


def test_salesforce_api_names_with_history_and_owner_ids(store):
    options = ImportOptions(today=TODAY)
    import_file(store, "reps", FIXTURES / "salesforce_users.csv", options)
    summary = import_file(store, "deals", FIXTURES / "salesforce_api.csv", options)
    assert summary.layout == "salesforce"
    assert summary.mapping["rep"] == "OwnerId"
    assert summary.mapping["deal_id"] == "Id"
    assert deals(store) == [
        # IsClosed/IsWon decide the status, whatever the stage is called
        (
            "0061",
            "Uma Patel",
            "001X",
            "Alpha deal",
            "Proposal/Price Quote",
            "open",
            1000.0,
            "USD",
            "2026-01-05",
            "2026-06-30",
            "2026-03-01",
            None,
        ),
        (
            "0062",
            "Uma Patel",
            "001Y",
            "Beta deal",
            "Finished",
            "won",
            2000.0,
            "USD",
            "2026-01-10",
            "2026-03-30",
            None,
            None,
        ),
        (
            "0063",
            "Victor Hale",
            "001Z",
            "Gamma deal",
            "Closed Won",
            "lost",
            3000.0,
            "USD",
            "2026-02-10",
            "2026-04-30",
            None,
            None,
        ),
    ]
    assert rows(store, "SELECT rep, rep_id, manager FROM reps ORDER BY rep") == [
        ("Mona Lisa Vito", "005M1", None),
        ("Uma Patel", "005U1", "Mona Lisa Vito"),
        ("Victor Hale", "005U2", "Mona Lisa Vito"),
    ]
    history = import_file(store, "history", FIXTURES / "opportunity_history.csv", options)
    assert history.mapping["deal_id"] == "OpportunityId"
    assert history.mapping["entered_at"] == "CreatedDate"
    # six rows, one an exact repeat
    assert (history.rows, history.new) == (5, 5)
    assert rows(
        store, "SELECT * FROM stage_history WHERE deal_id = '0061' ORDER BY entered_at"
    ) == [
        ("0061", "Prospecting", "2026-01-05", "file"),
        ("0061", "Qualification", "2026-02-01", "file"),
        ("0061", "Proposal/Price Quote", "2026-03-01", "file"),
    ]


def test_reps_imported_after_deals_still_resolve_owner_ids(store):
    options = ImportOptions(today=TODAY)
    import_file(store, "deals", FIXTURES / "salesforce_api.csv", options)
    assert {rep for (rep,) in rows(store, "SELECT rep FROM deals")} == {"005U1", "005U2"}
    import_file(store, "reps", FIXTURES / "salesforce_users.csv", options)
    assert {rep for (rep,) in rows(store, "SELECT rep FROM deals")} == {"Uma Patel", "Victor Hale"}


def test_hubspot_deals_export(store):
    summary = import_file(store, "deals", FIXTURES / "hubspot.csv", ImportOptions(today=TODAY))
    assert summary.layout == "hubspot"
    assert summary.mapping["contacts"] == "Number of Associated Contacts"
    assert deals(store) == [
        (
            "9001",
            "Hana Kim",
            "Zephyr Co",
            "Zephyr rollout",
            "Appointment Scheduled",
            "open",
            15000.0,
            None,
            "2026-05-02",
            "2026-08-01",
            None,
            3,
        ),
        (
            "9002",
            "Hana Kim",
            "Yarrow LLC",
            "Yarrow upsell",
            "Closed Won",
            "won",
            7200.75,
            None,
            "2026-02-11",
            "2026-04-20",
            None,
            1,
        ),
        (
            "9003",
            "Ian Cole",
            "Xenon AG",
            "Xenon trial",
            "Closed Lost",
            "lost",
            None,
            None,
            "2026-01-20",
            "2026-03-01",
            None,
            None,
        ),
    ]


def test_pipedrive_deals_export(store):
    summary = import_file(store, "deals", FIXTURES / "pipedrive.csv", ImportOptions(today=TODAY))
    assert summary.layout == "pipedrive"
    assert deals(store) == [
        # open: the expected close date; won and lost: the won or lost time
        (
            "11",
            "Jo Lind",
            "Orchid SA",
            "Orchid deal",
            "Proposal Made",
            "open",
            1200.0,
            "EUR",
            "2026-03-01",
            "2026-07-15",
            None,
            None,
        ),
        (
            "12",
            "Jo Lind",
            "Pinnacle Oy",
            "Pinnacle deal",
            "Negotiations Started",
            "won",
            3400.0,
            "EUR",
            "2026-02-01",
            "2026-04-10",
            None,
            None,
        ),
        (
            "13",
            "Kai Berg",
            "Quarry AB",
            "Quarry deal",
            "Qualified",
            "lost",
            500.0,
            "SEK",
            "2026-01-05",
            "2026-02-20",
            None,
            None,
        ),
    ]
    assert stages(store) == ["Qualified", "Proposal Made", "Negotiations Started"]


def test_synonym_only_csv_with_teams(store):
    options = ImportOptions(today=TODAY)
    summary = import_file(store, "deals", FIXTURES / "synonyms.csv", options)
    assert summary.layout == "generic"
    assert summary.mapping == {
        "deal_id": "opportunity_id",
        "rep": "sales_agent",
        "account": "account",
        "stage": "deal_stage",
        "amount": "close_value",
        "created_date": "engage_date",
        "close_date": "close_date",
    }
    assert rows(store, "SELECT deal_id, status, amount, created_date FROM deals ORDER BY 1") == [
        ("OPP001", "won", 1000.0, "2026-01-10"),
        ("OPP002", "won", 2500.0, "2026-01-12"),
        ("OPP003", "open", None, "2026-01-20"),
        ("OPP004", "lost", 0.0, "2026-01-25"),
        ("OPP005", "open", None, None),
    ]
    # no preset: stages in order of first appearance
    assert stages(store) == ["Won", "Engaging", "Lost", "Prospecting"]
    reps = import_file(store, "reps", FIXTURES / "sales_teams.csv", options)
    assert reps.mapping == {"rep": "sales_agent", "manager": "manager", "region": "regional_office"}
    assert rows(store, "SELECT rep, manager, region FROM reps ORDER BY rep")[0] == (
        "Rosa Imani",
        "Petra Wolfe",
        "Central",
    )


LATIN = "Deal ID,Owner,Stage,Amount,Account\n1,José Núñez,Négociation,€1.200,50,Café Crème\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (LATIN.replace("€1.200,50", '"1.200,50"').encode("latin-1"), "cp1252"),
        (LATIN.replace("€1.200,50", '"€1.200,50"').encode("cp1252"), "cp1252"),
        (b"\xef\xbb\xbf" + LATIN.replace("€1.200,50", '"€1.200,50"').encode("utf-8"), "utf-8-sig"),
        (LATIN.replace("€1.200,50", '"€1.200,50"').encode("utf-16"), "utf-16"),
    ],
    ids=["latin-1", "cp1252", "utf-8-bom", "utf-16"],
)
def test_encodings(store, csv_file, raw, encoding):
    summary = import_file(store, "deals", csv_file(raw), ImportOptions(today=TODAY))
    assert summary.encoding == encoding
    assert summary.mapping["deal_id"] == "Deal ID"
    assert rows(store, "SELECT rep, stage, amount, account FROM deals") == [
        ("José Núñez", "Négociation", 1200.5, "Café Crème")
    ]


def test_explicit_encoding_and_date_format(store, csv_file):
    raw = "id;seller;phase;opened\n7;Zoë;Start;31/12/2025\n".encode("cp1252")
    options = ImportOptions(
        today=TODAY,
        encoding="cp1252",
        date_format="%d/%m/%Y",
        mapping={"stage": "phase", "created_date": "opened"},
    )
    summary = import_file(store, "deals", csv_file(raw), options)
    assert summary.mapping["rep"] == "seller"
    assert rows(store, "SELECT deal_id, rep, stage, created_date FROM deals") == [
        ("7", "Zoë", "Start", "2025-12-31")
    ]


def test_won_and_lost_stage_options(store, csv_file):
    path = csv_file("id,rep,stage\n1,A,Signed\n2,A,Dead\n3,A,closed-won\n4,A,Closed_Lost\n")
    options = ImportOptions(today=TODAY, won_stages=("signed",), lost_stages=("DEAD",))
    import_file(store, "deals", path, options)
    assert rows(store, "SELECT status FROM deals ORDER BY deal_id") == [
        ("won",),
        ("lost",),
        ("won",),
        ("lost",),
    ]


def test_activities_types_and_repeat_import(store, csv_file):
    path = csv_file(
        "Assigned To,Date,Task Subtype,Opportunity ID\n"
        "Ava,3/2/2026,Call,006A1\nAva,3/2/2026,Call,006A1\nAva,3/3/2026,Email,\n"
        "Ben,2026-03-04,Demo meeting,\nBen,2026-03-05,LinkedIn,\n"
    )
    first = import_file(store, "activities", path, ImportOptions(today=TODAY))
    assert (first.new, first.unchanged) == (5, 0)
    assert rows(store, "SELECT rep, date, type FROM activities ORDER BY date, activity_id") == [
        ("Ava", "2026-03-02", "call"),
        ("Ava", "2026-03-02", "call"),
        ("Ava", "2026-03-03", "email"),
        ("Ben", "2026-03-04", "meeting"),
        ("Ben", "2026-03-05", "other"),
    ]
    again = import_file(store, "activities", path, ImportOptions(today=TODAY))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    assert rows(store, "SELECT COUNT(*) FROM activities") == [(5,)]


def test_a_standard_pipedrive_export_gives_new_pipeline_cycle_and_win_rate(store):
    """Deal - Deal created is the created date; closed deals close on their won or
    lost time, open ones on the expected close date. As of 2026-11-27, 90 days
    (after 2026-08-29): created in the window 21, 22, 23: 1000 + 3000 + 500;
    won 22 (40 days) and 24 (142 days), lost 23: win rate 2/3, cycle 91."""
    from coachtui.review.frames import read_deal_data
    from coachtui.review.team import review_team_from
    from coachtui.settings import Settings

    path = FIXTURES / "pipedrive_standard.csv"
    summary = import_file(store, "deals", path, ImportOptions(today=TODAY))
    assert summary.layout == "pipedrive" and summary.warnings == []
    assert summary.mapping["created_date"] == "Deal - Deal created"
    closes = store.conn.execute("SELECT deal_id, close_date FROM deals ORDER BY deal_id")
    assert closes.fetchall() == [
        ("21", "2026-12-15"),
        ("22", "2026-10-11"),
        ("23", "2026-10-10"),
        ("24", "2026-09-20"),
    ]
    row = review_team_from(read_deal_data(store), TODAY, 90, Settings()).report.rep_row("Jo Lind")
    assert (row["new_deals"], row["new_pipeline"]) == (3, 4500.0)
    assert row["win_rate"] == 2 / 3 and row["avg_cycle_days"] == 91.0


def test_a_file_without_a_created_date_says_what_cannot_be_computed(csv_file, tmp_path):
    from tests.command_line import coachtui

    path = csv_file("id,rep,stage,amount\nd1,Ann,Proposal,100\nd2,Ann,Closed Won,200\n")
    result = coachtui("import", "deals", str(path), "--db", str(tmp_path / "t.db"))
    assert result.returncode == 0, result.stderr
    assert "imported 2 deals rows" in result.stdout
    assert (
        "coachtui: warning: deals with no created date: 2; new pipeline and the sales "
        "cycle cannot be computed for them. The file has no created-date column: if it "
        "has one, name it with --map created_date=COLUMN"
    ) in result.stderr.replace("\n", " ")
