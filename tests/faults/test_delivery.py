"""Fault cases: what lies in the landing folder (docs/domain.md §3.1, ingest/delivery.py)."""

from __future__ import annotations

import pytest

from tests.faults.harness import BASE_ROWS, ENGAGEMENTS, ENGAGEMENTS_HEADER, Case

ONE_ENGAGEMENT = ENGAGEMENTS_HEADER + "E9;0909901234;A;ordinaer;10;2024-01-01;;;FOA;Kopi\n"


def ignored(loaded) -> dict[str, str]:
    return {i.path: i.reason for i in loaded.summary.ignored}


@pytest.mark.fault("backup_copies")
def test_backup_copies_are_listed_not_read(case):
    case.plant("0909901234")
    for name in ("engagements_2025.csv.bak", "engagements_2025.csv~", "engagements.csv.orig"):
        case.write(f"registers/{name}", ONE_ENGAGEMENT)
    loaded = case.load()
    assert loaded.rows("engagements") == BASE_ROWS["engagements"]
    reason = "sikkerhedskopi eller midlertidig fil (ikke en leverance)"
    assert ignored(loaded) == {
        "registers/engagements.csv.orig": reason,
        "registers/engagements_2025.csv.bak": reason,
        "registers/engagements_2025.csv~": reason,
    }
    assert loaded.sql("SELECT count(*) FROM audit.load_log WHERE file_name LIKE '%2025%'") == [(0,)]
    assert "  Ikke læst: registers/engagements_2025.csv.bak: " + reason in loaded.summary.lines()
    # the build summary reads the same notes from the warehouse
    assert ("ikke læst", "registers/engagements_2025.csv~: " + reason) in loaded.sql(
        "SELECT kind, note FROM raw._load_notes"
    )


@pytest.mark.fault("office_lock_files")
def test_excel_and_libreoffice_lock_files_are_listed_not_read(case):
    case.write("registers/~$engagements.csv", "x")
    case.write("registers/.~lock.engagements.csv#", "x")
    loaded = case.load()
    assert ignored(loaded) == {
        "registers/.~lock.engagements.csv#": "midlertidig låsefil fra Excel/LibreOffice",
        "registers/~$engagements.csv": "midlertidig låsefil fra Excel/LibreOffice",
    }
    assert loaded.sql("SELECT count(*) FROM audit.load_log WHERE status = 'failed'") == [(0,)]


@pytest.mark.fault("register_in_subfolder")
def test_a_register_delivered_in_a_sub_folder_is_named_and_the_build_stops(tmp_path):
    case = Case(tmp_path)
    case.path("registers/engagements.csv").unlink()
    case.write("registers/engagements/engagements_2025-01.csv", ENGAGEMENTS)
    loaded = case.load()
    assert loaded.summary is None
    assert loaded.error == (
        f"Registret engagements har ingen rækker: der er ingen fil engagements*.csv i "
        f"{case.landing / 'registers'}. Bygget er stoppet, for uden enheder og ansættelser "
        "bliver alle tal tomme; læg registrene i registers/ og kør igen."
    )
    assert (
        "ikke læst",
        "registers/engagements/: undermappe; registre læses kun direkte i "
        "mappen, ikke i undermapper",
    ) in loaded.sql("SELECT kind, note FROM raw._load_notes")


@pytest.mark.fault("register_beside_registers_folder")
def test_a_register_at_the_top_of_the_landing_folder_is_named(case):
    case.write("engagements_2025.csv", ONE_ENGAGEMENT)
    case.write("notes.docx", "x")
    case.plant("0909901234")
    loaded = case.load()
    assert ignored(loaded) == {
        "engagements_2025.csv": "ligger uden for registers/; registerfiler læses kun i registers/",
        "notes.docx": "ikke en del af en leverance (kun registers/, jobindsats/ og config/ læses)",
    }
    assert loaded.rows("engagements") == BASE_ROWS["engagements"]


@pytest.mark.fault("unknown_config_file")
def test_a_misspelt_rules_file_is_named_not_silently_skipped(case):
    case.write("config/rules.yaml", "full_time_hours: 30\n")
    loaded = case.load()
    assert ignored(loaded) == {
        "config/rules.yaml": "ukendt konfigurationsfil (kun rules.yml og targets.csv læses)"
    }
    assert loaded.sql("SELECT full_time_hours FROM raw.rules_general") == [(37.0,)]


@pytest.mark.fault("non_csv_and_hidden_files")
def test_other_files_and_hidden_files_in_registers_are_listed(case):
    case.write("registers/README.txt", "Leveret af løn")
    case.write("registers/engagements.xlsx", "x")
    case.write("registers/.DS_Store", "x")
    loaded = case.load()
    assert ignored(loaded) == {
        "registers/.DS_Store": "skjult fil",
        "registers/README.txt": "ikke en .csv-fil",
        "registers/engagements.xlsx": "ikke en .csv-fil",
    }


@pytest.mark.fault("upper_case_suffix")
def test_an_upper_case_csv_suffix_and_register_prefix_are_read(case):
    case.path("registers/engagements.csv").unlink()
    case.write("registers/Engagements_2025.CSV", ENGAGEMENTS)
    loaded = case.load()
    assert loaded.log("Engagements_2025.CSV")[:4] == ("loaded", 4, 4, 0)
    assert loaded.summary.ignored == []


@pytest.mark.fault("unknown_register_csv")
def test_a_csv_of_no_register_fails_with_its_name(case):
    case.write("registers/salaries_2025.csv", "a;b\n1;2\n")
    loaded = case.load()
    assert loaded.log("salaries_2025.csv") == (
        "failed", 0, 0, 0,
        "salaries_2025.csv: ukendt register (filnavnet skal begynde med et registernavn)",
    )  # fmt: skip


@pytest.mark.fault("cpr_in_file_name")
def test_a_file_whose_name_holds_a_cpr_is_not_read_and_its_name_is_masked(case):
    case.write("registers/engagements_0909901234.csv", ONE_ENGAGEMENT)
    case.plant("0909901234")
    loaded = case.load()
    assert ignored(loaded) == {
        "registers/engagements_090990-****.csv": (
            "filnavnet indeholder et CPR-nummer; omdøb filen (den er ikke læst)"
        )
    }
    assert "0909901234" not in "\n".join(loaded.progress)


@pytest.mark.fault("empty_registers_folder")
def test_an_empty_registers_folder_stops_with_one_danish_line(tmp_path):
    case = Case(tmp_path, base=False)
    loaded = case.load()
    registers = case.landing / "registers"
    assert loaded.error == (
        f"Registret org_units har ingen rækker: der er ingen fil org_units*.csv i {registers}. "
        f"Registret engagements har ingen rækker: der er ingen fil engagements*.csv i "
        f"{registers}. Bygget er stoppet, for uden enheder og ansættelser bliver alle tal tomme; "
        "læg registrene i registers/ og kør igen."
    )


@pytest.mark.fault("missing_registers_folder")
def test_a_landing_folder_without_registers_stops_with_its_path(tmp_path):
    case = Case(tmp_path, base=False)
    case.path("registers").rmdir()
    loaded = case.load()
    assert loaded.error == f"Mappen med registre findes ikke: {case.landing / 'registers'}"


@pytest.mark.fault("required_register_all_quarantined")
def test_org_units_whose_every_row_is_quarantined_stop_the_build(case):
    case.write("registers/org_units.csv", "org_unit_id;name\nK;\nA;\n")
    loaded = case.load()
    assert loaded.error.startswith(
        "Registret org_units har ingen rækker: filerne (org_units.csv) gav 0 indlæste rækker "
        "(se audit.load_log og audit.quarantine). Registret engagements har ingen rækker"
    )
    # the load itself is recorded: the user can see why
    assert (
        loaded.sql("SELECT count(*) FROM audit.quarantine WHERE file_name = 'org_units.csv'")[0][0]
        == 2
    )


@pytest.mark.fault("optional_register_missing")
def test_a_missing_optional_register_warns(case):
    case.path("registers/sdp_events.csv").unlink()
    loaded = case.load()
    assert loaded.error is None
    assert loaded.summary.warnings == [
        f"Registret sdp_events har ingen rækker (der er ingen fil sdp_events*.csv i "
        f"{case.landing / 'registers'}); tal, der bygger på det, bliver tomme."
    ]
    assert "  ADVARSEL " + loaded.summary.warnings[0] in loaded.summary.lines()
