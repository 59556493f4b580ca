"""Debian programs some report tests drive (headless Chromium, LibreOffice Calc).

`make test` installs them when it can. Without one, its tests skip; the variable named by
`require_env` (set to 1 by .ci/run) turns that skip into a failure, so CI cannot pass without them.
"""

from __future__ import annotations

import os
import shutil

import pytest


def required_program(names: tuple[str, ...], require_env: str, package: str) -> str:
    """The first of `names` on PATH; else skip the test, or fail it when $require_env is 1."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get(require_env) == "1":
        pytest.fail(f"{require_env}=1 but none of {', '.join(names)} is on PATH")
    pytest.skip(f"none of {', '.join(names)} on PATH (apt-get install {package})")
