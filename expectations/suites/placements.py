"""Suite on marts.fct_placements_monthly (docs/domain.md §5.2): non-negative measures, one grain."""

from __future__ import annotations

from expectations.core import Suite, gx
from ingest.registers.specs import SCHEMES

# A null benefit_group is its own value in the grain (E11): give it a key so it is compared.
_QUERY = """
SELECT *, coalesce(benefit_group, '(ingen)') AS benefit_group_key
FROM marts.fct_placements_monthly
"""


def _placements_monthly() -> list:
    e = gx().expectations
    return [
        e.ExpectColumnValuesToBeBetween(column="active_persons", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="active_fte", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="starts", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="ends", min_value=0),
        e.ExpectColumnValuesToNotBeNull(column="month_end"),
        e.ExpectColumnValuesToBeInSet(column="scheme", value_set=list(SCHEMES)),
        e.ExpectCompoundColumnsToBeUnique(
            column_list=["month_end", "org_unit_id", "scheme", "benefit_group_key"]
        ),
    ]


SUITES = [
    Suite(
        name="fct_placements_monthly",
        table="marts.fct_placements_monthly",
        expectations=_placements_monthly,
        query=_QUERY,
        description="Placeringer pr. måned: ingen negative tal, én række pr. måned × enhed × "
        "ordning × ydelsesgruppe.",
    ),
]
