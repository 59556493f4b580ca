"""The rimelighedskrav before 2022, end to end (docs/domain.md §4, §5.3): a hand-written landing
folder (tests/e2e/landing_statutory) through `rummelig build` (ingest → dbt → checks → publish).

By hand, as_of 2022-02-15 (window 2019-02 … 2022-02-15, 37 month-ends):
  W1 Daginstitution Stjernen (P-number, approved since 2019): 10 ordinaer at 18,5 h since 2019
  → headcount 10, FTE 5,0 every month (so the 4-month FTE mean is 5,0).
  P1, P2 løntilskud 37 h from 2021-11-01; P3 løntilskud 37 h from 2022-01-10.
  2021-12-31, bek_1297_2017 (basis headcount): N = 10 → allowed max(1, floor(10/5)) = 2;
    2 persons placed → ok.
  2022-01-31, bek_2636_2021 (basis fte_4m_avg): N = 5,0 → allowed max(1, floor(5/5)) = 1;
    3,0 FTE placed → over.
  Breaches, judged on the start date with the placement counted: P1 and P2 (2021-11-01, 2
  persons ≤ 2 under the old rule; under the new one 2,0 FTE > 1 would be a breach) have none;
  P3 (2022-01-10): 3 > allowed_local floor(10/5) = 2 → over_local_quota; 3,0 FTE > 1 →
  over_statutory.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestration.cli import cli
from tests.support.landing_build import rows

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("statutory_pre_2022")]

LANDING = Path(__file__).parent / "landing_statutory"
AS_OF = date(2022, 2, 15)
COLUMNS = """month_end, ordinary_headcount, ordinary_fte, extraordinary_persons, allowed_local,
    status_local, statutory_version, statutory_count, statutory_basis, ordinary_fte_4m_avg,
    allowed_statutory, status_statutory"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("statutory") / "w.duckdb"
    args = ["build", "--input", str(LANDING), "--database", str(database)]
    result = CliRunner().invoke(
        cli,
        [*args, "--as-of", AS_OF.isoformat()],
        env={"RUMMELIG_PSEUDONYM_KEY": "statutory-e2e-secret"},
    )
    assert result.exit_code == 0, result.output
    assert f"Datavarehuset {database.resolve()} er udgivet" in result.output
    return database


def test_the_version_valid_on_each_month_end_decides_the_basis(warehouse):
    got = rows(
        warehouse,
        f"SELECT {COLUMNS} FROM marts.fct_quota_status WHERE workplace_id = 'W1'"
        " AND month_end IN ('2021-10-31', '2021-12-31', '2022-01-31') ORDER BY month_end",
    )
    old, new = ("bek_1297_2017", "headcount"), ("bek_2636_2021", "fte_4m_avg")
    assert got == [
        (date(2021, 10, 31), 10, 5.0, 0, 2, "under", old[0], 0.0, old[1], 5.0, 2, "ok"),
        (date(2021, 12, 31), 10, 5.0, 2, 2, "at", old[0], 2.0, old[1], 5.0, 2, "ok"),
        (date(2022, 1, 31), 10, 5.0, 3, 2, "over", new[0], 3.0, new[1], 5.0, 1, "over"),
    ]  # fmt: skip
    assert rows(
        warehouse, "SELECT count(*), min(month_end), max(month_end) FROM marts.fct_quota_status"
    ) == [(37, date(2019, 2, 28), AS_OF)]


def test_placements_started_before_2022_are_judged_by_headcount(warehouse):
    assert rows(
        warehouse, "SELECT placement_id, breach_type, detail FROM marts.fct_quota_breaches"
        " ORDER BY ALL",
    ) == [
        ("P3", "over_local_quota", "3 ekstraordinære, tilladt 2 (10 ordinære, 5 årsværk)"),
        (
            "P3",
            "over_statutory",
            "rimelighedskrav: 3 årsværk omfattet, tilladt 1 ved gns. 5 ordinære årsværk (4 mdr.)"
            " (bek_2636_2021)",
        ),
    ]  # fmt: skip
