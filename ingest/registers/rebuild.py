"""Rebuild raw.<register> from the staged files, set-based (docs/domain.md §3.1, E2, E3, E5).

For each register, in REGISTER_ORDER: de-duplicate on the key (later file name wins, then later
row), then check references against the *final* rows of the registers before it, so problems
cascade (an absence of a quarantined engagement is itself quarantined). The cross-file problems
of this build replace those of the previous build in audit.quarantine; the problems found inside
each file (kept in raw._file_quarantine) are written again unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from ingest.audit import masked_quarantine
from ingest.registers.csv_reader import masked_rows_of
from ingest.registers.file_store import StagedFile, staged_files
from ingest.registers.specs import REGISTER_ORDER, REGISTERS

OPEN_END = "DATE '9999-12-31'"


def _dedup(conn: duckdb.DuckDBPyConnection, register: str) -> None:
    """Latest file (name order) wins per key. Keys are nearly always unique, so the window
    function runs only over the keys that occur more than once (a hash aggregate finds them)."""
    key = REGISTERS[register].key
    conn.execute(
        f"""CREATE OR REPLACE TEMP TABLE _b_{register} AS
            WITH repeated AS (
                SELECT {key} FROM raw._files_{register} GROUP BY {key} HAVING count(*) > 1),
            losers AS (
                SELECT _source_file, _row_number FROM raw._files_{register}
                WHERE {key} IN (SELECT {key} FROM repeated)
                QUALIFY row_number() OVER (
                    PARTITION BY {key} ORDER BY _source_file DESC, _row_number DESC) > 1)
            SELECT * EXCLUDE (_file_sha256) FROM raw._files_{register} f
            WHERE NOT EXISTS (
                SELECT 1 FROM losers l
                WHERE l._source_file = f._source_file AND l._row_number = f._row_number)"""
    )


def _problem(
    conn: duckdb.DuckDBPyConnection,
    register: str,
    where: str,
    column: str,
    severity: str,
    reason: str,
    detail_sql: str,
) -> None:
    """Record a problem for each row of the build table matching `where`; errors leave the table,
    warnings null the cell."""
    conn.execute(
        f"""INSERT INTO _build_quarantine
            SELECT _source_file, '{register}', _row_number, '{column}', '{severity}', '{reason}',
                   {detail_sql}
            FROM _b_{register} WHERE {where}"""
    )
    if severity == "error":
        conn.execute(f"DELETE FROM _b_{register} WHERE {where}")
    else:
        conn.execute(f"UPDATE _b_{register} SET {column} = NULL WHERE {where}")


def _dangling(
    conn: duckdb.DuckDBPyConnection,
    register: str,
    column: str,
    parent: str,
    parent_key: str,
    severity: str,
    consequence: str = "",
) -> None:
    where = f"{column} IS NOT NULL AND {column} NOT IN (SELECT {parent_key} FROM _b_{parent})"
    detail = f"format('{column} ''{{}}'' findes ikke i {parent}{consequence}', {column})"
    _problem(conn, register, where, column, severity, "dangling_reference", detail)


def _org_units(conn: duckdb.DuckDBPyConnection) -> None:
    _dangling(
        conn, "org_units", "parent_id", "org_units", "org_unit_id", "warning",
        "; enheden bliver sin egen rod",
    )  # fmt: skip
    # A parent chain that loops back to the unit would never reach a root: cut it.
    conn.execute(
        """CREATE OR REPLACE TEMP TABLE _org_cycle AS
           WITH RECURSIVE walk(unit, cur, depth) AS (
               SELECT org_unit_id, parent_id, 1 FROM _b_org_units WHERE parent_id IS NOT NULL
               UNION ALL
               SELECT w.unit, o.parent_id, w.depth + 1
               FROM walk w JOIN _b_org_units o ON o.org_unit_id = w.cur
               WHERE o.parent_id IS NOT NULL AND w.cur <> w.unit AND w.depth < 500)
           SELECT DISTINCT unit FROM walk WHERE cur = unit"""
    )
    _problem(
        conn, "org_units", "org_unit_id IN (SELECT unit FROM _org_cycle)", "parent_id",
        "warning", "parent_cycle",
        "format('parent_id ''{}'' giver en ring i hierarkiet; enheden bliver sin egen rod', "
        "parent_id)",
    )  # fmt: skip
    # E5: a unit with no P-number at or above it has no workplace; it loads with a warning.
    conn.execute(
        """CREATE OR REPLACE TEMP TABLE _org_no_workplace AS
           WITH RECURSIVE walk(unit, cur, p_number) AS (
               SELECT org_unit_id, parent_id, p_number FROM _b_org_units
               UNION ALL
               SELECT w.unit, o.parent_id, o.p_number
               FROM walk w JOIN _b_org_units o ON o.org_unit_id = w.cur
               WHERE w.p_number IS NULL)
           SELECT unit FROM walk GROUP BY unit HAVING count(p_number) = 0"""
    )
    conn.execute(
        """INSERT INTO _build_quarantine
           SELECT _source_file, 'org_units', _row_number, 'p_number', 'warning', 'no_workplace',
                  format('enheden ''{}'' har intet P-nummer på eller over sig (ingen arbejdsplads)',
                         org_unit_id)
           FROM _b_org_units WHERE org_unit_id IN (SELECT unit FROM _org_no_workplace)"""
    )


def _absences(conn: duckdb.DuckDBPyConnection) -> None:
    _dangling(conn, "absences", "engagement_id", "engagements", "engagement_id", "error")
    # E3: spells in (from_date, absence_id) order; each one overlapping a spell already kept is
    # quarantined. Only engagements with some overlap need the sequential walk.
    conn.execute(
        f"""CREATE OR REPLACE TEMP TABLE _abs_overlap AS
            WITH RECURSIVE
            ordered AS (
                SELECT absence_id, engagement_id, from_date,
                       coalesce(to_date, {OPEN_END}) AS end_d,
                       max(coalesce(to_date, {OPEN_END})) OVER (
                           PARTITION BY engagement_id ORDER BY from_date, absence_id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
                FROM _b_absences),
            seq AS (
                SELECT absence_id, engagement_id, from_date, end_d,
                       row_number() OVER (
                           PARTITION BY engagement_id ORDER BY from_date, absence_id) AS rn
                FROM ordered
                WHERE engagement_id IN (
                    SELECT engagement_id FROM ordered WHERE from_date <= prev_end)),
            walk(engagement_id, rn, absence_id, dropped, kept_id, kept_end) AS (
                SELECT engagement_id, rn, absence_id, false, absence_id, end_d FROM seq WHERE rn = 1
                UNION ALL
                SELECT s.engagement_id, s.rn, s.absence_id, s.from_date <= w.kept_end,
                       CASE WHEN s.from_date <= w.kept_end THEN w.kept_id ELSE s.absence_id END,
                       CASE WHEN s.from_date <= w.kept_end THEN w.kept_end ELSE s.end_d END
                FROM walk w JOIN seq s ON s.engagement_id = w.engagement_id AND s.rn = w.rn + 1)
            SELECT w.absence_id, k.absence_id AS kept_id, k.from_date AS kept_from,
                   k.to_date AS kept_to
            FROM walk w JOIN _b_absences k ON k.absence_id = w.kept_id
            WHERE w.dropped"""
    )
    conn.execute(
        """INSERT INTO _build_quarantine
           SELECT a._source_file, 'absences', a._row_number, 'from_date', 'error',
                  'overlapping_spell',
                  format('fraværsperioden {}–{} overlapper periode ''{}'' ({}–{}) '
                         || 'på samme engagement',
                         a.from_date, coalesce(CAST(a.to_date AS VARCHAR), 'åben'), o.kept_id,
                         o.kept_from, coalesce(CAST(o.kept_to AS VARCHAR), 'åben'))
           FROM _b_absences a JOIN _abs_overlap o USING (absence_id)"""
    )
    conn.execute(
        "DELETE FROM _b_absences WHERE absence_id IN (SELECT absence_id FROM _abs_overlap)"
    )


def _checks(conn: duckdb.DuckDBPyConnection, register: str) -> None:
    if register == "org_units":
        _org_units(conn)
    elif register in ("engagements", "placements"):
        _dangling(conn, register, "org_unit_id", "org_units", "org_unit_id", "error")
        if register == "placements":
            _dangling(
                conn, "placements", "previous_placement_id", "placements", "placement_id",
                "warning", "; feltet er tømt",
            )  # fmt: skip
    elif register == "absences":
        _absences(conn)
    elif register == "sdp_events":
        _dangling(conn, "sdp_events", "case_id", "sdp_cases", "case_id", "error")


def _with_masked_rows(problems: pl.DataFrame, files: dict[str, StagedFile]) -> pl.DataFrame:
    """Attach the masked raw row, re-read from the landing file when it is still there."""
    parts = []
    for (file_name,), group in problems.group_by("file_name", maintain_order=True):
        staged = files.get(file_name)
        rows = None
        if staged is not None and Path(staged.path).exists():
            rows = masked_rows_of(staged.csv(), group["row_number"].unique().to_list())
        if rows is None or rows.is_empty():
            parts.append(group.with_columns(pl.lit(None, pl.String).alias("row_masked")))
        else:
            parts.append(group.join(rows, on="row_number", how="left", maintain_order="left"))
    if not parts:
        return problems.with_columns(row_masked=pl.lit(None, pl.String))
    return pl.concat(parts)


def _replace_quarantine(conn: duckdb.DuckDBPyConnection, build_rows: pl.DataFrame) -> None:
    """audit.quarantine of the registers := the staged files' own entries + this build's.

    One INSERT on purpose: with duckdb 2.0.0, an INSERT of zero rows followed by a large INSERT
    (≥ one row group, 122 880 rows) into the same table in one transaction leaves that table
    unreadable for this connection (scans return no rows until the database is reopened).
    """
    build_rows = masked_quarantine(build_rows)
    names = ", ".join(f"'{r}'" for r in REGISTER_ORDER)
    conn.execute(f"DELETE FROM audit.quarantine WHERE register IN ({names})")
    conn.register("_build_rows", build_rows.to_arrow())
    try:
        conn.execute(
            """INSERT INTO audit.quarantine
               SELECT * EXCLUDE (src) FROM (
                   SELECT 0 AS src, * FROM raw._file_quarantine
                   UNION ALL
                   SELECT 1 AS src, * FROM _build_rows)
               ORDER BY src, register, file_name, row_number, column_name, reason"""
        )
    finally:
        conn.unregister("_build_rows")


def build_registers(
    conn: duckdb.DuckDBPyConnection, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Rebuild every raw.<register>; returns rows with a cross-file error per file name."""
    conn.execute(
        """CREATE OR REPLACE TEMP TABLE _build_quarantine (
            file_name VARCHAR, register VARCHAR, row_number BIGINT, column_name VARCHAR,
            severity VARCHAR, reason VARCHAR, detail VARCHAR)"""
    )
    for register in REGISTER_ORDER:
        if progress:
            progress(f"registre: kontrollerer {register} …")
        _dedup(conn, register)
        _checks(conn, register)
    problems = conn.sql(
        "SELECT * FROM _build_quarantine ORDER BY register, file_name, row_number, column_name"
    ).pl()
    _replace_quarantine(conn, _with_masked_rows(problems, staged_files(conn)))
    if progress:
        progress("registre: skriver raw-tabeller …")
    for register in REGISTER_ORDER:
        conn.execute(f"DELETE FROM raw.{register}")
        conn.execute(f"INSERT INTO raw.{register} BY NAME SELECT * FROM _b_{register}")
        conn.execute(f"DROP TABLE _b_{register}")
    errors = (
        problems.filter(pl.col("severity") == "error")
        .group_by("file_name")
        .agg(pl.col("row_number").n_unique())
    )
    return dict(errors.iter_rows())
