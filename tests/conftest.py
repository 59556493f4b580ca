"""Session set-up shared by every test: the dbt manifest, a pseudonym key, the demo warehouse.

`@dbt_assets` reads dbt_project/target/manifest.json when orchestration.definitions is imported,
so the manifest is prepared (orchestration.project.prepare_manifest, as a build does) in
pytest_sessionstart — once, in the xdist controller (workers carry `workerinput` and start after
the controller's hook) or in a plain run.

`demo_warehouse` is session-scoped and shared by every xdist worker: a synthetic municipality
built once by the real `rummelig demo` (tests/support/demo.py). Under xdist the controller starts
that build in the background when the session starts, so it overlaps the other tests, and any
worker can run the tests that read it (read-only: a test that changes it works on a copy).

With RUMMELIG_CI=1 (set by .ci/run) or a RUMMELIG_REQUIRE_* variable, a skipped test fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.support.demo import DEMO_AS_OF, start_in_background, wait_or_build, wants_demo

# Tests never touch the user's ~/.rummelig key: one key file per test machine user, created by
# ingest on first use (mode 0600). A RUMMELIG_PSEUDONYM_KEY in the environment still wins.
os.environ.setdefault(
    "RUMMELIG_PSEUDONYM_KEY_FILE",
    str(Path(tempfile.gettempdir()) / f"rummelig-tests-{os.getuid()}" / "pseudonym.key"),
)

STRICT_ENV = ("RUMMELIG_CI", "RUMMELIG_REQUIRE_BROWSER", "RUMMELIG_REQUIRE_LIBREOFFICE")


def _shared_root(config: pytest.Config) -> Path:
    """The session's base temp folder; an xdist worker's own base temp is a sub-folder of it."""
    base = config._tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


def pytest_sessionstart(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return
    _prepare_manifest()
    config = session.config
    if config.getoption("numprocesses", default=None) and wants_demo(config.args):
        config._demo_build = start_in_background(_shared_root(config))


def pytest_sessionfinish(session: pytest.Session) -> None:
    process = getattr(session.config, "_demo_build", None)
    if process is not None and process.poll() is None:  # no worker needed it after all
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _prepare_manifest() -> None:
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
def demo_warehouse(pytestconfig: pytest.Config) -> DemoWarehouse:
    """Synthetic landing (400 employees, seed 7, as_of 2025-11-15) → Dagster build → reports."""
    root = _shared_root(pytestconfig)
    result = wait_or_build(root)
    if result["exit_code"] != 0:
        code, output = result["exit_code"], result["output"]
        raise RuntimeError(f"rummelig demo failed (exit {code}):\n{output}")
    out = root / "demo"
    return DemoWarehouse(
        landing=out / "landing",
        database=out / "rummelig.duckdb",
        reports=out / "reports",
        as_of=DEMO_AS_OF,
        output=result["output"],
    )


def _strict() -> bool:
    return any(os.environ.get(name) == "1" for name in STRICT_ENV)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """Under CI a skip is a failure: a test that cannot run has not shown anything."""
    report = yield
    if report.skipped and _strict() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under RUMMELIG_CI/RUMMELIG_REQUIRE_*: {reason}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    """A module skipped at collection (pytest.skip/importorskip at import) fails under CI too."""
    report = yield
    if report.skipped and _strict():
        report.outcome = "failed"
        reason = report.longrepr
        report.longrepr = f"collection skipped under RUMMELIG_CI/RUMMELIG_REQUIRE_*: {reason}"
    return report
