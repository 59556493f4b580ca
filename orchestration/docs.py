"""`make docs`: dbt's documentation site (every model, column, test and the lineage) as one
static HTML file that works offline (`dbt docs generate --static`).

The catalog (column types, row counts) comes from a built warehouse when one is given; without
one, dbt documents the project against a throwaway empty file (descriptions and lineage only).
dbt opens its database for writing, so it gets a copy of the warehouse, never the published file
(a build or a report reading it meanwhile is not locked out; docs/decisions/publish.md).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

from orchestration.project import dbt_cli, dbt_vars
from orchestration.publish import reading


def write_docs(out_dir: Path, database: Path | None = None) -> Path:
    """Write `out_dir/index.html` (the whole site in one file); returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rummelig-docs-") as scratch:
        copy = Path(scratch) / "warehouse.duckdb"
        if database is not None and database.exists():
            with reading(database):  # a shared lock while copying: no writer mid-copy
                shutil.copyfile(database, copy)
        database = copy
        target = Path(scratch) / "target"
        invocation = dbt_cli().cli(
            ["docs", "generate", "--static", "--vars", dbt_vars(date.today(), database)],
            target_path=target,
            raise_on_error=False,
        )
        with contextlib.redirect_stdout(io.StringIO()) as log:  # dagster-dbt echoes dbt
            invocation.wait()
        if not invocation.is_successful():
            raise RuntimeError(f"dbt docs generate fejlede: {log.getvalue().strip()}")
        index = out_dir / "index.html"
        shutil.copyfile(target / "static_index.html", index)
    return index
