"""A fixed pseudonymisation secret for every ingest test (no key file in the home folder)."""

from __future__ import annotations

import pytest

from tests.ingest.landing_helpers import TEST_SECRET


@pytest.fixture(autouse=True)
def pseudonym_secret(monkeypatch):
    monkeypatch.setenv("RUMMELIG_PSEUDONYM_KEY", TEST_SECRET)
