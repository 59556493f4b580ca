"""The report step (orchestration/assets/reports.py) and the build's report processes
(orchestration/report_pool.py): the same files as rendering here, rendered by the processes, and
a report that fails does not take the others with it."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, materialize

import reports.registry
from orchestration.assets.reports import report_assets
from orchestration.report_pool import REPORTS_STEP, render_reports, report_pool
from orchestration.resources import build_resources

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("report_pool")]

NAMES = sorted(reports.registry.all_reports())


def _render_all(demo_warehouse, out: Path) -> dict[str, list[str]]:
    rendered = render_reports(NAMES, str(demo_warehouse.database), "2025", str(out), {})
    return {name: [p.name for p in future.result()] for name, future in rendered}


# "rapporten dannet 7. dec. 2026 kl. 21.18": two renders may straddle a minute
GENERATED = re.compile(r"rapporten dannet [^<]*?kl\. \d{1,2}\.\d{2}")


def _html(folder: Path) -> dict[str, str]:
    """The HTML of each report, its generation time left out."""
    return {
        p.name: GENERATED.sub("rapporten dannet …", p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.html"))
    }


def test_the_processes_render_the_same_reports_as_this_process(
    demo_warehouse, tmp_path, monkeypatch
):
    here = _render_all(demo_warehouse, tmp_path / "here")
    # this process can no longer render: what the pool writes, its processes rendered
    monkeypatch.setattr(reports.registry, "run_report", _refuse)
    with report_pool():
        there = _render_all(demo_warehouse, tmp_path / "there")
    assert there == here and len(here) == len(NAMES)
    assert _html(tmp_path / "there") == _html(tmp_path / "here")
    assert len(_html(tmp_path / "here")) == len(NAMES)


def _refuse(*_args, **_kwargs):
    raise AssertionError("rendered in the build's own process")


@pytest.mark.parametrize("pooled", [False, True], ids=["here", "pool"])
def test_a_failing_report_is_named_and_the_others_are_written(demo_warehouse, tmp_path, pooled):
    """A warehouse without reporting.rpt_hmu_outcomes (built by an older version): the HMU report
    fails with its Danish reason, every other report is written and materialised."""
    database = tmp_path / "old.duckdb"
    shutil.copy(demo_warehouse.database, database)
    with duckdb.connect(str(database)) as conn:
        conn.execute("DROP TABLE reporting.rpt_hmu_outcomes")
    resources = build_resources(
        database,
        demo_warehouse.landing,
        as_of=demo_warehouse.as_of,
        reports_dir=tmp_path / "out",
    )
    with report_pool() if pooled else contextlib.nullcontext():
        result = materialize([report_assets], resources=resources, raise_on_error=False)
    written = {e.asset_key for e in result.get_asset_materialization_events()}
    assert written == {AssetKey(["reports", name]) for name in NAMES if name != "hmu"}
    [failure] = result.get_step_failure_events()
    assert failure.step_key == REPORTS_STEP
    message = failure.step_failure_data.error.message
    assert "Rapporten hmu: Varehuset" in message and "reporting.rpt_hmu_outcomes" in message
    assert not list((tmp_path / "out").glob("hmu_*"))
    assert len(list((tmp_path / "out").glob("*.html"))) == len(NAMES) - 1
