"""Several files per register, re-deliveries and replacements (docs/domain.md §3.1, E2)."""

from __future__ import annotations

import duckdb
import pytest

from ingest.errors import IngestError
from ingest.registers.load import load_registers
from tests.ingest.landing_helpers import ORG_UNITS, load, problems, write

HEADER = "engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date\n"
JANUARY = HEADER + (
    "E1;0101901234;A;ordinaer;37;2025-01-01\n"
    "E2;0101901234;A;ordinaer;37;2025-01-01\n"
    "E3;0101901234;A;ordinaer;37;2025-01-01\n"
    "E4;0101901234;A;ordinaer;37;2025-01-01\n"
)
FEBRUARY = HEADER + (
    "E1;0101901234;A1;ordinaer;20;2025-01-01\n"  # replaces E1 of January
    "E2;0101901234;A;ordinaer;99;2025-01-01\n"  # bad: January's good E2 stays
    "E3;0101901234;NOPE;ordinaer;37;2025-01-01\n"  # wins de-dup, then dangles: E3 is gone
)
ABSENCES = (
    "absence_id;engagement_id;cause;from_date\n"
    "S1;E1;egen_sygdom;2025-01-10\n"
    "S3;E3;egen_sygdom;2025-01-10\n"
)


def snapshot(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    tables = ["org_units", "engagements", "absences", "placements", "sdp_cases", "sdp_events"]
    out = {t: conn.execute(f"SELECT * FROM raw.{t} ORDER BY ALL").fetchall() for t in tables}
    out["quarantine"] = conn.execute("SELECT * FROM audit.quarantine ORDER BY ALL").fetchall()
    return out


@pytest.fixture
def landing(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(tmp_path, "engagements_2025-01.csv", JANUARY)
    write(tmp_path, "engagements_2025-02.csv", FEBRUARY)
    write(tmp_path, "absences.csv", ABSENCES)
    return tmp_path


def test_later_file_wins_and_a_bad_later_row_keeps_the_earlier_good_row(landing):
    with duckdb.connect() as conn:
        load(conn, landing)
        got = conn.execute(
            "SELECT engagement_id, org_unit_id, weekly_hours, _source_file, _row_number "
            "FROM raw.engagements ORDER BY 1"
        ).fetchall()
        assert problems(conn, "absences") == {(2, "engagement_id", "error", "dangling_reference")}
        feb = {
            (q[0], q[1], q[2], q[3])
            for q in conn.execute(
                "SELECT row_number, column_name, severity, reason FROM audit.quarantine "
                "WHERE file_name = 'engagements_2025-02.csv'"
            ).fetchall()
        }
    assert got == [
        ("E1", "A1", 20.0, "engagements_2025-02.csv", 1),
        ("E2", "A", 37.0, "engagements_2025-01.csv", 2),
        ("E4", "A", 37.0, "engagements_2025-01.csv", 4),
    ]
    # E2 (de-dup before references): February's E3 replaced January's and then dangled, so the
    # absence of E3 cascades into quarantine.
    assert feb == {
        (2, "weekly_hours", "error", "out_of_range"),
        (3, "org_unit_id", "error", "dangling_reference"),
    }


def test_loading_the_same_files_twice_changes_nothing_but_the_load_log(landing):
    with duckdb.connect() as conn:
        first = load(conn, landing)
        before = snapshot(conn)
        second = load(conn, landing)
        after = snapshot(conn)
        log = conn.execute(
            "SELECT status, rows_read, rows_loaded, rows_quarantined, message FROM audit.load_log "
            "WHERE file_name = 'engagements_2025-01.csv' ORDER BY loaded_at"
        ).fetchall()
    assert after == before
    assert {r.status for r in first.values()} == {"loaded"}
    assert {r.status for r in second.values()} == {"skipped"}
    assert log == [
        ("loaded", 4, 4, 0, None),
        ("skipped", 0, 0, 0, "allerede indlæst med samme indhold"),
    ]


def test_a_file_with_new_content_replaces_its_earlier_version(landing):
    with duckdb.connect() as conn:
        load(conn, landing)
        write(landing, "engagements_2025-02.csv", HEADER + "E1;0101901234;A;elev;30;2025-01-01\n")
        results = load(conn, landing)
        got = conn.execute(
            "SELECT engagement_id, engagement_type, weekly_hours FROM raw.engagements ORDER BY 1"
        ).fetchall()
        feb_quarantine = conn.execute(
            "SELECT count(*) FROM audit.quarantine WHERE file_name = 'engagements_2025-02.csv'"
        ).fetchone()[0]
        absences = conn.execute("SELECT absence_id FROM raw.absences ORDER BY 1").fetchall()
    assert results["engagements_2025-02.csv"].status == "loaded"
    assert results["engagements_2025-01.csv"].status == "skipped"
    # the old February rows (E2 bad, E3 dangling) are gone with their quarantine entries;
    # January's E3 is back, and so is its absence
    assert got == [
        ("E1", "elev", 30.0),
        ("E2", "ordinaer", 37.0),
        ("E3", "ordinaer", 37.0),
        ("E4", "ordinaer", 37.0),
    ]
    assert feb_quarantine == 0
    assert absences == [("S1",), ("S3",)]


def test_duplicate_key_in_one_file_keeps_the_later_row(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(
        tmp_path,
        "engagements.csv",
        HEADER
        + "E1;0101901234;A;ordinaer;37;2025-01-01\n"
        + "E1;0101901234;A;ordinaer;25;2025-01-01\n"
        + "E2;0101901234;A;ordinaer;37;2025-01-01\n",
    )
    with duckdb.connect() as conn:
        results = load(conn, tmp_path)
        got = conn.execute(
            "SELECT engagement_id, weekly_hours FROM raw.engagements ORDER BY 1"
        ).fetchall()
        assert problems(conn, "engagements") == {
            (1, "engagement_id", "error", "duplicate_key_in_file")
        }
    assert got == [("E1", 25.0), ("E2", 37.0)]
    r = results["engagements.csv"]
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (3, 2, 1)


def test_overlapping_spells_are_taken_in_order_against_kept_spells_only(tmp_path):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(tmp_path, "engagements.csv", HEADER + "E1;0101901234;A;ordinaer;37;2025-01-01\n")
    # Hand-worked (E3): S1 [1,10] kept; S2 [5,20] overlaps S1 → out; S3 [15,16] overlaps only
    # the dropped S2 → kept; S4 [16,∞) overlaps S3 → out; S5 and S6 both start 2025-03-01, the
    # smaller id (S5) comes first and is kept; S6 overlaps it → out.
    write(
        tmp_path,
        "absences_a.csv",
        "absence_id;engagement_id;cause;from_date;to_date\n"
        "S2;E1;egen_sygdom;2025-02-05;2025-02-20\n"
        "S1;E1;egen_sygdom;2025-02-01;2025-02-10\n"
        "S6;E1;egen_sygdom;2025-03-01;2025-03-01\n",
    )
    write(
        tmp_path,
        "absences_b.csv",
        "absence_id;engagement_id;cause;from_date;to_date\n"
        "S3;E1;egen_sygdom;2025-02-15;2025-02-16\n"
        "S4;E1;egen_sygdom;2025-02-16;\n"
        "S5;E1;egen_sygdom;2025-03-01;2025-03-02\n",
    )
    with duckdb.connect() as conn:
        load(conn, tmp_path)
        kept = conn.execute("SELECT absence_id FROM raw.absences ORDER BY 1").fetchall()
        dropped = conn.execute(
            "SELECT file_name, row_number FROM audit.quarantine WHERE reason = 'overlapping_spell' "
            "ORDER BY 1, 2"
        ).fetchall()
    assert kept == [("S1",), ("S3",), ("S5",)]
    assert dropped == [("absences_a.csv", 1), ("absences_a.csv", 3), ("absences_b.csv", 2)]


def test_missing_folder_is_a_clean_error_naming_the_path(tmp_path):
    with duckdb.connect() as conn, pytest.raises(IngestError, match=str(tmp_path / "nope")):
        load_registers(conn, tmp_path / "nope")


def test_a_different_pseudonym_key_on_the_same_database_is_refused(tmp_path, monkeypatch):
    write(tmp_path, "org_units.csv", ORG_UNITS)
    with duckdb.connect() as conn:
        load(conn, tmp_path)
        monkeypatch.setenv("RUMMELIG_PSEUDONYM_KEY", "another secret")
        with pytest.raises(IngestError, match="Pseudonymiseringsnøglen"):
            load(conn, tmp_path)


def test_a_quarantine_larger_than_a_row_group_is_readable_in_the_same_connection(tmp_path):
    # Regression for a duckdb 2.0.0 trap (see ingest/registers/rebuild.py::_replace_quarantine):
    # 130 000 dangling absences (more than one row group of 122 880) and no in-file problems.
    write(tmp_path, "org_units.csv", ORG_UNITS)
    n = 130_000
    lines = "".join(f"S{i};E9;barsel;2025-01-01\n" for i in range(n))
    write(tmp_path, "absences.csv", "absence_id;engagement_id;cause;from_date\n" + lines)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        results = load(conn, tmp_path)
        sample = conn.execute(
            "SELECT reason, row_masked FROM audit.quarantine WHERE register = 'absences' "
            "ORDER BY row_number LIMIT 1"
        ).fetchall()
        per_reason = conn.execute(
            "SELECT reason, count(*) FROM audit.quarantine WHERE register = 'absences' GROUP BY 1"
        ).fetchall()
    assert results["absences.csv"].rows_quarantined == n
    assert sample == [("dangling_reference", "S0;E9;barsel;2025-01-01")]
    assert per_reason == [("dangling_reference", n)]


def test_batches_keep_row_numbers_and_find_duplicates_across_batches(tmp_path, monkeypatch):
    monkeypatch.setattr("ingest.registers.load.BATCH_ROWS", 2)
    write(tmp_path, "org_units.csv", ORG_UNITS)
    write(
        tmp_path,
        "engagements.csv",
        HEADER
        + "E1;0101901234;A;ordinaer;37;2025-01-01\n"  # batch 1, replaced by row 5
        + "E2;0101901234;A;ordinaer;37;2025-01-01\n"  # batch 1
        + "E3;0101901234;A;ordinaer;37;2025-13-01\n"  # batch 2, invalid date
        + "E4;0101901234;A;ordinaer;37;2025-01-01\n"  # batch 2
        + "E1;0101901234;A;ordinaer;10;2025-01-01\n",  # batch 3
    )
    messages: list[str] = []
    with duckdb.connect() as conn:
        results = load_registers(conn, tmp_path, messages.append)
        got = conn.execute(
            "SELECT engagement_id, weekly_hours, _row_number FROM raw.engagements ORDER BY 1"
        ).fetchall()
        assert problems(conn, "engagements") == {
            (1, "engagement_id", "error", "duplicate_key_in_file"),
            (3, "start_date", "error", "invalid_date"),
        }
    assert got == [("E1", 10.0, 5), ("E2", 37.0, 2), ("E4", 37.0, 4)]
    assert [m for m in messages if m.startswith("engagements.csv") and "læst" in m] == [
        "engagements.csv: 2 rækker læst …",
        "engagements.csv: 4 rækker læst …",
        "engagements.csv: 5 rækker læst …",
    ]
    engagements = next(r for r in results if r.file_name == "engagements.csv")
    assert (engagements.rows_read, engagements.rows_loaded, engagements.rows_quarantined) == (
        5,
        3,
        2,
    )
