"""Every bad-input case of docs/domain.md §3.3 and E1–E5: exact reason, severity, row and column."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from tests.ingest.landing_helpers import load, problems, quarantine, write


def header(*columns: str) -> str:
    return ";".join(columns) + "\n"


ORG_UNITS = (
    header(
        "org_unit_id",
        "name",
        "parent_id",
        "p_number",
        "workplace_type",
        "area",
        "inclusion_approved_from",
        "inclusion_approved_to",
    )
    + """K;Kommunen;;;administration;;;
A;Skolen;K;1234567890;SKOLE;Børn;2024-01-01;2024-12-31
A1;SFO;A;;;;;
B;;K;;;;;
C;Værksted;K;12345;værksted;;2024-13-01;
D;Daginstitution;K;2345678901;daginstitution;;2024-06-01;2024-05-31
E;Løs enhed;ZZ;;;;;
X1;Ring 1;X2;;;;;
X2;Ring 2;X1;;;;;
F;Fritid;A;3456789012;kultur_fritid;;2024-01-01;engang
"""
)
# rows:                         1 K ok (root without P-number → no_workplace)
# 2 A ok  3 A1 ok  4 B missing name  5 C bad p_number + unknown type + bad date (warnings),
# no P-number above C → no_workplace  6 D to before from  7 E unknown parent → own root, no
# workplace  8/9 X1, X2 a cycle → both roots, no workplace  10 F unreadable approval end → the
# whole approval period is dropped (warning), not turned into an open-ended approval

ENGAGEMENTS = (
    header(
        "engagement_id",
        "cpr",
        "org_unit_id",
        "engagement_type",
        "weekly_hours",
        "start_date",
        "end_date",
        "end_reason",
        "union_area",
    )
    + """E1;010190-1234;A;ordinaer;48;2024-01-01;;;FOA
E2;3102901234;A;ordinaer;37;2024-01-01;;;
E3;;A;ordinaer;37;2024-01-01;;;
E4;0101901234;A;chef;37;2024-01-01;;;
E5;0101901234;A;ordinaer;0;2024-01-01;;;
E6;0101901234;A;ordinaer;48,5;2024-01-01;;;
E7;0101901234;A;ordinaer;mange;2024-01-01;;;
E8;0101901234;A;ordinaer;37;2024-02-30;;;
E9;0101901234;A;ordinaer;37;2024-01-01;snart;;
E10;0101901234;A;ordinaer;37;2024-01-01;2024-06-30;fyret;xyz
E11;0101901234;NOPE;ordinaer;37;2024-01-01;;;
E12;0101901234;A1;elev;37;2024-01-01;2023-12-31;;
"""
)

ABSENCES = """absence_id;engagement_id;cause;from_date;to_date;hours;s56
S1;E1;delvis_sygdom;2024-02-01;2024-02-02;;
S2;E1;delvis_sygdom;2024-02-03;2024-02-03;x;
S3;E1;egen_sygdom;2024-02-04;2024-02-04;x;
S4;E1;egen_sygdom;2024-02-05;2024-02-05;-1;
S5;E1;egen_sygdom;2024-02-06;31-02-2024;;
S6;E1;egen_sygdom;2024-02-07;2024-02-06;;
S7;E1;egen_sygdom;2024-02-08;2024-02-08;;kanske
S8;E1;influenza;2024-02-09;2024-02-09;;
S9;E11;egen_sygdom;2024-02-10;2024-02-10;;
S10;E1;barn_syg;2024-02-11;2024-02-12;;
S11;E1;egen_sygdom;2024-02-12;2024-02-13;;
"""

PLACEMENTS = (
    header(
        "placement_id",
        "cpr",
        "org_unit_id",
        "scheme",
        "benefit_group",
        "weekly_hours",
        "start_date",
        "planned_end_date",
        "end_date",
        "previous_placement_id",
    )
    + """P1;0101901234;A;virksomhedspraktik;kontanthjaelp_jobparat;;2024-01-01;2024-03-31;;
P2;0101901234;A;loentilskud;ukendt;60;2024-04-01;;;P1
P3;0101901234;A;praktik;;;2024-01-01;;;
P4;0101901234;A;nyttejob;;;2024-01-01;2023-12-31;;
P5;0101901234;A;nyttejob;;20;2024-01-01;;;P99
"""
)

SDP_CASES = """case_id;cpr;first_absence_date;employment_status;case_end_date;end_reason
C1;0101901234;2024-01-01;ansat;;
C2;0101901234;;ansat;;
C3;0101901234;2024-01-01;ansat;ikke endnu;
C4;0101901234;2024-01-01;arbejdsloes;;
"""

SDP_EVENTS = """event_id;case_id;event_date;event_type;category;status
V1;C1;2024-01-10;visitation;2;
V2;C1;2024-02-10;opfoelgningssamtale;4;afholdt
V3;C1;2024-03-10;opfoelgningssamtale;;glemt
V4;C1;2024-03-11;moede;;
V5;C2;2024-03-12;opfoelgningssamtale;;
V6;C3;2024-03-12;opfoelgningssamtale;;Aflyst_Borger
"""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    # module scope: the autouse env fixture is function-scoped, so set the secret here too
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("RUMMELIG_PSEUDONYM_KEY", "module-scope-secret")
    folder = tmp_path_factory.mktemp("registers")
    for name, text in [
        ("org_units.csv", ORG_UNITS),
        ("engagements.csv", ENGAGEMENTS),
        ("absences.csv", ABSENCES),
        ("placements.csv", PLACEMENTS),
        ("sdp_cases.csv", SDP_CASES),
        ("sdp_events.csv", SDP_EVENTS),
    ]:
        write(folder, name, text)
    conn = duckdb.connect()
    results = load(conn, folder)
    monkeypatch.undo()
    yield conn, results
    conn.close()


def ids(conn, table: str, key: str) -> list[str]:
    return [
        r[0] for r in conn.execute(f"SELECT {key} FROM raw.{table} ORDER BY _row_number").fetchall()
    ]


def test_org_units(loaded):
    conn, _ = loaded
    assert problems(conn, "org_units") == {
        (1, "p_number", "warning", "no_workplace"),
        (4, "name", "error", "missing_required"),
        (5, "p_number", "warning", "invalid_p_number"),
        (5, "workplace_type", "warning", "unknown_code"),
        (5, "inclusion_approved_from", "warning", "invalid_date"),
        (5, "p_number", "warning", "no_workplace"),
        (6, "inclusion_approved_to", "error", "end_before_start"),
        (7, "parent_id", "warning", "dangling_reference"),
        (7, "p_number", "warning", "no_workplace"),
        (8, "parent_id", "warning", "parent_cycle"),
        (8, "p_number", "warning", "no_workplace"),
        (9, "parent_id", "warning", "parent_cycle"),
        (9, "p_number", "warning", "no_workplace"),
        (10, "inclusion_approved_to", "warning", "invalid_date"),
    }
    assert ids(conn, "org_units", "org_unit_id") == ["K", "A", "A1", "C", "E", "X1", "X2", "F"]
    got = conn.execute(
        """SELECT org_unit_id, parent_id, p_number, workplace_type, inclusion_approved_from
           FROM raw.org_units WHERE org_unit_id IN ('A', 'C', 'E', 'F', 'X1') ORDER BY 1"""
    ).fetchall()
    assert got == [
        ("A", "K", "1234567890", "skole", date(2024, 1, 1)),
        ("C", "K", None, None, None),  # warnings null the cells, the row loads
        ("E", None, None, None, None),  # unknown parent → its own root
        ("F", "A", "3456789012", "kultur_fritid", None),  # approval dropped, not open-ended
        ("X1", None, None, None, None),  # cycle cut
    ]


def test_engagements(loaded):
    conn, _ = loaded
    assert problems(conn, "engagements") == {
        (2, "cpr", "error", "invalid_cpr"),
        (3, "cpr", "error", "missing_required"),
        (4, "engagement_type", "error", "unknown_code"),
        (5, "weekly_hours", "error", "out_of_range"),
        (6, "weekly_hours", "error", "out_of_range"),
        (7, "weekly_hours", "error", "invalid_number"),
        (8, "start_date", "error", "invalid_date"),
        (9, "end_date", "error", "invalid_date"),  # E1a: null would mean "ongoing"
        (10, "end_reason", "warning", "unknown_code"),
        (10, "union_area", "warning", "unknown_code"),
        (11, "org_unit_id", "error", "dangling_reference"),
        (12, "end_date", "error", "end_before_start"),
    }
    assert ids(conn, "engagements", "engagement_id") == ["E1", "E10"]
    assert conn.execute(
        "SELECT weekly_hours, end_reason, union_area FROM raw.engagements ORDER BY 1"
    ).fetchall() == [(37.0, None, None), (48.0, None, "FOA")]


def test_absences(loaded):
    conn, _ = loaded
    assert problems(conn, "absences") == {
        (1, "hours", "error", "missing_required"),  # delvis_sygdom needs hours
        (2, "hours", "error", "invalid_number"),
        (3, "hours", "warning", "invalid_number"),
        (4, "hours", "warning", "out_of_range"),
        (5, "to_date", "error", "invalid_date"),
        (6, "to_date", "error", "end_before_start"),
        (7, "s56", "warning", "invalid_boolean"),
        (8, "cause", "error", "unknown_code"),
        (9, "engagement_id", "error", "dangling_reference"),  # E11 was quarantined: cascade
        (11, "from_date", "error", "overlapping_spell"),  # overlaps S10 on 2024-02-12
    }
    assert ids(conn, "absences", "absence_id") == ["S3", "S4", "S7", "S10"]
    assert (
        conn.execute(
            "SELECT hours, s56 FROM raw.absences WHERE absence_id IN ('S3', 'S4', 'S7') ORDER BY 1"
        ).fetchall()
        == [(None, False)] * 3
    )


def test_placements(loaded):
    conn, _ = loaded
    assert problems(conn, "placements") == {
        # §3.3: empty weekly_hours → full time, with a warning (P3 is rejected anyway)
        (1, "weekly_hours", "warning", "missing_hours"),
        (3, "weekly_hours", "warning", "missing_hours"),
        (4, "weekly_hours", "warning", "missing_hours"),
        (2, "benefit_group", "warning", "unknown_code"),
        (2, "weekly_hours", "warning", "out_of_range"),
        (3, "scheme", "error", "unknown_code"),
        (4, "planned_end_date", "error", "end_before_start"),
        (5, "previous_placement_id", "warning", "dangling_reference"),
    }
    assert conn.execute(
        """SELECT placement_id, benefit_group, weekly_hours, previous_placement_id
           FROM raw.placements ORDER BY 1"""
    ).fetchall() == [
        ("P1", "kontanthjaelp_jobparat", None, None),
        ("P2", None, None, "P1"),
        ("P5", None, 20.0, None),
    ]


def test_sdp_cases_and_events(loaded):
    conn, _ = loaded
    assert problems(conn, "sdp_cases") == {
        (2, "first_absence_date", "error", "missing_required"),
        (3, "case_end_date", "error", "invalid_date"),
        (4, "employment_status", "warning", "unknown_code"),
    }
    assert problems(conn, "sdp_events") == {
        (2, "category", "warning", "unknown_code"),
        (3, "status", "error", "unknown_code"),  # E1a: null status would mean "afholdt"
        (4, "event_type", "error", "unknown_code"),
        (5, "case_id", "error", "dangling_reference"),  # C2 was quarantined
        (6, "case_id", "error", "dangling_reference"),
    }
    assert conn.execute(
        "SELECT event_id, category, status FROM raw.sdp_events ORDER BY 1"
    ).fetchall() == [("V1", 2, None), ("V2", None, "afholdt")]


def test_details_name_the_value_and_rows_are_masked(loaded):
    conn, _ = loaded
    entries = {(q["register"], q["row_number"], q["reason"]): q for q in quarantine(conn)}
    by_column = {(q["register"], q["row_number"], q["column_name"]): q for q in quarantine(conn)}
    cpr = entries[("engagements", 2, "invalid_cpr")]
    assert cpr["detail"] == "cpr: ugyldigt CPR-nummer '310290-****'"
    assert cpr["row_masked"] == "E2;310290-****;A;ordinaer;37;2024-01-01;;;"
    assert entries[("engagements", 6, "out_of_range")]["detail"] == (
        "weekly_hours: 48,5 er uden for 0 < weekly_hours ≤ 48"
    )
    assert by_column[("engagements", 10, "end_reason")]["detail"].startswith(
        "end_reason: 'fyret' er ikke en kendt kode (tilladt: afskediget, opsagt"
    )
    assert entries[("absences", 9, "dangling_reference")]["detail"] == (
        "engagement_id 'E11' findes ikke i engagements"
    )
    # cross-file problems carry the masked raw row too (re-read from the landing file)
    assert entries[("engagements", 11, "dangling_reference")]["row_masked"] == (
        "E11;010190-****;NOPE;ordinaer;37;2024-01-01;;;"
    )
    assert entries[("absences", 11, "overlapping_spell")]["detail"] == (
        "fraværsperioden 2024-02-12–2024-02-13 overlapper periode 'S10' (2024-02-11–2024-02-12) "
        "på samme engagement"
    )


def test_rows_read_equals_loaded_plus_quarantined_for_every_file(loaded):
    conn, results = loaded
    log = conn.execute(
        """SELECT l.file_name, l.rows_read, l.rows_loaded, l.rows_quarantined,
                  (SELECT count(DISTINCT q.row_number) FROM audit.quarantine q
                   WHERE q.file_name = l.file_name AND q.severity = 'error'),
                  (SELECT count(*) FROM raw._ingest_files f WHERE f.file_name = l.file_name)
           FROM audit.load_log l ORDER BY 1"""
    ).fetchall()
    assert len(log) == 6
    for name, read, loaded_rows, quarantined, error_rows, _ in log:
        assert read == loaded_rows + quarantined, name
        assert quarantined == error_rows, name
    counts = {
        r.file_name: (r.rows_read, r.rows_loaded, r.rows_quarantined) for r in results.values()
    }
    # hand count: engagements 12 rows, E1 and E10 load; absences 11 rows, 4 load
    assert counts["engagements.csv"] == (12, 2, 10)
    assert counts["absences.csv"] == (11, 4, 7)
    assert counts["org_units.csv"] == (10, 8, 2)
    assert counts["sdp_events.csv"] == (6, 2, 4)
