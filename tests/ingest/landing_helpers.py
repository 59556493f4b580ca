"""Small hand-written landing folders for the register ingest tests."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.raw_schema import create_raw_schema
from ingest.registers.load import load_registers

TEST_SECRET = "test-secret-for-pseudonyms"

ORG_UNITS = """org_unit_id;name;parent_id;p_number;workplace_type;area
K;Kommunen;;;administration;
A;Skolen;K;1234567890;skole;Børn og unge
A1;Skolens SFO;A;;;
"""


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def load(conn: duckdb.DuckDBPyConnection, folder: Path):
    create_raw_schema(conn)
    return {r.file_name: r for r in load_registers(conn, folder)}


def quarantine(conn: duckdb.DuckDBPyConnection, register: str | None = None) -> list[dict]:
    where = "WHERE register = ?" if register else ""
    rel = conn.sql(
        f"""SELECT file_name, register, row_number, column_name, severity, reason, detail,
                   row_masked
            FROM audit.quarantine {where} ORDER BY file_name, row_number, column_name, reason""",
        params=[register] if register else None,
    )
    return rel.pl().to_dicts()


def problems(conn: duckdb.DuckDBPyConnection, register: str) -> set[tuple]:
    """(row_number, column_name, severity, reason) of every quarantine entry of a register."""
    return {
        (q["row_number"], q["column_name"], q["severity"], q["reason"])
        for q in quarantine(conn, register)
    }


def rows(conn: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return conn.execute(sql).fetchall()
