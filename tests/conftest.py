"""Session set-up shared by every test: the dbt manifest, a pseudonym key, the demo warehouse.

`@dbt_assets` reads dbt_project/target/manifest.json when orchestration.definitions is imported,
so the manifest is prepared (orchestration.project.prepare_manifest, as a build does) in
pytest_sessionstart — once, in the xdist controller (workers carry `workerinput` and start after
the controller's hook) or in a plain run.

`demo_warehouse` is session-scoped: a synthetic municipality built through the real Dagster job
by the `rummelig demo` command. Mark every test module that uses it with
`@pytest.mark.xdist_group("demo_warehouse")` so that, under `--dist loadgroup`, one worker builds
it once and runs all of those tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

# Tests never touch the user's ~/.rummelig key: one key file per test machine user, created by
# ingest on first use (mode 0600). A RUMMELIG_PSEUDONYM_KEY in the environment still wins.
os.environ.setdefault(
    "RUMMELIG_PSEUDONYM_KEY_FILE",
    str(Path(tempfile.gettempdir()) / f"rummelig-tests-{os.getuid()}" / "pseudonym.key"),
)

DEMO_AS_OF = date(2025, 11, 15)
DEMO_EMPLOYEES = 400
DEMO_SEED = 7


def pytest_sessionstart(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return
    from orchestration.errors import DbtPrepareError
    from orchestration.project import prepare_manifest

    scratch = Path(tempfile.mkdtemp(prefix="rummelig-parse-"))
    try:
        prepare_manifest(
            as_of=DEMO_AS_OF, database=scratch / "parse.duckdb", target_path=scratch / "target"
        )
    except DbtPrepareError as exc:  # the tests that need Dagster fail on their own, with this
        warnings.warn(f"dbt parse failed, Dagster tests will fail: {exc}", stacklevel=1)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make `--dist loadgroup` group again under pytest 9.

    pytest-xdist 3.8 tags each item's nodeid with `@<xdist_group>` by assigning `item._nodeid`;
    pytest 9 reads the nodeid from `item._id` instead, so the tag is lost and grouped tests are
    spread over workers (each building its own session fixtures). Re-apply the tag here, in the
    workers, where xdist's own hook ran.
    """
    if not config.getoption("loadgroup", default=False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        groups = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


@dataclass(frozen=True)
class DemoWarehouse:
    landing: Path
    database: Path
    reports: Path
    as_of: date
    output: str  # what `rummelig demo` printed


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DemoWarehouse:
    """Synthetic landing (400 employees, seed 7, as_of 2025-11-15) → Dagster build → reports."""
    from click.testing import CliRunner

    from orchestration.cli import cli

    out = tmp_path_factory.mktemp("demo")
    args = ["demo", "--out", str(out), "--employees", str(DEMO_EMPLOYEES)]
    args += ["--seed", str(DEMO_SEED), "--as-of", DEMO_AS_OF.isoformat()]
    result = CliRunner().invoke(cli, args)
    if result.exit_code != 0:
        raise RuntimeError(
            f"rummelig demo failed (exit {result.exit_code}):\n{result.output}"
        ) from result.exception
    return DemoWarehouse(
        landing=out / "landing",
        database=out / "rummelig.duckdb",
        reports=out / "reports",
        as_of=DEMO_AS_OF,
        output=result.output,
    )
