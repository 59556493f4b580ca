"""The landing folder as a whole (DOMAIN.md §3.1): rules, the six registers, jobindsats extracts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.audit import FileResult, write_load_log
from ingest.errors import IngestError
from ingest.raw_schema import create_raw_schema
from ingest.registers.load import fmt_count, load_registers
from ingest.registers.specs import REGISTER_ORDER
from ingest.rules import RulesError, load_rules
from ingest.targets import load_targets

Progress = Callable[[str], None]
_TARGET_STATUS = {"loaded": "indlæst", "skipped": "uændret", "failed": "kunne ikke læses"}


@dataclass
class LoadSummary:
    """What one load did: rows per table in the warehouse now, and every file's outcome."""

    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_quarantined: dict[str, int] = field(default_factory=dict)
    files: list[FileResult] = field(default_factory=list)

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
        return out


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
    before = _log_rows(conn, "jobindsats")
    results = list(load_extracts(conn, folder, progress=progress))
    if _log_rows(conn, "jobindsats") == before and results:
        write_load_log(conn, results)  # the extract loader left the load log to us
    return results


def _log_rows(conn: duckdb.DuckDBPyConnection, source: str) -> int:
    row = conn.execute("SELECT count(*) FROM audit.load_log WHERE source = ?", [source]).fetchone()
    return int(row[0]) if row else 0


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
) -> LoadSummary:
    """Load a landing folder: rules, targets, the six registers, then jobindsats extracts."""
    progress = progress or (lambda _message: None)
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise IngestError(f"Inputmappen findes ikke: {input_dir}")
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
    files += load_registers(conn, input_dir / "registers", progress)
    files += _load_jobindsats(conn, input_dir / "jobindsats", progress)
    return summarize(conn, files)
