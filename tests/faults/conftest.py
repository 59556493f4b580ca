"""Fault cases (docs/fault-catalogue.md): each test is marked `@pytest.mark.fault("<kind>")`,
loads through tests/faults/harness.py, and must have run the CPR scan at least once."""

from __future__ import annotations

import pytest

from tests.faults.harness import SCANS, Case
from tests.ingest.landing_helpers import TEST_SECRET


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fault(kind): a fault case of docs/fault-catalogue.md")


@pytest.fixture(autouse=True)
def pseudonym_secret(monkeypatch):
    monkeypatch.setenv("RUMMELIG_PSEUDONYM_KEY", TEST_SECRET)


@pytest.fixture(autouse=True)
def every_fault_case_is_scanned(request):
    before = SCANS["count"]
    yield
    failed = getattr(request.node, "rep_call_failed", lambda: True)()
    if request.node.get_closest_marker("fault") and not failed:
        assert SCANS["count"] > before, "a fault case must load through Case.load (CPR scan)"


@pytest.fixture
def case(tmp_path) -> Case:
    return Case(tmp_path)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        item.rep_call_failed = lambda: report.failed
    return report
