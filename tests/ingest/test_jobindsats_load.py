"""load_extracts: load log, quarantine and revisions in raw.jobindsats (§3.4, E20)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.jobindsats.extracts import load_extracts
from ingest.raw_schema import create_raw_schema

HEADER = "Område;Periode;Antal personer\n"


@pytest.fixture
def conn():
    with duckdb.connect(":memory:") as connection:
        create_raw_schema(connection)
        yield connection


def write(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def raw_values(conn) -> dict[tuple[str, str], tuple[float | None, str]]:
    rows = conn.execute(
        "SELECT area_name, period_code, value, source_file FROM raw.jobindsats"
    ).fetchall()
    return {(a, p): (v, f) for a, p, v, f in rows}


def load_log(conn) -> list[tuple]:
    return conn.execute(
        "SELECT file_name, source, register, status, rows_read, rows_loaded, rows_quarantined "
        "FROM audit.load_log ORDER BY loaded_at, file_name"
    ).fetchall()


def test_later_extract_replaces_the_earlier_value(conn, tmp_path: Path):
    folder = tmp_path / "jobindsats"
    write(folder, "Y07A02_2025-01.csv", "Horsens;2024M01;100\nOdder;2024M01;40\n")
    write(folder, "Y07A02_2025-02.csv", "Horsens;2024M01;110\nHorsens;2024M02;..\n")
    load_extracts(conn, folder)
    assert raw_values(conn) == {
        ("Horsens", "2024M01"): (110.0, "Y07A02_2025-02.csv"),  # revised
        ("Odder", "2024M01"): (40.0, "Y07A02_2025-01.csv"),  # only in the first
        ("Horsens", "2024M02"): (None, "Y07A02_2025-02.csv"),  # suppressed
    }
    assert load_log(conn) == [
        ("Y07A02_2025-01.csv", "jobindsats", "Y07A02", "loaded", 2, 2, 0),
        ("Y07A02_2025-02.csv", "jobindsats", "Y07A02", "loaded", 2, 2, 0),
    ]


def test_same_file_twice_changes_nothing(conn, tmp_path: Path):
    folder = tmp_path / "jobindsats"
    write(folder, "Y07A02_a.csv", "Horsens;2024M01;100\n")
    load_extracts(conn, folder)
    before = raw_values(conn)
    results = load_extracts(conn, folder)
    assert [(r.status, r.register) for r in results] == [("skipped", "Y07A02")]
    assert raw_values(conn) == before
    assert [row[3] for row in load_log(conn)] == ["loaded", "skipped"]


def test_file_name_order_decides_not_load_order(conn, tmp_path: Path):
    later = write(tmp_path / "b", "Y07A02_2025-02.csv", "Horsens;2024M01;110\n")
    earlier = write(tmp_path / "a", "Y07A02_2025-01.csv", "Horsens;2024M01;100\n")
    # The later extract arrives first; the earlier one, loaded afterwards, must not win.
    load_extracts(conn, later.parent)
    load_extracts(conn, earlier.parent)
    assert raw_values(conn) == {("Horsens", "2024M01"): (110.0, "Y07A02_2025-02.csv")}


def test_changed_file_replaces_its_own_facts(conn, tmp_path: Path):
    folder = tmp_path / "jobindsats"
    write(folder, "Y07A02_a.csv", "Horsens;2024M01;100\nOdder;2024M01;40\n")
    load_extracts(conn, folder)
    write(folder, "Y07A02_a.csv", "Horsens;2024M01;101\nNarnia;2024M01;1\n")  # corrected
    load_extracts(conn, folder)
    assert raw_values(conn) == {("Horsens", "2024M01"): (101.0, "Y07A02_a.csv")}
    assert conn.execute("SELECT count(*) FROM audit.quarantine").fetchone() == (1,)
    # Back to the first content: not "already loaded", since the store holds the second.
    write(folder, "Y07A02_a.csv", "Horsens;2024M01;100\nOdder;2024M01;40\n")
    assert [r.status for r in load_extracts(conn, folder)] == ["loaded"]
    assert raw_values(conn)[("Horsens", "2024M01")] == (100.0, "Y07A02_a.csv")
    # The quarantine entry belonged to the replaced version.
    assert conn.execute("SELECT count(*) FROM audit.quarantine").fetchone() == (0,)


def test_failed_and_quarantined_files_are_logged(conn, tmp_path: Path):
    folder = tmp_path / "jobindsats"
    write(folder, "Y07A02_a.csv", "Horsens;2024M01;100\nNarnia;2024M01;5\nOdder;2024M13;6\n")
    (folder / "Y07A02_b.json").write_text('{"Forkert nøgle eller nøglen er udløbet.":""}')
    (folder / "notes.txt").write_text("ignored: not an extract")
    results = load_extracts(conn, folder)
    assert [(r.file_name, r.status) for r in results] == [
        ("Y07A02_a.csv", "loaded"),
        ("Y07A02_b.json", "failed"),
    ]
    assert "Forkert nøgle" in results[1].message
    assert load_log(conn)[0][4:] == (3, 1, 2)  # rows_read = loaded + quarantined
    reasons = conn.execute(
        "SELECT row_number, reason FROM audit.quarantine ORDER BY row_number"
    ).fetchall()
    assert reasons == [(2, "unknown_area"), (3, "invalid_period")]
    assert raw_values(conn) == {("Horsens", "2024M01"): (100.0, "Y07A02_a.csv")}


def test_failed_redelivery_keeps_the_earlier_facts(conn, tmp_path: Path):
    folder = tmp_path / "jobindsats"
    good = write(folder, "Y07A02_a.csv", "Horsens;2024M01;100\n")
    load_extracts(conn, folder)
    good.write_text("no header here\n", encoding="utf-8")
    results = load_extracts(conn, folder)
    assert results[0].status == "failed"
    assert raw_values(conn) == {("Horsens", "2024M01"): (100.0, "Y07A02_a.csv")}


def test_missing_folder_loads_nothing(conn, tmp_path: Path):
    assert load_extracts(conn, tmp_path / "nowhere") == []


def test_reload_into_a_fresh_warehouse_is_identical(conn, tmp_path: Path):
    folder = tmp_path / "jobindsats"
    write(folder, "Y07A02_1.csv", "Horsens;2024M01;100\nOdder;2024M01;40\n")
    write(folder, "Y07A02_2.csv", "Horsens;2024M01;110\n")
    load_extracts(conn, folder)
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    with duckdb.connect(":memory:") as other:
        create_raw_schema(other)
        load_extracts(other, copy)
        assert raw_values(other) == raw_values(conn)


def test_the_demo_extracts_cover_all_98_municipalities(conn, tmp_path: Path):
    """The synthetic generator's extracts (every format) load without a quarantined row."""
    from datetime import date

    from synthetic.core import Settings
    from synthetic.jobindsats import write_jobindsats

    settings = Settings(1, 100, date(2023, 1, 1), date(2025, 11, 15), "615", "Horsens")
    written = write_jobindsats(settings, tmp_path / "jobindsats")
    results = load_extracts(conn, tmp_path / "jobindsats")
    assert [r.status for r in results] == ["loaded"] * len(written)
    assert all(r.rows_quarantined == 0 for r in results)
    per_table = conn.execute(
        "SELECT table_id, count(DISTINCT municipality_code), bool_or(area_name = 'Hele landet') "
        "FROM raw.jobindsats GROUP BY table_id ORDER BY table_id"
    ).fetchall()
    assert per_table == [
        (table, 98, True) for table in ["PTVC01", "Y07A02", "Y08A02", "Y14D03", "Y30R21"]
    ]


def test_the_load_log_keeps_every_file_of_every_run(conn, tmp_path: Path):
    folder = tmp_path / "jobindsats"
    write(folder, "Y07A02_a.csv", "Horsens;2024M01;100\n")
    (folder / "Y07A02_b.json").write_text('{"Forkert nøgle eller nøglen er udløbet.":""}')
    load_extracts(conn, folder)
    write(folder, "Y07A02_a.csv", "Horsens;2024M01;101\n")  # revised
    write(folder, "Y07A02_c.csv", "Odder;2024M01;7\n")  # new
    load_extracts(conn, folder)
    load_extracts(conn, folder)  # nothing new: every file is logged again, as skipped/failed
    assert [(row[0], row[3]) for row in load_log(conn)] == [
        ("Y07A02_a.csv", "loaded"),
        ("Y07A02_b.json", "failed"),
        ("Y07A02_a.csv", "loaded"),
        ("Y07A02_b.json", "failed"),
        ("Y07A02_c.csv", "loaded"),
        ("Y07A02_a.csv", "skipped"),
        ("Y07A02_b.json", "failed"),
        ("Y07A02_c.csv", "skipped"),
    ]
    hashes = conn.execute(
        "SELECT count(DISTINCT sha256) FROM audit.load_log WHERE file_name = 'Y07A02_a.csv'"
    ).fetchone()
    assert hashes == (2,)  # both versions of a are on record
