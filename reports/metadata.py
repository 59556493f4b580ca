"""What every report header says about its data: build facts, synthetic data, data quality.

Read from marts.meta_build, marts.meta_data_quality and the root of marts.dim_org_unit. The
data-quality box lists only the registers the report reads (`ReportSpec.registers`), in plain
Danish: what was left out and what was loaded with a caveat.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import duckdb

from reports.formatting import fmt_int
from reports.labels import label
from reports.warehouse import records, table_exists

DEFAULT_MIN_PERSONS = 5  # docs/domain.md §4 default of small_cell_min_persons
SYNTHETIC_MARK = "syntetisk"


def _plural(n: int, one: str, many: str) -> str:
    return f"{fmt_int(n)} {one if n == 1 else many}"


def _reasons(reasons: list[dict], severity: str) -> str:
    parts = [
        f"{label(r['reason'], 'quarantine_reason')}: {fmt_int(r['problems'])}"
        for r in reasons or []
        if r.get("severity") == severity
    ]
    return f" ({'; '.join(parts)})" if parts else ""


def data_quality_lines(rows: list[dict]) -> list[str]:
    """Plain Danish sentences for the data-quality box, one or more per register."""
    out = []
    for r in rows:
        if r["source"] == "jobindsats":
            what = f"jobindsats.dk, tabel {r.get('register')}"
        else:
            what = label(r.get("register"), "register", "Ukendt register")
        if r.get("files_failed"):
            files = "; ".join(r.get("failed_files") or [])
            out.append(
                f"{what}: {_plural(r['files_failed'], 'fil', 'filer')} kunne ikke læses og "
                f"er ikke med" + (f" ({files})" if files else "") + "."
            )
        quarantined = r.get("rows_quarantined") or 0
        if quarantined:
            read = r.get("rows_read") or 0
            of = f" af {fmt_int(read)}" if read else ""
            out.append(
                f"{what}: {_plural(quarantined, 'række', 'rækker')}{of} blev afvist ved "
                f"indlæsningen og er ikke med i tallene{_reasons(r.get('reasons'), 'error')}."
            )
        if r.get("warnings"):
            out.append(
                f"{what}: {_plural(r['warnings'], 'række', 'rækker')} er med, men med et "
                f"forbehold{_reasons(r.get('reasons'), 'warning')}."
            )
    return out


def _uses(row: dict, registers: Iterable[str] | None, jobindsats_tables: Iterable[str] | None):
    if row["source"] == "jobindsats":
        return jobindsats_tables is not None and (
            not jobindsats_tables or row.get("register") in set(jobindsats_tables)
        )
    return registers is None or row.get("register") in set(registers)


def report_meta(
    conn: duckdb.DuckDBPyConnection,
    registers: Iterable[str] | None = None,
    jobindsats_tables: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Build facts for a report header.

    registers: the registers the report uses (None = all); jobindsats_tables: the jobindsats
    tables it uses (None = none, empty = all). Missing meta marts do not stop a report: the
    fields become None and a line in the data-quality box says so.
    """
    registers = None if registers is None else tuple(registers)
    meta: dict[str, Any] = {
        "as_of": None,
        "window_start": None,
        "window_end": None,
        "built_at": None,
        "municipality_code": None,
        "municipality_name": None,
        "history_months": None,
        "small_cell_min_persons": DEFAULT_MIN_PERSONS,
        "synthetic": False,
        "data_quality": [],
        "warnings": [],
        "dq_registers": [],
        "generated_at": datetime.now().replace(microsecond=0),
    }
    if table_exists(conn, "marts.meta_build"):
        rows = records(conn, "select * from marts.meta_build")
        if rows:
            meta.update({k: v for k, v in rows[0].items() if k in meta and v is not None})
    else:
        meta["warnings"].append("Oplysninger om dataopbygningen mangler (marts.meta_build).")
    if table_exists(conn, "marts.dim_org_unit"):
        roots = records(conn, "select name from marts.dim_org_unit where parent_id is null")
        meta["synthetic"] = any(SYNTHETIC_MARK in (r["name"] or "").lower() for r in roots)
    if table_exists(conn, "marts.meta_data_quality"):
        dq = records(conn, "select * from marts.meta_data_quality order by source, register")
        dq = [r for r in dq if _uses(r, registers, jobindsats_tables)]
        meta["data_quality"] = dq
        meta["warnings"] += data_quality_lines(dq)
    else:
        meta["warnings"].append("Datakvaliteten er ukendt (marts.meta_data_quality mangler).")
    names = [label(r, "register") for r in registers or ()]
    if jobindsats_tables is not None:
        names.append("jobindsats.dk")
    meta["dq_registers"] = names
    return meta
