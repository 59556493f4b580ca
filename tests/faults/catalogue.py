"""The fault kinds the tests cover (from their `fault` markers) and the kinds
docs/fault-catalogue.md lists, so the two can be compared."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "docs" / "fault-catalogue.md"
_ROW = re.compile(r"^\|\s*`([a-z0-9_]+)`\s*\|(.*)\|\s*`([^`]+)`\s*\|\s*$")


def _marks(obj) -> list:
    return list(getattr(obj, "pytestmark", []))


def tested_kinds() -> dict[str, str]:
    """kind → test id (path::function[param]) of every `fault` marker under tests/faults."""
    kinds: dict[str, str] = {}
    for path in sorted((ROOT / "tests" / "faults").glob("test_*.py")):
        module = importlib.import_module(f"tests.faults.{path.stem}")
        for name, function in vars(module).items():
            if not name.startswith("test_"):
                continue
            test_id = f"tests/faults/{path.name}::{name}"
            for mark in _marks(function):
                if mark.name == "fault":
                    kinds[mark.args[0]] = test_id
                if mark.name == "parametrize":
                    for param in mark.args[1]:
                        for inner in getattr(param, "marks", ()):
                            if inner.name == "fault":
                                kinds[inner.args[0]] = f"{test_id}[{param.id}]"
    return kinds


def catalogued_kinds() -> dict[str, str]:
    """kind → test id of every row of docs/fault-catalogue.md's tables."""
    rows = (_ROW.match(line) for line in CATALOGUE.read_text(encoding="utf-8").splitlines())
    return {m.group(1): m.group(3) for m in rows if m}
