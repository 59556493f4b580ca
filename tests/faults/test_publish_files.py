"""The publish path's file mechanics and the failures a user can cause around the warehouse file
(docs/decisions/publish.md, docs/cli.md): another process holding the file, a file that is not
DuckDB, two builds at once, a read-only folder, a full disk while copying, a reader during the
swap, a writer during the build. The warehouses are small real ones (the fault harness's landing
loaded by ingest); the CLI cases run `rummelig build`/`report` in their own process."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.errors import BuildError, WarehouseIOError
from orchestration.publish import build_file_of, wal_of
from orchestration.warehouse import open_for_build
from tests.faults.harness import Case, scan_warehouse
from tests.faults.test_publish import ROOT, sha256

CLI = "from orchestration.cli import main; main()"


@pytest.fixture
def published(tmp_path) -> Case:
    """A small published warehouse: the harness's landing loaded into warehouse.duckdb."""
    case = Case(tmp_path)
    case.load()
    return case


def _cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=600,
        **kwargs,
    )


def _one_line(done: subprocess.CompletedProcess, code: int) -> str:
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    [line] = done.stderr.strip().splitlines()
    return line


def _build_args(case: Case) -> list[str]:
    return ["build", "--input", str(case.landing), "--database", str(case.database)]


@contextlib.contextmanager
def _holding(database: Path, *, read_only: bool):
    """Another process with the warehouse open (read-write: DuckDB's exclusive lock)."""
    code = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == '1');"
        " print('open', flush=True); time.sleep(600)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(database), "1" if read_only else "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "open"
        yield process.pid
    finally:
        process.kill()
        process.wait(timeout=60)


@pytest.mark.fault("warehouse_locked_by_another_process")
def test_a_warehouse_another_process_writes_is_named_with_its_pid(published):
    before = sha256(published.database)
    with _holding(published.database, read_only=False) as pid:
        build = _one_line(_cli(*_build_args(published)), 2)
        report = _one_line(
            _cli("report", "kvote", "--database", str(published.database), "--period", "2025"), 2
        )
    expected = (
        f"Fejl: Datavarehuset {published.database} er låst af en anden proces (pid {pid}): luk"
        " den (fx et åbent DuckDB- eller DBeaver-vindue) og prøv igen."
    )
    assert build == expected and report == expected
    assert sha256(published.database) == before
    assert not build_file_of(published.database).exists()
    scan_warehouse(published.database, published.landing)


@pytest.mark.fault("not_a_duckdb_file")
def test_a_database_path_that_is_not_duckdb_is_refused_and_left_alone(published):
    published.database.write_text("id;navn\n1;ikke en database\n", encoding="utf-8")
    build = _one_line(_cli(*_build_args(published)), 2)
    report = _one_line(
        _cli("report", "kvote", "--database", str(published.database), "--period", "2025"), 2
    )
    expected = (
        f"Fejl: {published.database} er ikke en DuckDB-database: angiv datavarehuset med"
        " --database (til et nyt byg: en fil, der ikke findes endnu) eller flyt filen væk."
    )
    assert build == expected and report == expected
    assert published.database.read_text(encoding="utf-8") == "id;navn\n1;ikke en database\n"
    published.database.unlink()
    published.load()  # the case's scan, on a warehouse of the same landing


@pytest.mark.fault("two_builds_at_once")
def test_a_second_build_of_the_same_warehouse_is_refused_while_the_first_runs(published):
    before = sha256(published.database)
    first = subprocess.Popen(
        [sys.executable, "-m", "tests.support.paused_build", "copy", *_build_args(published)[1:]],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )
    try:
        for line in first.stdout:
            if line.startswith("PAUSED copy"):
                break
        second = _one_line(_cli(*_build_args(published)), 2)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=60)
    assert second == (
        f"Fejl: Datavarehuset {published.database} bygges allerede af en anden proces"
        f" (pid {first.pid}): vent, til det byg er færdigt, og byg så igen."
    )
    assert sha256(published.database) == before
    scan_warehouse(published.database, published.landing)


@contextlib.contextmanager
def _read_only_folder(folder: Path):
    """A folder nobody may create files in — also root (the tests may run as root), through the
    immutable attribute, which root cannot bypass without removing it."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        with pytest.raises(OSError):
            (folder / "probe").touch()
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


@pytest.mark.fault("read_only_warehouse_folder")
def test_a_read_only_warehouse_folder_is_named_and_nothing_changes(published, tmp_path):
    before = sha256(published.database)
    new = tmp_path / "new" / "rummelig.duckdb"
    new.parent.mkdir()
    with _read_only_folder(published.root), _read_only_folder(new.parent):
        existing = _one_line(_cli(*_build_args(published)), 2)
        fresh = _one_line(
            _cli("build", "--input", str(published.landing), "--database", str(new)), 2
        )
    for line, folder in ((existing, published.root), (fresh, new.parent)):
        assert line.startswith(f"Fejl: Mappen {folder} er skrivebeskyttet: "), line
        assert line.endswith("vælg en anden --database eller giv skriveadgang."), line
    assert sha256(published.database) == before and not new.exists()
    scan_warehouse(published.database, published.landing)


@pytest.mark.fault("reader_during_the_swap")
def test_a_reader_keeps_its_view_while_a_build_is_swapped_in(published):
    """A report reading the warehouse while a build publishes: the rename does not disturb it
    (it reads the file it opened), and the next reader sees the new build."""
    with duckdb.connect(str(published.database), read_only=True) as reader:
        rows = reader.execute("SELECT count(*) FROM raw.engagements").fetchone()
        with open_for_build(published.database) as build:
            with duckdb.connect(str(build.build_file)) as conn:
                conn.execute("DELETE FROM raw.engagements WHERE engagement_id = 'E4'")
            build.publish()
        assert reader.execute("SELECT count(*) FROM raw.engagements").fetchone() == rows
    with duckdb.connect(str(published.database), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM raw.engagements").fetchone() == (rows[0] - 1,)
    scan_warehouse(published.database, published.landing)


@pytest.mark.fault("published_changed_during_the_build")
def test_a_warehouse_written_by_another_process_during_the_build_is_not_overwritten(published):
    with open_for_build(published.database) as build:
        time.sleep(0.01)  # a different mtime for the other writer's change
        with duckdb.connect(str(published.database)) as other:
            other.execute("CREATE TABLE raw.notes_of_someone_else AS SELECT 1 AS x")
        changed = sha256(published.database)
        with pytest.raises(BuildError, match="er ændret af en anden proces under bygget"):
            build.publish()
    assert sha256(published.database) == changed  # their change stays; ours is not published
    assert not build_file_of(published.database).exists()
    scan_warehouse(published.database, published.landing)


@pytest.mark.fault("wal_beside_the_published_file")
def test_a_write_ahead_log_left_beside_the_warehouse_is_part_of_the_copy(published, tmp_path):
    """A writer that died left `<name>.duckdb.wal`: its committed transactions belong to the
    warehouse, so the build file gets them (DuckDB's own recovery folds them in first)."""
    script = (
        "import duckdb, os, sys; c = duckdb.connect(sys.argv[1]);"
        " c.execute('SET checkpoint_threshold = \\'1GB\\'');"
        " c.execute('CREATE TABLE raw.late AS SELECT 42 AS answer'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script, str(published.database)], check=True)
    assert wal_of(published.database).exists()
    with open_for_build(published.database) as build:
        assert not wal_of(published.database).exists()
        with duckdb.connect(str(build.build_file), read_only=True) as conn:
            assert conn.execute("SELECT answer FROM raw.late").fetchall() == [(42,)]
    scan_warehouse(published.database, published.landing)


@pytest.mark.fault("database_path_is_a_folder")
def test_a_database_path_that_is_a_folder_is_refused(published, tmp_path):
    args = ["build", "--input", str(published.landing), "--database", str(tmp_path)]
    line = _one_line(_cli(*args), 2)
    assert line == (
        f"Fejl: {tmp_path} er en mappe; --database skal være en fil (fx rummelig.duckdb)."
    )
    scan_warehouse(published.database, published.landing)


def test_the_copy_in_the_build_file_is_the_published_warehouse(published):
    with open_for_build(published.database) as build:
        assert sha256(build.build_file) == sha256(published.database)
        assert build.existed and not build.published
    assert not build.build_file.exists()  # not published: removed, the warehouse untouched


def test_a_new_warehouse_that_is_not_published_leaves_no_file(tmp_path):
    database = tmp_path / "ny.duckdb"
    with pytest.raises(RuntimeError), open_for_build(database) as build:
        duckdb.connect(str(build.build_file)).close()
        raise RuntimeError("the build failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ny.dagster"]


def test_a_full_disk_while_copying_is_one_line(published, monkeypatch):
    import errno
    from types import SimpleNamespace

    import orchestration.publish as publish

    def no_space(src, dst):
        Path(dst).write_bytes(b"part")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(publish, "shutil", SimpleNamespace(copyfile=no_space))
    with pytest.raises(WarehouseIOError) as raised, open_for_build(published.database):
        pass
    assert str(raised.value) == (
        f"Der er ikke plads på disken til {build_file_of(published.database)} (No space left on"
        f" device): frigør plads i {published.root} og byg igen."
    )
    assert not build_file_of(published.database).exists()
