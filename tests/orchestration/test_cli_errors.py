"""A user's mistake gives one clear Danish line on stderr, exit 2, and no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from orchestration.cli import _report_options


def _run(*args: str) -> subprocess.CompletedProcess:
    code = "from orchestration.cli import console_main; console_main()"  # the `rummelig` script
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["build", "--input", "/findes/ikke", "--database", "/tmp/x.duckdb"],
            "Fejl: Inputmappen /findes/ikke findes ikke.",
        ),
        (
            ["build", "--input", "/tmp", "--database", "/tmp/x.duckdb", "--as-of", "2025-13-01"],
            "Fejl: Ugyldig værdi for '--as-of': '2025-13-01' er ikke en dato på formen ÅÅÅÅ-MM-DD",
        ),
        (
            ["report", "findes_ikke", "--database", "/tmp/x.duckdb", "--period", "2025"],
            "Fejl: Ukendt rapport 'findes_ikke'.",
        ),
    ],
)
def test_user_errors_are_one_line(args, message):
    done = _run(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(message)
    assert "Traceback" not in done.stderr + done.stdout


def test_a_landing_folder_ingest_refuses_is_one_line_and_leaves_no_file(tmp_path):
    """`rummelig build --input <a folder without registers/>`: the ingest step fails inside
    Dagster; the user reads one Danish line naming the folder and the reason, exit 2."""
    database = tmp_path / "w.duckdb"
    done = _run("build", "--input", str(tmp_path), "--database", str(database))
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [
        f"Fejl: Landing-mappen kunne ikke indlæses: Mappen med registre findes ikke:"
        f" {tmp_path / 'registers'}"
    ]
    assert "Traceback" not in done.stdout and "Dependencies for step" not in done.stdout
    assert not database.exists()  # no empty or half-written warehouse left behind


def test_report_options_pass_through():
    assert _report_options(["--unit", "u7", "--table=Y07A02", "--all-units"]) == {
        "unit": "u7",
        "table": "Y07A02",
        "all_units": True,
    }


def test_a_full_disk_reads_the_same_whichever_step_or_file_met_it(tmp_path):
    """A step that fails on a full disk and DuckDB refusing to write the build file at the
    publish's checkpoint give the one line docs/cli.md promises, naming the warehouse's folder
    (the disk_full fault test met either, depending on where the first write overflowed)."""
    from datetime import date

    import duckdb

    from orchestration.build import BuildOutcome, _resource_error
    from orchestration.limits import resolve
    from orchestration.publish import build_file_of, duckdb_problem

    database = tmp_path / "rummelig.duckdb"
    line = f"Der er ikke plads på disken til datavarehuset i {tmp_path}: frigør plads og byg igen."
    for words in ("No space left on device", "File too large", "Disk quota exceeded"):
        refused = duckdb.IOException(f'Could not write file "{build_file_of(database)}": {words}')
        assert str(duckdb_problem(build_file_of(database), refused)) == line
        step = BuildOutcome(database, date(2025, 11, 15), False, 1.0, errors=[f"dbt: {words}"])
        assert str(_resource_error(step, resolve("4GB", 2))) == line
    healthy = BuildOutcome(database, date(2025, 11, 15), False, 1.0, errors=["dbt: a test failed"])
    assert _resource_error(healthy, resolve("4GB", 2)) is None


def _duckdb_error(tmp_path, settings: str, sql: str) -> str:
    """The text of a real DuckDB error (no hand-written copy of its wording)."""
    import duckdb

    conn = duckdb.connect(str(tmp_path / "x.duckdb"))
    conn.execute(f"SET temp_directory = '{tmp_path / 'spill'}'; {settings}")
    with pytest.raises(duckdb.OutOfMemoryException) as raised:
        conn.execute(sql)
    conn.close()
    return str(raised.value)


def test_a_build_out_of_memory_or_of_spill_space_says_what_to_do(tmp_path):
    """DuckDB out of memory gives one line with the build's limits and what to change; DuckDB
    refusing to spill more (its temporary files would fill the disk) is the full-disk line,
    although DuckDB words it as out of memory."""
    from datetime import date

    from orchestration.build import BuildOutcome, _resource_error
    from orchestration.limits import resolve

    no_memory = _duckdb_error(
        tmp_path, "SET memory_limit = '32MB'; SET threads = 1",
        "select string_agg(x::varchar, ',') from range(20000000) t(x)",
    )  # fmt: skip
    no_spill = _duckdb_error(
        tmp_path, "SET memory_limit = '64MB'; SET threads = 1; SET max_temp_directory_size = '4MB'",
        "create table u as select x, md5(x::varchar) m from range(20000000) t(x) order by m",
    )  # fmt: skip
    limits = resolve("2GB", 1)

    def stop(error: str):
        step = f"dbt build fejlede: model.rummelig.fct_sickness: error — {error}"
        outcome = BuildOutcome(tmp_path / "rummelig.duckdb", date(2025, 11, 15), False, 1.0)
        outcome.errors.append(step)
        return _resource_error(outcome, limits)

    assert str(stop(no_memory)) == (
        "Bygget kunne ikke være i sin hukommelse (hukommelse 2 GB (DuckDB 1,1 GB), 1 tråd): byg"
        " igen med en større --memory-limit eller færre --threads."
    )
    assert str(stop(no_spill)) == (
        f"Der er ikke plads på disken til datavarehuset i {tmp_path}: frigør plads og byg igen."
    )


def test_the_cli_says_the_memory_line_and_exits_1(monkeypatch, capsys, tmp_path):
    import orchestration.build
    from orchestration.cli import main
    from orchestration.errors import out_of_memory

    def no_memory(*args, **kwargs):
        raise out_of_memory("hukommelse 1 GB (DuckDB 0,6 GB), 1 tråd")

    monkeypatch.setattr(orchestration.build, "run_build", no_memory)
    with pytest.raises(SystemExit) as exited:
        main(["build", "--input", str(tmp_path), "--database", str(tmp_path / "r.duckdb")])
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "Fejl: Bygget kunne ikke være i sin hukommelse (hukommelse 1 GB (DuckDB 0,6 GB), 1 tråd):"
        " byg igen med en større --memory-limit eller færre --threads."
    )
