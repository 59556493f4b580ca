"""The Dagster UI over the demo warehouse shows what `rummelig demo` built, and opening it starts
nothing: `rummelig dev` (make dev) is started for real on the demo's folder, and its webserver's
GraphQL API — what the UI itself reads — is asked about runs, assets, checks and the sensor."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dagster_ui")]

LOCATION = "orchestration.definitions"

QUERY = """
query {
  runsOrError { ... on Runs { results { runId status jobName tags { key value } } } }
  assetNodes {
    assetKey { path }
    assetMaterializations(limit: 1) { runId }
    assetChecksOrError {
      ... on AssetChecks {
        checks { name blocking executionForLatestMaterialization { runId status } }
      }
    }
  }
  sensorOrError(sensorSelector: {repositoryLocationName: "LOCATION",
                                 repositoryName: "__repository__",
                                 sensorName: "jobindsats_extracts"}) {
    ... on Sensor { sensorState { status ticks(limit: 10) { status skipReason runIds } } }
  }
}
""".replace("LOCATION", LOCATION)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body["errors"]
    return body["data"]


def _wait_for_first_sensor_tick(port: int, process, deadline: float) -> dict:
    """Poll until the daemon has evaluated the sensor once (the UI's loading state before)."""
    while time.monotonic() < deadline:
        assert process.poll() is None, "rummelig dev stopped"
        try:
            data = _graphql(port, QUERY)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(2)
            continue
        sensor = data["sensorOrError"]
        if sensor.get("sensorState", {}).get("ticks"):
            return data
        time.sleep(2)
    raise AssertionError("the jobindsats sensor was never evaluated")


def test_the_ui_shows_the_demo_build_and_starting_it_launches_no_run(demo_warehouse, tmp_path):
    from orchestration.definitions import ASSET_KEYS
    from orchestration.warehouse import dagster_home

    out = demo_warehouse.database.parent
    port = _free_port()
    log = tmp_path / "dev.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", "dev", "--out", str(out)]
            + ["--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the webserver, daemon, code server
        )
    try:
        data = _wait_for_first_sensor_tick(port, process, time.monotonic() + 240)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    output = log.read_text()

    # the demo's two runs on the warehouse's own instance — the build (published) and the
    # reports from the published file — and no other (the sensor skipped)
    runs = {
        next(t["value"] for t in r["tags"] if t["key"] == "rummelig/part"): r
        for r in data["runsOrError"]["results"]
    }
    assert sorted(runs) == ["byg", "rapporter"] and len(data["runsOrError"]["results"]) == 2
    run, reports_run = runs["byg"], runs["rapporter"]
    for each in (run, reports_run):
        assert each["status"] == "SUCCESS" and each["jobName"] == "build_all"
        assert {"key": "rummelig/as_of", "value": "2025-11-15"} in each["tags"]
    assert {"key": "rummelig/published", "value": "ja"} in run["tags"]
    [tick, *_] = data["sensorOrError"]["sensorState"]["ticks"]
    assert tick["status"] == "SKIPPED" and tick["runIds"] == []

    # every mart and raw table materialised by the build's run, every report by the reports'
    nodes = {"/".join(n["assetKey"]["path"]): n for n in data["assetNodes"]}
    marts = {k.to_user_string() for k in ASSET_KEYS if k.path[0] == "marts"}
    assert {"marts/fct_sickness", "marts/fct_quota_status", "marts/fct_benchmark"} <= marts
    for key in sorted(marts | {"raw/engagements"}):
        assert nodes[key]["assetMaterializations"] == [{"runId": run["runId"]}], key
    for key in ["reports/sygefravaer", "reports/benchmark", "reports/kvote", "reports/inklusion"]:
        assert nodes[key]["assetMaterializations"] == [{"runId": reports_run["runId"]}], key

    # every check has its result from that run: the GX suites, each by name (dbt's data tests
    # are not asset checks: test_demo_build finds them in dbt's run_results)
    from expectations.suites import all_suites

    checks = {
        (key, c["name"]): c
        for key, node in nodes.items()
        for c in node["assetChecksOrError"].get("checks", [])
    }
    assert set(checks) == {("/".join(s.asset_key_path), s.name) for s in all_suites()}
    results = {k: (c["executionForLatestMaterialization"] or {}) for k, c in checks.items()}
    assert {r.get("runId") for r in results.values()} == {run["runId"]}
    assert results[("raw/engagements", "raw_engagements")]["status"] == "SUCCEEDED"
    assert results[("marts/fct_sickness", "fct_sickness")]["status"] == "SUCCEEDED"
    # the demo's planted HR ↔ jobcentre mismatches: the non-blocking suite's warning
    assert (
        results[("marts/fct_inclusion_reconciliation", "fct_inclusion_reconciliation")]["status"]
        == "FAILED"
    )

    # start-up is quiet: the instance has its dagster.yaml, telemetry is off
    assert (dagster_home(demo_warehouse.database) / "dagster.yaml").exists()
    for noise in ["SupersessionWarning", "No dagster instance configuration file", "telemetry"]:
        assert noise not in output, output
