"""The build's summary and failure line, on hand-made outcomes and a tiny warehouse."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from expectations.core import Suite, validate_frame
from ingest.raw_schema import create_raw_schema
from orchestration.build import BuildOutcome, CheckOutcome, summary_lines
from orchestration.checks import check_metadata


def _outcome(database, checks=(), errors=(), steps=()) -> BuildOutcome:
    return BuildOutcome(
        database=database,
        as_of=date(2025, 11, 15),
        success=False,
        seconds=12.4,
        checks=list(checks),
        failed_steps=list(steps),
        errors=list(errors),
    )


def test_failure_line_names_the_blocking_check_first(tmp_path):
    blocking = CheckOutcome("raw/engagements", "raw_engagements", False, True, "gx")
    warning = CheckOutcome("marts/x", "x_plausible", False, False, "gx")
    outcome = _outcome(tmp_path / "w.duckdb", [warning, blocking], ["dbt build fejlede: a"])
    assert outcome.failure_message() == (
        "Bygget stoppede: blokerende kontrol fejlede (raw/engagements/raw_engagements)."
    )
    many = [CheckOutcome("a", f"t{i}", False, True, "dbt") for i in range(5)]
    assert _outcome(tmp_path / "w.duckdb", many).failure_message() == (
        "Bygget stoppede: blokerende kontrol fejlede (a/t0, a/t1, a/t2 og 2 flere)."
    )
    only_dbt = _outcome(
        tmp_path / "w.duckdb", [warning], ["dbt build fejlede: model.x: error\nmore"]
    )
    assert only_dbt.failure_message() == "Bygget fejlede: dbt build fejlede: model.x: error"


def test_summary_counts_rows_quarantine_and_checks(tmp_path):
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as conn:
        create_raw_schema(conn)
        conn.execute(
            "INSERT INTO raw.org_units (org_unit_id, name, _source_file, _row_number)"
            " VALUES ('1', 'Kommune', 'o.csv', 1), ('2', 'Skole', 'o.csv', 2)"
        )
        conn.execute(
            "INSERT INTO audit.quarantine (file_name, severity, reason) VALUES"
            " ('e.csv', 'error', 'invalid_cpr'), ('e.csv', 'error', 'invalid_date'),"
            " ('o.csv', 'warning', 'unknown_code')"
        )
    checks = [
        CheckOutcome("raw/engagements", "raw_engagements", True, True, "gx"),
        CheckOutcome("marts/x", "x_plausible", False, False, "gx"),
        CheckOutcome("staging/stg_x", "not_null_stg_x_id", True, True, "dbt"),
    ]
    lines = summary_lines(_outcome(database, checks))
    assert lines[0] == "Resumé (as_of 2025-11-15, 12 s):"
    assert lines[1].startswith("  Rækker pr. register: org_units 2, engagements 0, absences 0,")
    assert lines[2] == "  Karantæne: 2 fejl (række afvist), 1 advarsler (række indlæst)"
    assert "  Kontroller: GX 1/2 ok, dbt-tests 1/1 ok" in lines
    assert "  Fejlet kontrol (gx, advarsel): marts/x/x_plausible" in lines
    assert not any("Afstemning" in line for line in lines)  # no reconciliation mart here


def test_check_metadata_has_pass_percentages_and_masked_samples():
    import great_expectations as gx

    suite = Suite(
        name="s",
        table="raw.engagements",
        expectations=lambda: [
            gx.expectations.ExpectColumnValuesToBeBetween(column="h", max_value=48),
        ],
    )
    frame = pd.DataFrame({"h": [37.0, 60.0, 10.0, 20.0], "note": ["", "1234567890", "", ""]})
    metadata = check_metadata(validate_frame(frame, suite))
    # 1 of 4 rows above 48 → 75 % pass
    assert metadata["pass_pct · expect_column_values_to_be_between(h)"].value == 75.0
    assert metadata["failed_expectations"] == 1 and metadata["severity"] == "fatal"
    assert metadata["sample_rows"].data == [{"h": "60.0", "note": "123456-****"}]
