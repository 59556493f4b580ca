"""Suite discovery: every module in this package that defines `SUITES: list[Suite]`."""

from __future__ import annotations

import importlib
import pkgutil

from expectations.core import Suite


def all_suites() -> list[Suite]:
    """Every suite of every module here, in module-name order; suite names must be unique."""
    suites: list[Suite] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        suites.extend(getattr(module, "SUITES", []))
    names = [s.name for s in suites]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"GX suite names must be unique: {', '.join(duplicates)}")
    return suites
