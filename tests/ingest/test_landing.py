"""load_landing over a whole landing folder, its summary, and the privacy guarantee (§7)."""

from __future__ import annotations

import re

import duckdb
import pytest

from ingest.errors import IngestError
from ingest.landing import load_landing
from tests.ingest.landing_helpers import ORG_UNITS, write

HASH_COLUMNS = {"person_key", "sha256", "_file_sha256", "key_check"}
CPRS = ["010190-1234", "0202851234", "290200-4000", "3102901234", "1111111111"]


@pytest.fixture
def landing(tmp_path):
    registers = tmp_path / "landing" / "registers"
    write(registers, "org_units.csv", ORG_UNITS)
    write(
        registers,
        "engagements.csv",
        "engagement_id,cpr,org_unit_id,engagement_type,weekly_hours,start_date,job_title\n"
        "E1,010190-1234,A,ordinaer,37,2024-01-01,pædagog\n"
        "E2,0202851234,NOPE,ordinaer,37,2024-01-01,\n"  # dangling: quarantined with its CPR
        "E3,3102901234,A,ordinaer,37,2024-01-01,\n"  # invalid CPR
        "E4,290200-4000,A,ordinaer,99,2024-01-01,note 1111111111\n",  # CPR-like text too
    )
    write(
        registers,
        "placements.csv",
        "placement_id;cpr;org_unit_id;scheme;start_date\n"
        "P1;0202851234;A;nyttejob;2024-02-01\n"
        "P2;0202851234;A;nyttejob;2024-02-30\n",
    )
    write(registers, "sdp_cases.csv", "case_id;cpr;first_absence_date\nC1;290200-4000;2024-01-01\n")
    write(tmp_path / "landing" / "jobindsats", ".keep", "")
    return tmp_path / "landing"


def test_load_landing_summary_and_progress(landing, tmp_path):
    messages: list[str] = []
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        summary = load_landing(conn, landing, progress=messages.append)
        rules = conn.execute("SELECT municipality_code FROM raw.rules_general").fetchall()
    assert rules == [("615",)]
    assert summary.rows_loaded["engagements"] == 1
    assert summary.rows_quarantined["engagements"] == 3
    assert summary.rows_loaded["placements"] == 1
    assert (summary.files_loaded, summary.files_skipped, summary.files_failed) == (4, 0, 0)
    assert "engagements.csv: 4 rækker læst …" in messages
    lines = summary.lines()
    assert lines[0] == "Filer: 4 indlæst, 0 sprunget over (uændrede), 0 fejlet"
    assert "  engagements: 1 rækker, 3 i karantæne" in lines


def test_missing_input_folder_is_an_ingest_error(tmp_path):
    with duckdb.connect() as conn, pytest.raises(IngestError, match="Inputmappen findes ikke"):
        load_landing(conn, tmp_path / "missing")


def test_no_cpr_in_any_text_column_of_any_table(landing, tmp_path):
    database = tmp_path / "privacy.duckdb"
    with duckdb.connect(str(database)) as conn:
        load_landing(conn, landing)
        load_landing(conn, landing)  # a re-run writes skipped rows too
    cpr_like = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
    with duckdb.connect(str(database), read_only=True) as conn:
        columns = conn.execute(
            """SELECT table_schema, table_name, column_name FROM information_schema.columns
               WHERE data_type = 'VARCHAR' AND table_catalog = current_database()"""
        ).fetchall()
        assert len({(s, t) for s, t, _ in columns}) >= 12  # raw, staging and audit tables
        scanned = 0
        for schema, table, column in columns:
            values = conn.execute(
                f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}" WHERE "{column}" IS NOT NULL'
            ).fetchall()
            for (value,) in values:
                scanned += 1
                for cpr in CPRS:
                    assert cpr not in value and cpr.replace("-", "") not in value, (table, column)
                # Hashes and P-numbers are digit-rich by definition (a hex hash holds a run of
                # exactly ten digits now and then): they are checked for their own shape instead,
                # and for the test CPRs above.
                if column in HASH_COLUMNS:
                    assert re.fullmatch(r"[0-9a-f]{16,64}", value), (schema, table, column)
                    continue
                if column == "p_number":
                    assert re.fullmatch(r"\d{10}", value), (schema, table)
                    continue
                assert not cpr_like.search(value), (schema, table, column, value)
        masked = conn.execute(
            "SELECT row_masked FROM audit.quarantine WHERE register = 'engagements' "
            "ORDER BY row_number"
        ).fetchall()
    assert scanned > 50
    # the quarantine keeps the raw rows, with CPR digits masked as DDMMYY-****
    assert ("E2,020285-****,NOPE,ordinaer,37,2024-01-01,",) in masked
    assert ("E4,290200-****,A,ordinaer,99,2024-01-01,note 111111-****",) in masked


def test_missing_config_file_is_an_ingest_error(landing):
    with duckdb.connect() as conn, pytest.raises(IngestError, match="Regelfilen findes ikke"):
        load_landing(conn, landing, config_path=landing / "nope.yml")
