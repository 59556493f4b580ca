"""Scan a warehouse for CPR numbers (DOMAIN.md §7): every text-bearing column of every table and
view in every schema (raw, staging, intermediate, marts, audit incl. quarantine).

A column is text-bearing when its type holds VARCHAR or JSON anywhere (plain, list or struct);
nested values are scanned as their text form. Two checks per column:
1. none of the CPRs delivered in the landing folder, with or without dash;
2. nothing CPR-shaped at all (six digits, optional dash, four digits, not inside a longer digit
   run), after removing 64-hex hashes (person_key, sha256) that may hold ten digits by chance.
   P-numbers are ten digits by definition and are skipped by check 2 only.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

CPR_IN_TEXT = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
_CPR_SQL = r"(^|[^0-9])[0-9]{6}-?[0-9]{4}([^0-9]|$)"
_CPR_REGISTERS = ("engagements", "placements", "sdp_cases")


def landing_cprs(landing: Path) -> set[str]:
    """Every CPR-shaped value in the landing registers that carry CPRs (10 digits, no dash)."""
    found: set[str] = set()
    for register in _CPR_REGISTERS:
        for path in (landing / "registers").glob(f"{register}*.csv"):
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            found |= {m.replace("-", "") for m in CPR_IN_TEXT.findall(text)}
    return found


def text_columns(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return conn.execute(
        """SELECT table_schema, table_name, column_name FROM information_schema.columns
           WHERE table_catalog = current_database() AND table_schema NOT IN ('temp', 'pg_catalog')
             AND (data_type LIKE '%VARCHAR%' OR data_type LIKE '%JSON%')
           ORDER BY ALL"""
    ).fetchall()


def cpr_hits(conn: duckdb.DuckDBPyConnection, cprs: set[str]) -> list[tuple]:
    """(schema, table, column, known CPRs found, CPR-shaped values found) for each column that
    holds any; [] when the warehouse is clean."""
    conn.execute("CREATE OR REPLACE TEMP TABLE _scan_cprs (d VARCHAR)")
    conn.executemany("INSERT INTO _scan_cprs VALUES (?)", [[c] for c in sorted(cprs)])
    hits = []
    for schema, table, column in text_columns(conn):
        value = f'CAST("{column}" AS VARCHAR)'
        source = f'"{schema}"."{table}"'
        known = conn.execute(
            f"""SELECT count(*) FROM (SELECT unnest(regexp_extract_all({value},
                    '[0-9]{{6}}-?[0-9]{{4}}')) AS m FROM {source}) AS x
                JOIN _scan_cprs ON replace(x.m, '-', '') = _scan_cprs.d"""
        ).fetchone()[0]
        shaped = 0
        if column != "p_number":
            shaped = conn.execute(
                f"""SELECT count(*) FROM {source} WHERE regexp_matches(
                    regexp_replace({value}, '[0-9a-f]{{64}}', ' ', 'g'), '{_CPR_SQL}')"""
            ).fetchone()[0]
        if known or shaped:
            hits.append((schema, table, column, known, shaped))
    return hits
