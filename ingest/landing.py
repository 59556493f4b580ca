"""The landing folder as a whole (docs/domain.md §3.1): rules, registers, jobindsats extracts.

Besides loading, it says what it did not read (ingest/delivery.py) and what looks implausible
(ingest/plausibility.py): both travel in the LoadSummary and in `raw._load_notes`, which the
build summary prints. A required register without rows stops the build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ingest.audit import FileResult
from ingest.cpr_mask import mask_cpr
from ingest.delivery import JOBINDSATS_SUFFIXES, Ignored, delivered_files, stray_entries
from ingest.errors import IngestError
from ingest.plausibility import (
    empty_register_problems,
    implausible_as_of,
    unknown_target_scopes,
)
from ingest.raw_schema import create_raw_schema
from ingest.registers.load import fmt_count, load_registers, register_files
from ingest.registers.specs import REGISTER_ORDER
from ingest.rules import RulesError, load_rules
from ingest.targets import load_targets

Progress = Callable[[str], None]
_TARGET_STATUS = {"loaded": "indlæst", "skipped": "uændret", "failed": "kunne ikke læses"}
NOTES_TABLE = "raw._load_notes"


@dataclass
class LoadSummary:
    """What one load did: rows per table in the warehouse now, and every file's outcome."""

    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_quarantined: dict[str, int] = field(default_factory=dict)
    files: list[FileResult] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)  # in the landing folder, not read
    warnings: list[str] = field(default_factory=list)  # Danish, one line each

    def _count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def files_loaded(self) -> int:
        return self._count("loaded")

    @property
    def files_skipped(self) -> int:
        return self._count("skipped")

    @property
    def files_failed(self) -> int:
        return self._count("failed")

    def lines(self) -> list[str]:
        out = [
            f"Filer: {self.files_loaded} indlæst, {self.files_skipped} sprunget over "
            f"(uændrede), {self.files_failed} fejlet"
        ]
        for table, rows in self.rows_loaded.items():
            quarantined = self.rows_quarantined.get(table, 0)
            extra = f", {fmt_count(quarantined)} i karantæne" if quarantined else ""
            out.append(f"  {table}: {fmt_count(rows)} rækker{extra}")
        out += [f"  FEJL {f.message}" for f in self.files if f.status == "failed"]
        out += [f"  ADVARSEL {w}" for w in self.warnings]
        out += [f"  Ikke læst: {i.line()}" for i in self.ignored]
        return out


def _masked(progress: Progress) -> Progress:
    return lambda message: progress(mask_cpr(message) or "")


def write_notes(conn: duckdb.DuckDBPyConnection, summary: LoadSummary) -> None:
    """Replace raw._load_notes with this load's ignored entries and warnings."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {NOTES_TABLE} (kind VARCHAR NOT NULL, note VARCHAR)")
    conn.execute(f"DELETE FROM {NOTES_TABLE}")
    notes = [("advarsel", w) for w in summary.warnings]
    notes += [("ikke læst", i.line()) for i in summary.ignored]
    if notes:
        conn.executemany(f"INSERT INTO {NOTES_TABLE} VALUES (?, ?)", notes)


def load_notes(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(kind, note) of the last load, for the build summary: kind 'advarsel' or 'ikke læst'."""
    exists = conn.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'raw' AND table_name = '_load_notes'"
    ).fetchone()[0]
    if not exists:
        return []
    return conn.execute(f"SELECT kind, note FROM {NOTES_TABLE} ORDER BY kind, note").fetchall()


def _load_jobindsats(
    conn: duckdb.DuckDBPyConnection, folder: Path, progress: Progress
) -> list[FileResult]:
    try:
        from ingest.jobindsats.extracts import load_extracts
    except ImportError:
        progress("jobindsats: modulet er ikke tilgængeligt, springes over")
        return []
    if not folder.is_dir():
        return []
    return list(load_extracts(conn, folder, progress=progress))


def summarize(conn: duckdb.DuckDBPyConnection, files: list[FileResult]) -> LoadSummary:
    """Rows per table as the warehouse holds them now; quarantined = rows with an error."""
    summary = LoadSummary(files=files)
    tables = (*REGISTER_ORDER, "targets")
    named = ", ".join(f"'{r}'" for r in tables)
    quarantined = dict(
        conn.execute(
            f"""SELECT CASE WHEN register IN ({named}) THEN register ELSE 'jobindsats' END,
                       count(DISTINCT (file_name, row_number))
                FROM audit.quarantine WHERE severity = 'error' GROUP BY 1"""
        ).fetchall()
    )
    for table in (*tables, "jobindsats"):
        summary.rows_loaded[table] = conn.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0]
        summary.rows_quarantined[table] = quarantined.get(table, 0)
    return summary


def load_landing(
    conn: duckdb.DuckDBPyConnection,
    input_dir: Path,
    *,
    config_path: Path | None = None,
    progress: Progress | None = None,
    as_of: date | None = None,
) -> LoadSummary:
    """Load a landing folder: rules, targets, the six registers, then jobindsats extracts.

    Raises IngestError (after the load is recorded) when org_units or engagements has no rows.
    `as_of` (the build's reference date) only feeds the plausibility warnings."""
    progress = _masked(progress or (lambda _message: None))
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise IngestError(f"Inputmappen findes ikke: {input_dir}")
    ignored = stray_entries(input_dir)
    registers, ignored_registers = register_files(input_dir / "registers", input_dir)
    _, ignored_extracts = delivered_files(
        input_dir / "jobindsats", JOBINDSATS_SUFFIXES, "udtræk", input_dir
    )
    ignored += ignored_registers + ignored_extracts
    for entry in ignored:
        progress(f"ikke læst: {entry.line()}")
    create_raw_schema(conn)
    config = Path(config_path) if config_path else input_dir / "config" / "rules.yml"
    if config_path and not config.exists():
        raise IngestError(f"Regelfilen findes ikke: {config}")
    try:
        load_rules(conn, config)
    except RulesError as exc:
        raise IngestError(str(exc)) from exc
    progress("regler indlæst")
    files = [load_targets(conn, input_dir / "config" / "targets.csv")]
    files = [f for f in files if f is not None]
    for target_file in files:
        progress(f"måltal: {target_file.file_name} {_TARGET_STATUS[target_file.status]}")
    files += load_registers(conn, input_dir / "registers", progress, files=registers)
    files += _load_jobindsats(conn, input_dir / "jobindsats", progress)
    summary = summarize(conn, files)
    summary.ignored = ignored
    fatal, warnings = empty_register_problems(summary.rows_loaded, files, input_dir)
    summary.warnings = warnings + implausible_as_of(conn, as_of) + unknown_target_scopes(conn)
    for warning in summary.warnings:
        progress(f"ADVARSEL {warning}")
    write_notes(conn, summary)
    if fatal:
        raise IngestError(fatal)
    return summary
