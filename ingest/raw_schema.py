"""The tables ingest writes: the contract between ingest/ and dbt_project/ (sources `raw.*`).

Every register table holds the *final* loaded rows (de-duplicated on the key, later file wins,
reference checks passed). CPR never appears: `person_key` (HMAC-SHA256) and `birth_date` replace it.
Codes are stored in their canonical spelling (docs/domain.md §3.3). `_source_file` / `_row_number`
trace every row back to its landing file (row 1 = first data row).
"""

from __future__ import annotations

import duckdb

REGISTER_TABLES: dict[str, str] = {
    "org_units": """
        org_unit_id VARCHAR NOT NULL, name VARCHAR NOT NULL, parent_id VARCHAR, p_number VARCHAR,
        workplace_type VARCHAR, area VARCHAR,
        inclusion_approved_from DATE, inclusion_approved_to DATE""",
    "engagements": """
        engagement_id VARCHAR NOT NULL, person_key VARCHAR NOT NULL, birth_date DATE NOT NULL,
        org_unit_id VARCHAR NOT NULL, engagement_type VARCHAR NOT NULL,
        weekly_hours DOUBLE NOT NULL, start_date DATE NOT NULL, end_date DATE,
        end_reason VARCHAR, union_area VARCHAR, job_title VARCHAR""",
    "absences": """
        absence_id VARCHAR NOT NULL, engagement_id VARCHAR NOT NULL, cause VARCHAR NOT NULL,
        from_date DATE NOT NULL, to_date DATE, hours DOUBLE, s56 BOOLEAN NOT NULL""",
    "placements": """
        placement_id VARCHAR NOT NULL, person_key VARCHAR NOT NULL, birth_date DATE NOT NULL,
        org_unit_id VARCHAR NOT NULL, scheme VARCHAR NOT NULL, benefit_group VARCHAR,
        weekly_hours DOUBLE, start_date DATE NOT NULL, planned_end_date DATE, end_date DATE,
        end_reason VARCHAR, previous_placement_id VARCHAR""",
    "sdp_cases": """
        case_id VARCHAR NOT NULL, person_key VARCHAR NOT NULL, birth_date DATE NOT NULL,
        first_absence_date DATE NOT NULL, employment_status VARCHAR, case_end_date DATE,
        end_reason VARCHAR, fast_track_requested_date DATE""",
    "sdp_events": """
        event_id VARCHAR NOT NULL, case_id VARCHAR NOT NULL, event_date DATE NOT NULL,
        event_type VARCHAR NOT NULL, category INTEGER, status VARCHAR""",
}

LINEAGE_COLUMNS = "_source_file VARCHAR NOT NULL, _row_number INTEGER NOT NULL"

OTHER_TABLES: dict[str, str] = {
    # jobindsats facts, normalised and de-duplicated (later extract wins), docs/domain.md §5.7.
    "jobindsats": """
        table_id VARCHAR NOT NULL, measure VARCHAR NOT NULL, area_name VARCHAR NOT NULL,
        municipality_code VARCHAR, area_level VARCHAR NOT NULL, period_code VARCHAR NOT NULL,
        period_type VARCHAR NOT NULL, period_start DATE NOT NULL, period_end DATE NOT NULL,
        dimensions VARCHAR NOT NULL, value DOUBLE, suppressed BOOLEAN NOT NULL,
        source_file VARCHAR NOT NULL""",
    # Rules (docs/domain.md §4) as data: defaults overridden by config/rules.yml.
    "rules_general": """
        municipality_code VARCHAR NOT NULL, full_time_hours DOUBLE NOT NULL,
        dagsvaerk_hours DOUBLE NOT NULL, small_cell_min_persons INTEGER NOT NULL,
        history_months INTEGER NOT NULL, local_quota_ratio DOUBLE NOT NULL,
        local_quota_basis VARCHAR NOT NULL, local_quota_minimum_allowed INTEGER NOT NULL,
        require_inclusion_approval BOOLEAN NOT NULL, karens_months INTEGER NOT NULL,
        conversation_trigger_days INTEGER NOT NULL, retention_weeks INTEGER NOT NULL,
        retention_retained_weeks INTEGER NOT NULL, placement_followup_days INTEGER NOT NULL,
        employment_min_days INTEGER NOT NULL""",
    # Code lists: rule_set in (local_quota_schemes, sickness_causes, statutory_schemes,
    # sdp_categories); version_name names the versioned rule for the last two, else null.
    "rules_code_sets": "rule_set VARCHAR NOT NULL, version_name VARCHAR, code VARCHAR NOT NULL",
    "rules_statutory_ratio": """
        name VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE, basis VARCHAR NOT NULL,
        source VARCHAR""",
    "rules_sickness_bands": "band VARCHAR NOT NULL, min_days INTEGER NOT NULL, max_days INTEGER",
    "rules_sdp_followup": """
        name VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE,
        first_due_days INTEGER NOT NULL, fast_track_days INTEGER NOT NULL, then_count INTEGER,
        then_within_days INTEGER, then_interval_days INTEGER, source VARCHAR""",
    # The HMU's annual wheel (rules.yml `aarshjul`): the topic of the meeting in each month that
    # has one (the hmu report draws it).
    "rules_aarshjul": "month INTEGER NOT NULL, topic VARCHAR NOT NULL",
    # config/targets.csv (docs/domain.md §3.5); file_row keeps file order: E23's "later row wins".
    "targets": """
        kpi VARCHAR NOT NULL, scope_type VARCHAR NOT NULL, scope_id VARCHAR NOT NULL,
        period_start DATE NOT NULL, period_end DATE NOT NULL, target_value DOUBLE NOT NULL,
        direction VARCHAR NOT NULL, source VARCHAR, file_row INTEGER NOT NULL""",
}

AUDIT_TABLES: dict[str, str] = {
    "load_log": """
        file_name VARCHAR NOT NULL, source VARCHAR NOT NULL, register VARCHAR,
        sha256 VARCHAR, status VARCHAR NOT NULL, rows_read BIGINT NOT NULL,
        rows_loaded BIGINT NOT NULL, rows_quarantined BIGINT NOT NULL, message VARCHAR,
        loaded_at TIMESTAMP NOT NULL""",
    "quarantine": """
        file_name VARCHAR NOT NULL, register VARCHAR, row_number BIGINT, column_name VARCHAR,
        severity VARCHAR NOT NULL, reason VARCHAR NOT NULL, detail VARCHAR, row_masked VARCHAR""",
}


def create_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create every raw.* and audit.* table (empty) if missing, so dbt can build on a new file."""
    conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
    conn.execute("CREATE SCHEMA IF NOT EXISTS audit")
    for table, columns in REGISTER_TABLES.items():
        conn.execute(f"CREATE TABLE IF NOT EXISTS raw.{table} ({columns}, {LINEAGE_COLUMNS})")
    for table, columns in OTHER_TABLES.items():
        conn.execute(f"CREATE TABLE IF NOT EXISTS raw.{table} ({columns})")
    for table, columns in AUDIT_TABLES.items():
        conn.execute(f"CREATE TABLE IF NOT EXISTS audit.{table} ({columns})")
