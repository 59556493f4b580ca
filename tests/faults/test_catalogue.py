"""docs/fault-catalogue.md and the fault tests agree, and the CPR scan of the harness sees a
leak (so "no hit" in every case means something)."""

from __future__ import annotations

import duckdb
import pytest

from tests.faults import catalogue


def test_every_catalogued_kind_has_its_test_and_every_fault_test_is_catalogued():
    tested = catalogue.tested_kinds()
    assert catalogue.catalogued_kinds() == tested
    assert len(tested) >= 50


def test_the_harness_scan_fails_on_a_cpr_in_any_spelling(case):
    case.load()
    for spelling in ("0101901234", "010190-1234", "010190.1234", "010190/1234", "010190 1234"):
        with duckdb.connect(str(case.database)) as conn:
            conn.execute("UPDATE raw._files_absences SET engagement_id = ?", [spelling])
        with pytest.raises(AssertionError, match="_files_absences"):
            case.scan()
