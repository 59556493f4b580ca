"""Fault cases: references between registers, keys, hierarchy cycles, re-deliveries and the
pseudonymisation key (docs/domain.md E2, E3, E1a)."""

from __future__ import annotations

import pytest

from tests.faults.harness import ABSENCES, BASE_ROWS, ENGAGEMENTS, ORG_UNITS, Case


@pytest.mark.fault("dangling_org_unit")
def test_an_engagement_in_an_unknown_unit_and_its_absences_cascade(case):
    case.write(
        "registers/engagements.csv", ENGAGEMENTS.replace("E1;0101901234;A;", "E1;0101901234;X;")
    )
    loaded = case.load()
    assert {
        ("engagements.csv", 1, "org_unit_id", "error", "dangling_reference"),
        ("absences.csv", 1, "engagement_id", "error", "dangling_reference"),
    } <= loaded.problems()
    assert loaded.log("engagements.csv")[:4] == ("loaded", 4, 3, 1)
    assert loaded.log("absences.csv")[:4] == ("loaded", 3, 2, 1)


@pytest.mark.fault("dangling_case")
def test_an_event_of_an_unknown_case(case):
    case.append("registers/sdp_events.csv", "V2;C9;2024-05-01;opfoelgningssamtale;1;afholdt\n")
    loaded = case.load()
    assert loaded.problems("sdp_events") == {
        ("sdp_events.csv", 2, "case_id", "error", "dangling_reference")
    }


@pytest.mark.fault("hierarchy_cycle")
def test_a_parent_cycle_makes_each_unit_of_the_loop_its_own_root(case):
    case.write("registers/org_units.csv", ORG_UNITS + "C;Klub;D;1000000003;skole;\nD;Fritid;C;;;\n")
    loaded = case.load()
    assert {
        ("org_units.csv", 4, "parent_id", "warning", "parent_cycle"),
        ("org_units.csv", 5, "parent_id", "warning", "parent_cycle"),
    } <= loaded.problems("org_units")
    assert loaded.sql(
        "SELECT org_unit_id, parent_id FROM raw.org_units "
        "WHERE org_unit_id IN ('C', 'D') ORDER BY 1"
    ) == [
        ("C", None),
        ("D", None),
    ]


@pytest.mark.fault("self_parent")
def test_a_unit_that_is_its_own_parent(case):
    case.write("registers/org_units.csv", ORG_UNITS + "C;Klub;C;1000000003;skole;\n")
    loaded = case.load()
    assert ("org_units.csv", 4, "parent_id", "warning", "parent_cycle") in loaded.problems()
    assert loaded.sql("SELECT parent_id FROM raw.org_units WHERE org_unit_id = 'C'") == [(None,)]


@pytest.mark.fault("unknown_parent")
def test_an_unknown_parent_makes_a_root(case):
    case.write("registers/org_units.csv", ORG_UNITS + "C;Klub;Z;1000000003;skole;\n")
    loaded = case.load()
    assert ("org_units.csv", 4, "parent_id", "warning", "dangling_reference") in loaded.problems()
    assert loaded.rows("org_units") == 4


@pytest.mark.fault("overlapping_spells")
def test_overlapping_absences_keep_the_first(case):
    case.write("registers/absences.csv", ABSENCES + "S4;E1;egen_sygdom;2024-02-03;2024-02-10;;0\n")
    loaded = case.load()
    assert loaded.problems("absences") == {
        ("absences.csv", 4, "from_date", "error", "overlapping_spell")
    }


@pytest.mark.fault("duplicate_key_in_file")
def test_a_key_twice_in_one_file_keeps_the_later_row(case):
    case.append(
        "registers/engagements.csv", "E1;0101901234;A;ordinaer;20;2020-01-01;;;BUPL;Leder\n"
    )
    loaded = case.load()
    assert loaded.problems("engagements") == {
        ("engagements.csv", 1, "engagement_id", "error", "duplicate_key_in_file")
    }
    assert loaded.sql(
        "SELECT weekly_hours, job_title FROM raw.engagements WHERE engagement_id = 'E1'"
    ) == [(20.0, "Leder")]


@pytest.mark.fault("later_file_wins")
def test_a_later_monthly_file_replaces_the_same_key(case):
    case.write(
        "registers/engagements_2025-01.csv",
        ENGAGEMENTS.split("\n", 1)[0]
        + "\nE1;0101901234;A;ordinaer;37;2020-01-01;2024-12-31;opsagt;BUPL;Pædagog\n",
    )
    loaded = case.load()
    assert loaded.sql(
        "SELECT end_date::VARCHAR, _source_file FROM raw.engagements WHERE engagement_id = 'E1'"
    ) == [("2024-12-31", "engagements_2025-01.csv")]


@pytest.mark.fault("bad_row_in_later_file")
def test_a_bad_row_in_a_later_file_does_not_replace_a_good_one(case):
    case.write(
        "registers/engagements_2025-01.csv",
        ENGAGEMENTS.split("\n", 1)[0]
        + "\nE1;0101901234;A;ordinaer;37;2020-01-01;2024-13-31;;BUPL;Pædagog\n",
    )
    loaded = case.load()
    assert loaded.sql("SELECT end_date FROM raw.engagements WHERE engagement_id = 'E1'") == [
        (None,)
    ]
    assert ("engagements_2025-01.csv", 1, "end_date", "error", "invalid_date") in loaded.problems()


@pytest.mark.fault("same_file_twice")
def test_loading_the_same_landing_twice_changes_nothing(case):
    first = case.load()
    before = first.sql("SELECT * FROM raw.engagements ORDER BY ALL")
    quarantine = first.sql("SELECT * FROM audit.quarantine ORDER BY ALL")
    second = case.load()
    assert second.sql("SELECT * FROM raw.engagements ORDER BY ALL") == before
    assert second.sql("SELECT * FROM audit.quarantine ORDER BY ALL") == quarantine
    assert second.log("engagements.csv")[0] == "skipped"


@pytest.mark.fault("redelivery_with_new_content")
def test_a_re_delivered_file_replaces_its_earlier_version(case):
    case.load()
    case.write(
        "registers/engagements.csv",
        ENGAGEMENTS.replace(
            "E4;0505001234;B;ordinaer;37;2023-08-01;;;SL;Social- og sundhedsassistent\n", ""
        ),
    )
    loaded = case.load()
    assert loaded.rows("engagements") == 3
    assert loaded.log("engagements.csv")[:4] == ("loaded", 3, 3, 0)


@pytest.mark.fault("pseudonym_key_changed")
def test_a_changed_pseudonymisation_key_stops_with_advice(case, monkeypatch):
    case.load()
    monkeypatch.setenv("RUMMELIG_PSEUDONYM_KEY", "another-secret")
    loaded = case.load()
    assert loaded.error == (
        "Pseudonymiseringsnøglen er ikke den samme som ved tidligere indlæsninger i denne "
        "database; personnøgler ville ikke passe sammen. Brug den oprindelige nøgle "
        "(RUMMELIG_PSEUDONYM_KEY eller nøglefilen) eller en ny database."
    )
    assert loaded.rows("engagements") == BASE_ROWS["engagements"]


@pytest.mark.fault("read_only_landing")
def test_a_read_only_landing_folder_loads(tmp_path):
    case = Case(tmp_path)
    for path in sorted(case.landing.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    case.landing.chmod(0o555)
    try:
        loaded = case.load()
    finally:
        for path in [case.landing, *case.landing.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert loaded.error is None
    assert {t: loaded.rows(t) for t in BASE_ROWS} == BASE_ROWS
