"""Suites on the quota marts (docs/domain.md §5.3) and the register reconciliation (issue 3).

The quota marts are blocking: a wrong quota figure would tell the HMU a workplace keeps its
quota when it does not. The reconciliation is a warning: unmatched records are a data-quality
finding for HR and the jobcentre, not a reason to stop the build.
"""

from __future__ import annotations

from expectations.core import Suite, gx, no_rows

BREACH_TYPES = [
    "not_approved",
    "karens",
    "over_local_quota",
    "over_statutory",
    "merbeskaeftigelse",
]

RECONCILIATION_REASONS = [
    "no_placement",
    "placement_other_workplace",
    "placement_other_scheme",
    "no_engagement",
    "engagement_other_workplace",
    "engagement_other_type",
]

# Rows whose figures contradict each other; the suite expects none.
STATUS_CONTRADICTIONS_SQL = """
SELECT *
FROM marts.fct_quota_status
WHERE headroom_local IS DISTINCT FROM allowed_local - extraordinary_persons
   OR status_local IS DISTINCT FROM CASE
        WHEN extraordinary_persons < allowed_local THEN 'under'
        WHEN extraordinary_persons = allowed_local THEN 'at'
        ELSE 'over' END
   OR (allowed_statutory IS NOT NULL AND status_statutory IS DISTINCT FROM CASE
        WHEN statutory_count > allowed_statutory THEN 'over' ELSE 'ok' END)
   OR in_karens IS DISTINCT FROM (karens_until IS NOT NULL)
"""


def _status_columns() -> list:
    e = gx().expectations
    return [
        e.ExpectCompoundColumnsToBeUnique(column_list=["month_end", "workplace_id"]),
        e.ExpectColumnValuesToNotBeNull(column="workplace_id"),
        e.ExpectColumnValuesToNotBeNull(column="month_end"),
        e.ExpectColumnValuesToBeBetween(column="allowed_statutory", min_value=1),
        e.ExpectColumnValuesToBeBetween(column="ordinary_headcount", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="ordinary_fte", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="extraordinary_persons", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="allowed_local", min_value=0),
        e.ExpectColumnValuesToBeInSet(column="status_local", value_set=["under", "at", "over"]),
        e.ExpectColumnValuesToBeInSet(column="status_statutory", value_set=["ok", "over"]),
        e.ExpectColumnValuesToBeInSet(
            column="statutory_basis", value_set=["headcount", "fte_4m_avg"]
        ),
    ]


def _breaches() -> list:
    e = gx().expectations
    return [
        e.ExpectCompoundColumnsToBeUnique(column_list=["placement_id", "breach_type"]),
        e.ExpectColumnValuesToBeInSet(column="breach_type", value_set=BREACH_TYPES),
        e.ExpectColumnValuesToNotBeNull(column="placement_id"),
        e.ExpectColumnValuesToNotBeNull(column="workplace_id"),
        e.ExpectColumnValuesToNotBeNull(column="detail"),
    ]


def _reconciliation() -> list:
    e = gx().expectations
    return [
        # Every row is a record one register knows and the other does not: ideally none.
        e.ExpectTableRowCountToEqual(value=0),
        e.ExpectColumnValuesToBeInSet(column="reason_code", value_set=RECONCILIATION_REASONS),
        e.ExpectCompoundColumnsToBeUnique(column_list=["record_type", "record_id"]),
    ]


SUITES = [
    Suite(
        name="fct_quota_status",
        table="marts.fct_quota_status",
        expectations=_status_columns,
        description="Kvotestatus: én række pr. arbejdsplads og måned, tilladt efter "
        "rimelighedskravet mindst 1, kendte statuskoder.",
    ),
    Suite(
        name="fct_quota_status_consistency",
        table="marts.fct_quota_status",
        expectations=no_rows,
        query=STATUS_CONTRADICTIONS_SQL,
        description="Kvotestatus hænger sammen: råderum = tilladt − ekstraordinære, status "
        "svarer til tallene, karens har en slutdato.",
    ),
    Suite(
        name="fct_quota_breaches",
        table="marts.fct_quota_breaches",
        expectations=_breaches,
        description="Kvotebrud: én række pr. forløb og brudtype, kendte brudtyper, forklaring.",
    ),
    Suite(
        name="fct_inclusion_reconciliation",
        table="marts.fct_inclusion_reconciliation",
        expectations=_reconciliation,
        blocking=False,
        description="Afstemning HR ↔ jobcenter: ansættelser i inklusionsordninger uden forløb "
        "og forløb i ansættelsesordninger uden ansættelse (advarsel).",
    ),
]
