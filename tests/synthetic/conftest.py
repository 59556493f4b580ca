"""One small synthetic municipality shared by the generator's tests (it takes about a second)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from synthetic.generate import generate_landing

AS_OF = date(2026, 6, 30)
EMPLOYEES = 800


@pytest.fixture(scope="session")
def landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "landing"
    generate_landing(out, seed=7, employees=EMPLOYEES, as_of=AS_OF)
    return out
