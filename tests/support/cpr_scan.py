"""Scan a warehouse for CPR numbers (docs/domain.md §7): every text-bearing column of each table and
view in every schema (raw, staging, intermediate, marts, audit incl. quarantine).

A column is text-bearing when its type holds VARCHAR or JSON anywhere (plain, list or struct);
nested values are scanned as their text form. Two checks per column:
1. none of the CPRs delivered in the landing folder, written with `-`, `.`, `/`, a space or
   nothing between the parts;
2. nothing CPR-shaped at all (six digits, one of those separators or none, four digits, not
   inside a longer digit run), after removing hex hashes and fingerprints of 16 characters or
   more (person_key, sha256, the key check) that may hold ten digits by chance.
   P-numbers are ten digits by definition and are skipped by check 2 only.

Written independently of ingest/cpr_mask.py on purpose (its own patterns, SQL in DuckDB).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

CPR_IN_TEXT = re.compile(r"(?<!\d)(\d{6})[-./ \u00a0]?(\d{4})(?!\d)")
_SEP_SQL = "[-./ \u00a0]?"
_CPR_SQL = rf"(^|[^0-9])[0-9]{{6}}{_SEP_SQL}[0-9]{{4}}([^0-9]|$)"
_CPR_REGISTERS = ("engagements", "placements", "sdp_cases")


def cprs_in(text: str) -> set[str]:
    """The CPR-shaped values of a text as 10 digits."""
    return {a + b for a, b in CPR_IN_TEXT.findall(text)}


def landing_cprs(landing: Path) -> set[str]:
    """Every CPR-shaped value in the landing registers that carry CPRs (10 digits, no dash)."""
    found: set[str] = set()
    for register in _CPR_REGISTERS:
        for path in (landing / "registers").glob(f"{register}*.csv"):
            found |= cprs_in(path.read_text(encoding="utf-8-sig", errors="replace"))
    return found


def text_columns(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return conn.execute(
        """SELECT table_schema, table_name, column_name FROM information_schema.columns
           WHERE table_catalog = current_database() AND table_schema NOT IN ('temp', 'pg_catalog')
             AND (data_type LIKE '%VARCHAR%' OR data_type LIKE '%JSON%')
           ORDER BY ALL"""
    ).fetchall()


def cpr_hits(conn: duckdb.DuckDBPyConnection, cprs: set[str]) -> list[tuple]:
    """(schema, table, column, distinct values with a known CPR, distinct CPR-shaped values)
    for each column that holds any; [] when the warehouse is clean. Each column's distinct
    values are scanned (a million quarantine rows often share a handful of texts)."""
    known_list = "[" + ", ".join(f"'{c}'" for c in sorted(cprs)) + "]::VARCHAR[]"
    found = (
        f"list_transform(regexp_extract_all(v, '[0-9]{{6}}{_SEP_SQL}[0-9]{{4}}'), "
        "lambda x: regexp_replace(x, '[^0-9]', '', 'g'))"
    )
    shaped_sql = f"regexp_matches(regexp_replace(v, '[0-9a-f]{{16,}}', ' ', 'g'), '{_CPR_SQL}')"
    hits = []
    for schema, table, column in text_columns(conn):
        shaped = "0" if column == "p_number" else f"count(*) FILTER (WHERE {shaped_sql})"
        known, shaped = conn.execute(
            f"""SELECT count(*) FILTER (WHERE list_has_any({found}, {known_list})), {shaped}
                FROM (SELECT DISTINCT CAST("{column}" AS VARCHAR) AS v
                      FROM "{schema}"."{table}") AS d"""
        ).fetchone()
        if known or shaped:
            hits.append((schema, table, column, known, shaped))
    return hits
