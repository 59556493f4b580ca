"""Fault cases: CPR numbers where they do not belong (docs/domain.md §7). Besides each case's own
assertions, Case.load scans the whole warehouse for the planted CPRs in every spelling."""

from __future__ import annotations

import pytest

from ingest.pseudonym import id_pseudonym
from tests.faults.harness import ABSENCES, ENGAGEMENTS, ENGAGEMENTS_HEADER, ORG_UNITS
from tests.ingest.landing_helpers import TEST_SECRET

SEPARATORS = {"dash": "-", "dot": ".", "slash": "/", "space": " ", "none": ""}


@pytest.mark.parametrize(
    "separator",
    [pytest.param(s, id=name, marks=pytest.mark.fault(f"cpr_in_key_{name}"))
     for name, s in SEPARATORS.items()],
)  # fmt: skip
def test_a_cpr_typed_into_a_key_column_is_stored_nowhere(case, separator):
    cpr = f"161090{separator}1234"
    case.plant(cpr)
    case.write("registers/absences.csv", ABSENCES + f"S4;{cpr};egen_sygdom;2024-05-01;;;0\n")
    loaded = case.load()
    assert loaded.log("absences.csv")[:4] == ("loaded", 4, 3, 1)
    assert loaded.problems("absences") == {
        ("absences.csv", 4, "engagement_id", "warning", "cpr_in_key"),
        ("absences.csv", 4, "engagement_id", "error", "dangling_reference"),
    }
    pseudonym = id_pseudonym(cpr, TEST_SECRET.encode())
    assert loaded.sql(
        "SELECT detail, row_masked FROM audit.quarantine WHERE reason = 'dangling_reference'"
    ) == [
        (
            f"engagement_id '{pseudonym}' findes ikke i engagements",
            "S4;161090-****;egen_sygdom;2024-05-01;;;0",
        )
    ]
    assert loaded.sql("SELECT engagement_id FROM raw._files_absences WHERE absence_id = 'S4'") == [
        (pseudonym,)
    ]


@pytest.mark.fault("cpr_as_engagement_id")
def test_cpr_shaped_engagement_ids_keep_their_references(case):
    """A system that numbers engagements by CPR: both registers get the same pseudonym, so the
    absence still finds its engagement, and neither table holds the CPR."""
    case.plant("0101901234", "1502851234")
    case.write("registers/engagements.csv", ENGAGEMENTS.replace("E1;", "0101901234;", 1))
    case.write("registers/absences.csv", ABSENCES.replace(";E1;", ";0101901234;"))
    loaded = case.load()
    pseudonym = id_pseudonym("0101901234", TEST_SECRET.encode())
    assert loaded.log("absences.csv")[:4] == ("loaded", 3, 3, 0)
    assert loaded.sql(
        "SELECT a.absence_id FROM raw.absences a JOIN raw.engagements e USING (engagement_id) "
        "WHERE e.engagement_id = ?",
        [pseudonym],
    ) == [("S1",)]
    assert pseudonym.startswith("pseudonym-") and not any(c.isdigit() for c in pseudonym)


@pytest.mark.fault("cpr_shaped_id_without_birth_date")
def test_a_cpr_shaped_id_without_a_real_birth_date_is_pseudonymised_too(case):
    """3213901234 is no valid CPR (no 32nd), but it may be a mistyped one: not stored."""
    case.plant("3213901234")
    case.write("registers/engagements.csv", ENGAGEMENTS.replace("E1;", "3213901234;", 1))
    case.write("registers/absences.csv", ABSENCES.replace(";E1;", ";3213901234;"))
    loaded = case.load()
    assert loaded.sql("SELECT engagement_id FROM raw.absences WHERE absence_id = 'S1'") == [
        (id_pseudonym("3213901234", TEST_SECRET.encode()),)
    ]
    assert loaded.problems("engagements") == {
        ("engagements.csv", 1, "engagement_id", "warning", "cpr_in_key")
    }


@pytest.mark.parametrize(
    "separator",
    [pytest.param(s, id=name, marks=pytest.mark.fault(f"cpr_in_free_text_{name}"))
     for name, s in SEPARATORS.items()],
)  # fmt: skip
def test_a_cpr_in_free_text_is_masked_before_storage(case, separator):
    cpr = f"161090{separator}1234"
    case.plant(cpr)
    case.write(
        "registers/engagements.csv",
        ENGAGEMENTS + f"E5;1111901234;A;ordinaer;37;2024-01-01;;;FOA;Vikar for {cpr} (barsel)\n",
    )
    case.write("registers/org_units.csv", ORG_UNITS + f"C;Team {cpr};K;1000000003;skole;\n")
    loaded = case.load()
    assert loaded.sql("SELECT job_title FROM raw.engagements WHERE engagement_id = 'E5'") == [
        ("Vikar for 161090-**** (barsel)",)
    ]
    assert loaded.sql("SELECT name FROM raw._files_org_units WHERE org_unit_id = 'C'") == [
        ("Team 161090-****",)
    ]
    assert {
        ("engagements.csv", 5, "job_title", "warning", "cpr_in_text"),
        ("org_units.csv", 4, "name", "warning", "cpr_in_text"),
    } <= loaded.problems()


@pytest.mark.parametrize(
    ("column", "line", "reason"),
    [
        pytest.param(
            "weekly_hours", "E5;1111901234;A;ordinaer;161090.1234;2024-01-01;;;FOA;x",
            "out_of_range", marks=pytest.mark.fault("cpr_in_number_column"), id="number",
        ),
        pytest.param(
            "start_date", "E5;1111901234;A;ordinaer;37;161090/1234;;;FOA;x",
            "invalid_date", marks=pytest.mark.fault("cpr_in_date_column"), id="date",
        ),
        pytest.param(
            "union_area", "E5;1111901234;A;ordinaer;37;2024-01-01;;;161090 1234;x",
            "unknown_code", marks=pytest.mark.fault("cpr_in_code_column"), id="code",
        ),
    ],
)  # fmt: skip
def test_a_cpr_in_a_typed_column_is_masked_in_the_quarantine(case, column, line, reason):
    case.plant("1610901234")
    case.write("registers/engagements.csv", ENGAGEMENTS + line + "\n")
    loaded = case.load()
    [(detail, masked)] = loaded.sql(
        "SELECT detail, row_masked FROM audit.quarantine WHERE column_name = ? AND reason = ?",
        [column, reason],
    )
    assert "161090-****" in detail and "161090-****" in masked
    assert "1234" not in detail.replace("1111901234", "")


@pytest.mark.fault("invalid_cpr")
def test_an_invalid_cpr_shows_only_its_first_six_digits(case):
    case.plant("3213901234")
    case.write(
        "registers/engagements.csv",
        ENGAGEMENTS_HEADER + "E5;3213901234;A;ordinaer;37;2024-01-01;;;FOA;x\n"
        + ENGAGEMENTS.split("\n", 1)[1],
    )  # fmt: skip
    loaded = case.load()
    assert loaded.sql(
        "SELECT detail, row_masked FROM audit.quarantine WHERE reason = 'invalid_cpr'"
    ) == [
        (
            "cpr: ugyldigt CPR-nummer '321390-****'",
            "E5;321390-****;A;ordinaer;37;2024-01-01;;;FOA;x",
        )
    ]


@pytest.mark.fault("cpr_in_header")
def test_a_cpr_as_a_column_name_is_masked_where_the_header_is_kept(case):
    case.plant("1610901234")
    case.write(
        "registers/absences.csv",
        ABSENCES.replace("s56\n", "s56;1610901234\n", 1).replace(";0\n", ";0;\n"),
    )
    loaded = case.load()
    assert loaded.sql("SELECT columns FROM raw._ingest_files WHERE file_name = 'absences.csv'") == [
        ("absence_id;engagement_id;cause;from_date;to_date;hours;s56;161090-****",)
    ]


@pytest.mark.fault("cpr_in_jobindsats_extract")
def test_a_cpr_in_a_jobindsats_dimension_is_masked(case):
    case.plant("1610901234")
    case.write(
        "jobindsats/Y07A02_2024.csv",
        "Område;Periode;Gruppe;Antal personer\n"
        "Horsens;2024M01;1610901234;5\n"
        "Horsens;2024M01;Alle;7\n",
    )
    loaded = case.load()
    assert loaded.sql("SELECT dimensions, value FROM raw.jobindsats ORDER BY value") == [
        ('{"Gruppe": "161090-****"}', 5.0),
        ('{"Gruppe": "Alle"}', 7.0),
    ]


@pytest.mark.fault("cpr_in_progress_and_errors")
def test_progress_lines_and_failed_file_messages_are_masked(case):
    case.plant("1610901234")
    case.write("registers/absences.csv", "absence_id;1610901234;1610901234\nS1;E1;barsel\n")
    loaded = case.load()
    status, *_, message = loaded.log("absences.csv")
    assert (status, message) == (
        "failed",
        "absences.csv: kolonnen 161090-**** findes mere end én gang",
    )
    assert "1610901234" not in loaded.all_text()
