"""config/targets.csv as people write it (docs/domain.md §3.5 in the §3.2 dialect): every dialect
variant loads, every bad row is quarantined with its reason, the file is logged, reloads are
idempotent."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingest.landing import load_landing
from ingest.raw_schema import create_raw_schema
from ingest.targets import KPI_DEFINITIONS_CSV, kpi_names, load_targets
from tests.ingest.landing_helpers import ORG_UNITS, write

HEADER = "kpi;scope_type;scope_id;period_start;period_end;target_value;direction;source"


def _load(path: Path):
    conn = duckdb.connect()
    create_raw_schema(conn)
    result = load_targets(conn, path)
    return conn, result


def _targets(conn) -> list[tuple]:
    return conn.execute(
        """SELECT kpi, scope_type, scope_id, period_start, period_end, target_value, direction,
                  source, file_row FROM raw.targets ORDER BY file_row"""
    ).fetchall()


def _quarantine(conn) -> list[tuple]:
    return conn.execute(
        """SELECT file_name, register, row_number, column_name, severity, reason, detail,
                  row_masked FROM audit.quarantine ORDER BY row_number, column_name"""
    ).fetchall()


def _log(conn) -> list[tuple]:
    return conn.execute(
        """SELECT file_name, source, register, status, rows_read, rows_loaded, rows_quarantined,
                  message FROM audit.load_log ORDER BY loaded_at"""
    ).fetchall()


def test_a_file_saved_from_danish_excel_loads(tmp_path):
    """`;`, DD-MM-YYYY, decimal comma, BOM, CRLF, a quoted cell holding `;`, headers in any case
    with spaces."""
    text = (
        "\ufeffKPI ; Scope_Type;SCOPE_ID;Period_Start;period_end;target_value;Direction;Source\r\n"
        'sickness_pct_ordinaere;kommune;615;01-01-2025;31-12-2025;5,5;max;"HMU; årshjul"\r\n'
        "Placements_Active;Kommune;615;01.01.2025;31.03.2025;40;MIN;byraad\r\n"
        "quota_breaches;area;Børn og Unge;2025-01-01;2025-12-31;0;max;\r\n"
    )
    conn, result = _load(write(tmp_path, "targets.csv", text))
    assert _targets(conn) == [
        ("sickness_pct_ordinaere", "kommune", "615", date(2025, 1, 1), date(2025, 12, 31), 5.5,
         "max", "HMU; årshjul", 1),
        ("placements_active", "kommune", "615", date(2025, 1, 1), date(2025, 3, 31), 40.0,
         "min", "byraad", 2),
        ("quota_breaches", "area", "Børn og Unge", date(2025, 1, 1), date(2025, 12, 31), 0.0,
         "max", None, 3),
    ]  # fmt: skip
    assert _quarantine(conn) == []
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        "loaded", 3, 3, 0
    )  # fmt: skip


def test_comma_separator_with_decimal_point_and_quoted_comma(tmp_path):
    text = (
        "kpi,scope_type,scope_id,period_start,period_end,target_value,direction,source\n"
        'sickness_pct_alle,kommune,615,2025-01-01,2025-12-31,"6,25",max,"HMU, byråd"\n'
        "rettidighed_pct,kommune,615,2025-01-01,2025-03-31,95.5,min,jobcenter\n"
    )
    conn, _ = _load(write(tmp_path, "targets.csv", text))
    got = [(r[0], r[5], r[7]) for r in _targets(conn)]
    assert got == [
        ("sickness_pct_alle", 6.25, "HMU, byråd"),
        ("rettidighed_pct", 95.5, "jobcenter"),
    ]


def test_source_column_may_be_missing_and_extra_columns_are_ignored(tmp_path):
    text = (
        "kpi;scope_type;scope_id;period_start;period_end;target_value;direction;kommentar\n"
        "quota_breaches;kommune;615;2025-01-01;2025-12-31;0;max;fra HMU-mødet\n"
    )
    conn, _ = _load(write(tmp_path, "targets.csv", text))
    assert [(r[0], r[7]) for r in _targets(conn)] == [("quota_breaches", None)]


BAD_ROWS = [
    # (row, column, reason, detail)
    ("nyt_maal;kommune;615;2025-01-01;2025-12-31;5;max;HMU", "kpi", "unknown_code",
     "kpi: 'nyt_maal' er ikke en kendt kode (tilladt: " + ", ".join(
         r["kpi"] for r in csv.DictReader(KPI_DEFINITIONS_CSV.open(encoding="utf-8"),
                                          delimiter=";")) + ")"),
    ("quota_breaches;region;615;2025-01-01;2025-12-31;0;max;HMU", "scope_type", "unknown_code",
     "scope_type: 'region' er ikke en kendt kode (tilladt: kommune, area, org_unit)"),
    ("quota_breaches;kommune;615;2025-02-30;2025-12-31;0;max;HMU", "period_start",
     "invalid_date", "period_start: '2025-02-30' er ikke en gyldig dato "
     "(ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)"),
    ("quota_breaches;kommune;615;2025-01-01;31/12/2025;0;max;HMU", "period_end", "invalid_date",
     "period_end: '31/12/2025' er ikke en gyldig dato (ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)"),
    ("quota_breaches;kommune;615;31-12-2025;01-01-2025;0;max;HMU", "period_end",
     "end_before_start", "period_end 2025-01-01 ligger før period_start 2025-12-31"),
    ("quota_breaches;kommune;615;2025-01-01;2025-12-31;0;højst;HMU", "direction", "unknown_code",
     "direction: 'højst' er ikke en kendt kode (tilladt: min, max)"),
    ("sickness_pct_alle;kommune;615;2025-01-01;2025-12-31;5 %;max;HMU", "target_value",
     "invalid_number", "target_value: '5 %' er ikke et tal"),
    ("sickness_pct_alle;kommune;615;2025-01-01;2025-12-31;;max;HMU", "target_value",
     "missing_required", "target_value: påkrævet værdi mangler"),
    ("sickness_pct_alle;kommune;;2025-01-01;2025-12-31;5;max;HMU", "scope_id",
     "missing_required", "scope_id: påkrævet værdi mangler"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "column", "reason", "detail"), BAD_ROWS)
def test_each_bad_row_is_quarantined_with_its_reason_and_the_rest_loads(
    tmp_path, line, column, reason, detail
):
    good = "quota_breaches;kommune;615;2025-01-01;2025-12-31;0;max;HMU"
    conn, result = _load(write(tmp_path, "targets.csv", f"{HEADER}\n{good}\n{line}\n{good}\n"))
    assert _quarantine(conn) == [
        ("targets.csv", "targets", 2, column, "error", reason, detail, line)
    ]
    assert [r[-1] for r in _targets(conn)] == [1, 3]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert result.message == "1 række(r) i karantæne"


def test_one_row_with_several_problems_is_one_quarantined_row(tmp_path):
    line = "ukendt;by;615;xx;2025-12-31;ti;op;HMU"
    conn, result = _load(write(tmp_path, "targets.csv", f"{HEADER}\n{line}\n"))
    reasons = [(r[3], r[5]) for r in _quarantine(conn)]
    assert reasons == [
        ("direction", "unknown_code"),
        ("kpi", "unknown_code"),
        ("period_start", "invalid_date"),
        ("scope_type", "unknown_code"),
        ("target_value", "invalid_number"),
    ]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (1, 0, 1)


def test_cpr_in_a_bad_row_is_masked(tmp_path):
    line = "quota_breaches;kommune;615;2025-01-01;2025-12-31;0;max;spurgt 010190-1234"
    conn, _ = _load(write(tmp_path, "targets.csv", f"{HEADER}\n{line.replace('max', 'mest')}\n"))
    direction, source = _quarantine(conn)
    masked = "quota_breaches;kommune;615;2025-01-01;2025-12-31;0;mest;spurgt 010190-****"
    assert direction[3:6] + direction[-1:] == ("direction", "error", "unknown_code", masked)
    # the CPR in the free-text source is masked before storage, with a warning
    assert source[3:6] == ("source", "warning", "cpr_in_text")


def test_a_missing_column_fails_the_file_and_keeps_the_last_good_targets(tmp_path):
    good = write(tmp_path, "targets.csv", f"{HEADER}\nquota_breaches;kommune;615;2025-01-01;"
                 "2025-12-31;0;max;HMU\n")  # fmt: skip
    conn, _ = _load(good)
    write(tmp_path, "targets.csv", "kpi;scope_type;scope_id;period_start;period_end;value\n")
    result = load_targets(conn, good)
    assert result.status == "failed"
    assert result.message == ("targets.csv: mangler påkrævet kolonnerne target_value, direction")
    assert len(_targets(conn)) == 1
    assert [r[3] for r in _log(conn)] == ["loaded", "failed"]


def test_a_file_that_is_not_utf8_fails_with_the_reason(tmp_path):
    text = f"{HEADER}\nquota_breaches;area;Børn og Unge;2025-01-01;2025-12-31;0;max;HMU\n"
    conn, result = _load(write(tmp_path, "targets.csv", text, encoding="cp1252"))
    assert result.status == "failed"
    assert result.message.startswith("targets.csv: ikke UTF-8-kodet (ugyldig byte ved position")
    assert _targets(conn) == []


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    path = write(
        tmp_path,
        "targets.csv",
        f"{HEADER}\nquota_breaches;kommune;615;2025-01-01;2025-12-31;0;max;HMU\n"
        "quota_breaches;kommune;615;2025-01-01;2024-12-31;0;max;HMU\n",
    )
    conn, first = _load(path)
    before = (_targets(conn), _quarantine(conn))
    second = load_targets(conn, path)
    assert (_targets(conn), _quarantine(conn)) == before
    assert (first.status, second.status) == ("loaded", "skipped")
    assert [r[:8] for r in _log(conn)] == [
        ("targets.csv", "config", "targets", "loaded", 2, 1, 1, "1 række(r) i karantæne"),
        ("targets.csv", "config", "targets", "skipped", 0, 0, 0,
         "allerede indlæst med samme indhold"),
    ]  # fmt: skip
    # A changed file is loaded again and replaces the targets and their quarantine entries.
    write(tmp_path, "targets.csv", f"{HEADER}\nquota_breaches;kommune;615;2026-01-01;"
          "2026-12-31;1;max;HMU\n")  # fmt: skip
    assert load_targets(conn, path).status == "loaded"
    assert [(r[3], r[8]) for r in _targets(conn)] == [(date(2026, 1, 1), 1)]
    assert _quarantine(conn) == []


def test_no_targets_file_means_no_targets(tmp_path):
    path = write(tmp_path, "targets.csv", f"{HEADER}\nquota_breaches;kommune;615;2025-01-01;"
                 "2025-12-31;0;max;HMU\n")  # fmt: skip
    conn, _ = _load(path)
    path.unlink()
    assert load_targets(conn, path) is None
    assert _targets(conn) == []


def test_the_kpi_list_is_the_seed_of_fct_kpi():
    assert kpi_names() == (
        "placements_active",
        "quota_workplaces_over_pct",
        "quota_breaches",
        "sickness_pct_alle",
        "sickness_pct_ordinaere",
        "sickness_pct_inklusion",
        "retention_13_26_pct",
        "placement_employment_pct",
        "rettidighed_pct",
        "rettidighed_first_pct",
    )


def test_load_landing_logs_targets_and_goes_on_with_the_good_rows(tmp_path):
    landing = tmp_path / "landing"
    write(landing / "registers", "org_units.csv", ORG_UNITS)
    write(  # org_units and engagements are required (a build without them stops)
        landing / "registers",
        "engagements.csv",
        "engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date\n"
        "E1;0101901234;A;ordinaer;37;2024-01-01\n",
    )
    write(
        landing / "config",
        "targets.csv",
        f"{HEADER}\nquota_breaches;kommune;615;01-01-2025;31-12-2025;0;max;HMU\n"
        "quota_breaches;kommune;615;01-01-2025;2025-12-31;0;max;HMU\n"
        "quota_breaches;kommune;615;01-01-2025;31-12-2025;nul;max;HMU\n",
    )
    messages: list[str] = []
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        summary = load_landing(conn, landing, progress=messages.append)
        log = conn.execute(
            "SELECT source, register, status, rows_read, rows_loaded, rows_quarantined"
            " FROM audit.load_log WHERE file_name = 'targets.csv'"
        ).fetchall()
    assert log == [("config", "targets", "loaded", 3, 2, 1)]
    assert summary.rows_loaded["targets"] == 2
    assert summary.rows_quarantined["targets"] == 1
    assert summary.rows_quarantined["jobindsats"] == 0
    assert "  targets: 2 rækker, 1 i karantæne" in summary.lines()
    assert "måltal: targets.csv indlæst" in messages


def test_targets_naming_no_kpi_scope_warn_by_the_fct_kpi_rule(tmp_path):
    """Areas are the units directly below the root, named by id, name or `area` in any case;
    an org_unit target must name such a unit (fct_kpi has no rows for units further down)."""
    landing = tmp_path / "landing"
    write(landing / "registers", "org_units.csv", ORG_UNITS)  # K → A (area "Børn og unge") → A1
    write(
        landing / "registers",
        "engagements.csv",
        "engagement_id;cpr;org_unit_id;engagement_type;weekly_hours;start_date\n"
        "E1;0101901234;A;ordinaer;37;2024-01-01\n",
    )
    rows = [
        "quota_breaches;area; BØRN OG UNGE ;2025-01-01;2025-12-31;0;max;HMU",  # area value
        "quota_breaches;area;skolen;2025-01-01;2025-12-31;0;max;HMU",  # unit name
        "quota_breaches;area;a;2025-01-01;2025-12-31;0;max;HMU",  # unit id, other case
        "quota_breaches;org_unit;A;2025-01-01;2025-12-31;0;max;HMU",
        "quota_breaches;org_unit;A1;2025-01-01;2025-12-31;0;max;HMU",  # below the area
        "quota_breaches;area;Skolens SFO;2025-01-01;2025-12-31;0;max;HMU",  # below the area
        "quota_breaches;org_unit;a;2025-01-01;2025-12-31;0;max;HMU",  # ids are exact
    ]
    write(landing / "config", "targets.csv", "\n".join([HEADER, *rows]) + "\n")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        summary = load_landing(conn, landing)
    unused = [w.split(":")[0] for w in summary.warnings if "måltallet" in w]
    assert unused == ["targets.csv række 5", "targets.csv række 6", "targets.csv række 7"]
