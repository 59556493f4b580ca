"""The build's memory and thread budget: sizes, defaults, the environment, DuckDB's share."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration import limits
from orchestration.limits import GIB, MIB, LimitError, Limits, parse_size, resolve


def test_sizes_are_read_like_duckdb_reads_them():
    assert parse_size("4GB") == 4_000_000_000
    assert parse_size("4 GiB") == 4 * GIB
    assert parse_size("2500mb") == 2_500_000_000
    assert parse_size("1,5 GiB") == int(1.5 * GIB)
    assert parse_size("3g") == 3_000_000_000


@pytest.mark.parametrize("text", ["lots", "4 parsecs", "", "GB"])
def test_an_unreadable_size_is_one_danish_line(text):
    with pytest.raises(LimitError, match=r"^--memory-limit: .* er ikke en hukommelsesstørrelse"):
        parse_size(text)


def test_a_budget_too_small_for_the_python_processes_is_refused():
    with pytest.raises(LimitError, match="for lidt"):
        parse_size("300MB")


def test_default_is_the_smaller_of_4_gib_and_half_the_memory(monkeypatch):
    monkeypatch.setattr(limits, "machine_memory", lambda: 24 * GIB)
    monkeypatch.setattr(limits, "machine_threads", lambda: 2)
    assert resolve(environ={}) == Limits(memory=4_000_000_000, threads=2)  # "4 GB"
    monkeypatch.setattr(limits, "machine_memory", lambda: 6 * GIB)
    assert resolve(environ={}).memory == 3 * GIB


def test_the_option_wins_over_the_environment_which_wins_over_the_default(monkeypatch):
    monkeypatch.setattr(limits, "machine_threads", lambda: 8)
    env = {"RUMMELIG_MEMORY_LIMIT": "2GiB", "RUMMELIG_THREADS": "3"}
    assert resolve(environ=env) == Limits(memory=2 * GIB, threads=3)
    assert resolve("6GiB", 1, environ=env) == Limits(memory=6 * GIB, threads=1)
    with pytest.raises(LimitError, match="^RUMMELIG_THREADS: 'nul' skal være et helt tal"):
        resolve(environ={"RUMMELIG_THREADS": "nul"})


def test_duckdb_gets_its_share_and_spills_beside_the_warehouse(tmp_path: Path):
    settings = limits.duckdb_settings(Limits(memory=4 * GIB, threads=2), tmp_path / "w.duckdb")
    assert settings == {
        "memory_limit": f"{int(4 * GIB * limits.DUCKDB_SHARE) // MIB}MiB",
        "threads": "2",
        "temp_directory": str(tmp_path / "w.duckdb.tmp"),
    }
    import duckdb

    with duckdb.connect(str(tmp_path / "w.duckdb"), config=settings) as conn:
        applied = dict(
            conn.execute(
                "select name, value from duckdb_settings()"
                " where name in ('memory_limit', 'threads', 'temp_directory')"
            ).fetchall()
        )
    assert applied["threads"] == "2" and applied["temp_directory"] == settings["temp_directory"]
    assert applied["memory_limit"] == "2.1 GiB"  # DuckDB's own rounding of 2252 MiB


def test_a_build_spills_into_its_own_folder_which_goes_with_its_build_file(tmp_path: Path):
    from orchestration.publish import build_file_of, remove_build_files

    build_file = build_file_of(tmp_path / "w.duckdb")
    spill = limits.temp_directory(build_file)
    assert spill == tmp_path / "w.duckdb.new.tmp"  # not the readers' w.duckdb.tmp
    readers = limits.temp_directory(tmp_path / "w.duckdb")
    for folder in (spill, readers):
        folder.mkdir()
        (folder / "duckdb_temp_storage-0.tmp").write_bytes(b"x" * 1024)
    build_file.write_bytes(b"left by a killed build")

    assert remove_build_files(build_file) is True
    assert not build_file.exists() and not spill.exists()
    assert (readers / "duckdb_temp_storage-0.tmp").exists()  # a reader's spill is left alone
    assert remove_build_files(build_file) is False


def test_rules_yml_sets_the_build_limits_below_the_option_and_the_environment(
    monkeypatch, tmp_path: Path
):
    monkeypatch.setattr(limits, "machine_threads", lambda: 8)
    monkeypatch.delenv("RUMMELIG_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("RUMMELIG_THREADS", raising=False)
    rules = tmp_path / "rules.yml"
    rules.write_text("build:\n  memory_limit: 3GiB\n  threads: 1\n", encoding="utf-8")
    assert limits.for_build(rules) == Limits(memory=3 * GIB, threads=1)
    assert limits.for_build(rules, "2GiB", 2) == Limits(memory=2 * GIB, threads=2)
    monkeypatch.setenv("RUMMELIG_THREADS", "3")
    assert limits.for_build(rules).threads == 3
    assert limits.for_build(tmp_path / "missing.yml").threads == 3  # no file: the defaults


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lots", "build.memory_limit: 'lots' er ikke en hukommelsesstørrelse"),
        ("500MB", "build.memory_limit: '500MB' er for lidt; et byg skal have mindst 1 GiB"),
        ("true", "build.memory_limit: forventede en hukommelsesstørrelse, fx 4GB"),
    ],
)
def test_a_bad_memory_limit_in_rules_yml_is_one_danish_line_naming_the_key(
    tmp_path: Path, value, message
):
    from ingest.rules import RulesError, merged_rules

    rules = tmp_path / "rules.yml"
    rules.write_text(f"build:\n  memory_limit: {value}\n", encoding="utf-8")
    with pytest.raises(RulesError) as raised:
        merged_rules(rules)
    assert str(raised.value).startswith(f"rules.yml: {message}")
    assert "\n" not in str(raised.value)


def test_the_build_says_its_limits_in_danish():
    assert Limits(memory=4_000_000_000, threads=2).describe() == (
        "hukommelse 4 GB (DuckDB 2,2 GB), 2 tråde"
    )
    assert Limits(memory=2_500_000_000, threads=1).describe() == (
        "hukommelse 2,5 GB (DuckDB 1,4 GB), 1 tråd"
    )


def test_connections_open_at_once_share_the_memory_and_the_threads():
    """The report processes (two at a time) get half the DuckDB memory and threads each."""
    from orchestration.limits import shared

    settings = {"memory_limit": "2098MiB", "threads": "2", "temp_directory": "/x/y.tmp"}
    assert shared(settings, 2) == {
        "memory_limit": "1049MiB",
        "threads": "1",
        "temp_directory": "/x/y.tmp",
    }
    assert shared({"memory_limit": "4GB", "threads": "1"}, 2) == {
        "memory_limit": f"{2 * 10**9 // 2**20}MiB",
        "threads": "1",  # never none
    }
    assert shared({}, 2) == {}


def test_large_registers_make_dbt_build_one_model_at_a_time():
    """Parallel models share DuckDB's memory: above 1 000 000 raw rows per GiB of it, one at a
    time; below, as many as DuckDB has threads (at most four)."""
    two_gib = {"memory_limit": "2048MiB", "threads": "2"}
    assert limits.dbt_threads(two_gib, 2_000_000) == 2
    assert limits.dbt_threads(two_gib, 2_000_001) == 1
    assert limits.dbt_threads({"memory_limit": "8GiB", "threads": "8"}, 7_999_999) == 4
    assert limits.dbt_threads({"memory_limit": "8GiB", "threads": "8"}, 8_000_001) == 1
    assert limits.dbt_threads({"threads": "3"}, 10**9) == 3  # no limit given: DuckDB's own


def test_the_raw_row_count_leaves_out_ingests_bookkeeping(tmp_path: Path):
    from dagster_duckdb import DuckDBResource

    from orchestration.assets.dbt import raw_rows

    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as conn:
        conn.execute(
            "create schema raw; create schema marts;"
            "create table raw.absences as select range from range(1200);"
            "create table raw.engagements as select range from range(34);"
            "create table raw._files_absences as select range from range(5000);"
            "create table marts.fct_sickness as select range from range(700)"
        )
    assert raw_rows(DuckDBResource(database=str(database))) == 1234
