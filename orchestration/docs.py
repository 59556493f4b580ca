"""`make docs`: dbt's documentation site (every model, column, test and the lineage) as one
static HTML file that works offline (`dbt docs generate --static`).

The catalog (column types, row counts) comes from a built warehouse when one is given; without
one, dbt documents the project against a throwaway empty file (descriptions and lineage only).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

from orchestration.project import dbt_cli, dbt_vars


def write_docs(out_dir: Path, database: Path | None = None) -> Path:
    """Write `out_dir/index.html` (the whole site in one file); returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rummelig-docs-") as scratch:
        if database is None or not database.exists():
            database = Path(scratch) / "empty.duckdb"
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
