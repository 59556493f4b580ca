"""Loads that run but cannot be what the user meant: registers without rows, an as_of outside
the data, targets for units that do not exist. Messages are Danish and say what to check."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

from ingest.audit import FileResult
from ingest.registers.specs import REGISTER_ORDER

# Without these two nothing can be computed: a build without them stops (docs/domain.md §3.3).
REQUIRED_REGISTERS = ("org_units", "engagements")
# Dates that say when something happened; as_of is compared with their range.
ACTIVITY_DATES = {
    "engagements": "start_date",
    "placements": "start_date",
    "absences": "from_date",
    "sdp_cases": "first_absence_date",
    "sdp_events": "event_date",
}
STALE_AFTER = timedelta(days=365)


def _why_empty(register: str, files: list[FileResult], registers_dir: Path) -> str:
    mine = [f for f in files if f.register == register]
    if not mine:
        return f"der er ingen fil {register}*.csv i {registers_dir}"
    names = ", ".join(f.file_name for f in mine)
    return f"filerne ({names}) gav 0 indlæste rækker (se audit.load_log og audit.quarantine)"


def empty_register_problems(
    rows_loaded: dict[str, int], files: list[FileResult], landing: Path
) -> tuple[str | None, list[str]]:
    """(the message that stops the build, or None; warnings) for registers without rows."""
    registers_dir = landing / "registers"
    fatal = []
    warnings = []
    for register in REGISTER_ORDER:
        if rows_loaded.get(register, 0):
            continue
        why = _why_empty(register, files, registers_dir)
        if register in REQUIRED_REGISTERS:
            fatal.append(f"Registret {register} har ingen rækker: {why}.")
        else:
            warnings.append(
                f"Registret {register} har ingen rækker ({why}); tal, der bygger på det, "
                "bliver tomme."
            )
    if not fatal:
        return None, warnings
    message = " ".join(fatal) + (
        " Bygget er stoppet, for uden enheder og ansættelser bliver alle tal tomme; "
        "læg registrene i registers/ og kør igen."
    )
    return message, warnings


def implausible_as_of(conn: duckdb.DuckDBPyConnection, as_of: date | None) -> list[str]:
    """Warnings when as_of lies before all data or more than a year after the latest."""
    if as_of is None:
        return []
    union = " UNION ALL ".join(f"SELECT {c} AS d FROM raw.{t}" for t, c in ACTIVITY_DATES.items())
    first, last = conn.execute(f"SELECT min(d), max(d) FROM ({union})").fetchone()
    if first is None:
        return []
    warnings = []
    if as_of < first:
        warnings.append(
            f"as_of {as_of.isoformat()} ligger før alle data (den tidligste dato er "
            f"{first.isoformat()}): alle rækker starter efter as_of og tælles ikke med, så "
            "tallene bliver tomme. Er as_of rigtig?"
        )
    elif as_of > last + STALE_AFTER:
        warnings.append(
            f"as_of {as_of.isoformat()} ligger mere end et år efter de seneste data (den seneste "
            f"start-, fraværs- eller hændelsesdato er {last.isoformat()}). Er as_of rigtig, "
            "eller mangler en nyere leverance?"
        )
    return warnings


def unknown_target_scopes(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """A warning per target whose scope names nothing fct_kpi reports on, by the matching rule
    of fct_kpi (docs/decisions/kpi.md): kommune = the municipality_code of rules.yml; area = a
    unit directly below a root, named by its org_unit_id, name or `area` (trimmed,
    case-insensitive); org_unit = such a unit's org_unit_id. The targets reader has already
    quarantined unknown KPIs; units are known only once the registers are loaded."""
    rows = conn.execute(
        """WITH areas AS (
               SELECT org_unit_id, name, area FROM raw.org_units
               WHERE parent_id IN (SELECT org_unit_id FROM raw.org_units WHERE parent_id IS NULL)),
           area_names AS (
               SELECT lower(org_unit_id) AS key FROM areas
               UNION SELECT lower(trim(name)) FROM areas
               UNION SELECT lower(trim(area)) FROM areas WHERE area IS NOT NULL)
           SELECT file_row, scope_type, scope_id, kpi FROM raw.targets
           WHERE (scope_type = 'org_unit'
                  AND scope_id NOT IN (SELECT org_unit_id FROM areas))
              OR (scope_type = 'area'
                  AND lower(trim(scope_id)) NOT IN (SELECT key FROM area_names))
              OR (scope_type = 'kommune'
                  AND scope_id NOT IN (SELECT municipality_code FROM raw.rules_general))
           ORDER BY file_row"""
    ).fetchall()
    return [
        f"targets.csv række {row}: måltallet for {kpi} gælder {scope_type} '{scope_id}', som "
        "hverken er kommunekoden i rules.yml eller et område (en enhed lige under roden i "
        "org_units); det bruges ikke."
        for row, scope_type, scope_id, kpi in rows
    ]
