"""The dbt resource skips dagster-dbt's `dbt --version` subprocess and its in-process dbt
adapter (orchestration/project.py: EnvDbtCliResource), and still runs dbt."""

from __future__ import annotations

from functools import cached_property
from importlib.metadata import version

import dagster_dbt.core.resource as dagster_dbt_resource
import pytest
from dagster_dbt import DbtCliResource
from packaging.version import Version

from orchestration.project import DBT_PROJECT_DIR, ENV_DBT_CLIENT, EnvDbtCliResource, dbt_cli


def test_the_hooks_it_overrides_still_exist_in_dagster_dbt():
    """An upgrade of dagster-dbt that renames them would silently bring both costs back."""
    assert isinstance(DbtCliResource.__dict__["_cli_version"], cached_property)
    assert callable(DbtCliResource.__dict__["_initialize_dbt_core_adapter"])
    assert "_cli_version" in EnvDbtCliResource.__dict__
    assert "_initialize_dbt_core_adapter" in EnvDbtCliResource.__dict__


def test_dbt_runs_without_a_version_subprocess_or_an_adapter(monkeypatch):
    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"dagster-dbt started {args}")

    monkeypatch.setattr(dagster_dbt_resource, "check_output", no_subprocess)
    resource = dbt_cli()
    assert resource.dbt_executable == str(ENV_DBT_CLIENT)
    assert resource._cli_version == Version(version("dbt-core"))
    invocation = resource.cli(["--version"], raise_on_error=True)
    invocation.wait()
    assert invocation.is_successful()
    assert invocation.adapter is None


def test_another_dbt_is_asked_for_its_version(monkeypatch, tmp_path):
    asked = []

    def fake_version(args, **kwargs):
        asked.append(args)
        return b"Core:\n  - installed: 9.8.7\n"

    monkeypatch.setattr(dagster_dbt_resource, "check_output", fake_version)
    other = tmp_path / "dbt"
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)
    resource = EnvDbtCliResource(project_dir=str(DBT_PROJECT_DIR), dbt_executable=str(other))
    assert resource._cli_version == Version("9.8.7")
    assert asked == [[str(other), "--version"]]


@pytest.mark.parametrize("module", ["great_expectations", "matplotlib"])
def test_loading_the_definitions_imports_neither_gx_nor_matplotlib(module):
    """Both load where they are used (expectations.core.gx, reports.charts.pyplot), not with the
    definitions every build and `rummelig dev` load first."""
    import subprocess
    import sys

    code = f"import sys, orchestration.definitions; print({module!r} in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
