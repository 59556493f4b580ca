"""The build's summary and failure line, on hand-made outcomes and a tiny warehouse."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from expectations.core import Suite, validate_frame
from ingest.raw_schema import create_raw_schema
from orchestration.build import BuildOutcome, CheckOutcome, read_facts, summary_lines
from orchestration.checks import check_metadata


def _outcome(database, checks=(), errors=(), steps=()) -> BuildOutcome:
    facts = read_facts(database) if database.exists() else None
    return BuildOutcome(
        facts=facts,
        database=database,
        as_of=date(2025, 11, 15),
        success=False,
        seconds=12.4,
        checks=list(checks),
        failed_steps=list(steps),
        errors=list(errors),
    )


def test_failure_line_names_the_blocking_check_first_in_danish(tmp_path):
    blocking = CheckOutcome(
        "raw/engagements", "raw_engagements", False, True, "gx", "Ansættelser: timetal ≤ 48."
    )
    warning = CheckOutcome("marts/x", "x_plausible", False, False, "gx", "X er plausibel.")
    outcome = _outcome(tmp_path / "w.duckdb", [warning, blocking], ["dbt build fejlede: a"])
    assert outcome.failure_message() == (
        "Bygget stoppede, fordi en blokerende kontrol fejlede:"
        " Ansættelser: timetal ≤ 48 (tabel raw.engagements)."
    )
    many = [CheckOutcome("s/a", f"t{i}", False, True, "dbt") for i in range(5)]
    assert _outcome(tmp_path / "w.duckdb", many).failure_message() == (
        "Bygget stoppede, fordi en blokerende kontrol fejlede: dbt-datatest t0 (tabel s.a);"
        " dbt-datatest t1 (tabel s.a); dbt-datatest t2 (tabel s.a) og 2 flere."
    )
    only_dbt = _outcome(
        tmp_path / "w.duckdb", [warning], ["dbt: dbt build fejlede: model.x: error\nmore"]
    )
    assert only_dbt.failure_message() == "Bygget fejlede i dbt: dbt build fejlede: model.x: error"


def test_summary_counts_rows_quarantine_and_checks_in_danish_numbers(tmp_path):
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as conn:
        create_raw_schema(conn)
        conn.execute(
            "INSERT INTO raw.org_units (org_unit_id, name, _source_file, _row_number)"
            " SELECT i::VARCHAR, 'Enhed', 'o.csv', i FROM range(1, 1235) AS t(i)"
        )
        # two problems in row 7 of e.csv (one rejected row), one in row 8, one warning
        conn.execute(
            "INSERT INTO audit.quarantine (file_name, row_number, severity, reason) VALUES"
            " ('e.csv', 7, 'error', 'invalid_cpr'), ('e.csv', 7, 'error', 'invalid_date'),"
            " ('e.csv', 8, 'error', 'invalid_date'), ('o.csv', 3, 'warning', 'unknown_code')"
        )
    checks = [
        CheckOutcome("raw/engagements", "raw_engagements", True, True, "gx", "Ansættelser."),
        CheckOutcome("marts/x", "x_plausible", False, False, "gx", "X: tallene er plausible."),
        CheckOutcome("staging/stg_x", "not_null_stg_x_id", True, True, "dbt"),
    ]
    lines = summary_lines(_outcome(database, checks))
    assert lines[0] == "Resumé (as_of 2025-11-15, bygget på 12 s):"
    assert lines[1].startswith("  Rækker pr. register: org_units 1.234, engagements 0, absences 0,")
    assert lines[2] == (
        "  Karantæne: 2 rækker afvist (fejl), 1 advarsler om rækker, der blev indlæst"
        " (se audit.quarantine)"
    )
    assert "  Kontroller: 1 af 2 GX-kontroller godkendt, 1 af 1 dbt-datatests bestået" in lines
    assert "  Advarsel: X: tallene er plausible (tabel marts.x)" in lines
    assert not any("Afstemning" in line for line in lines)  # no reconciliation mart here
    assert not any("Demo-dataene" in line for line in lines)  # only `rummelig demo` says so
    assert any("Demo-dataene" in line for line in summary_lines(_outcome(database), demo=True))


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
