"""Suites on the jobcentre marts (docs/domain.md §5.5–5.6).

All blocking: every expectation follows from the SQL and the rules, so a violation is a bug that
would show jobcentre leaders a wrong retention, outcome or rettidighed figure. The structure
suites check ranges and codes; the consistency queries list rows whose figures contradict each
other or the rules in force (intermediate.int_build carries them) and must return no rows.
"""

from __future__ import annotations

from expectations.core import Suite, gx, no_rows

ENGAGEMENT_TYPES = [
    "ordinaer", "elev", "fleksjob", "fleksjob_foer_2013", "loentilskud", "skaanejob",
    "saerlige_vilkaar", "seniorjob",
]  # fmt: skip
SCHEMES = [
    "virksomhedspraktik", "nyttejob", "loentilskud", "fleksjob", "skaanejob", "saerlige_vilkaar",
    "seniorjob", "beskyttet_beskaeftigelse",
]  # fmt: skip
STATUSES = ["on_time", "late", "missing", "not_due_yet"]

RETENTION_CONTRADICTIONS_SQL = """
SELECT r.*
FROM marts.fct_retention AS r
CROSS JOIN intermediate.int_build AS b
WHERE r.weeks_observed > b.retention_weeks
   OR r.weeks_employed > r.weeks_observed
   OR r.retained_13_of_26 IS DISTINCT FROM (r.weeks_employed >= b.retention_retained_weeks)
   OR r.window_complete IS DISTINCT FROM (r.weeks_observed = b.retention_weeks)
   OR r.start_date NOT BETWEEN b.window_start AND b.as_of
   OR (r.staff_group <> 'inklusion' AND NOT r.preceded_by_placement)
   OR r.preceded_by_placement IS DISTINCT FROM (r.preceding_placement_id IS NOT NULL)
"""

OUTCOME_CONTRADICTIONS_SQL = """
SELECT o.*
FROM marts.fct_placement_outcomes AS o
CROSS JOIN intermediate.int_build AS b
WHERE o.end_date NOT BETWEEN b.window_start AND b.as_of
   OR o.end_date < o.start_date
   OR o.employed_after IS DISTINCT FROM (o.first_engagement_id IS NOT NULL)
   OR o.employed_after IS DISTINCT FROM (o.first_engagement_type IS NOT NULL)
   OR o.employed_after IS DISTINCT FROM (o.days_to_employment IS NOT NULL)
   OR o.first_engagement_type = o.scheme
   OR o.days_to_employment > b.placement_followup_days
   OR o.days_to_employment < o.start_date - o.end_date
   OR o.window_complete IS DISTINCT FROM
        (o.end_date + b.placement_followup_days + b.employment_min_days <= b.as_of)
"""

# Statuses and days_late follow from the dates; dues of a case are numbered 1 … n without gaps
# (the drop rule only ever removes a case's last dues, and due 1 is dropped only with all).
FOLLOWUP_CONTRADICTIONS_SQL = """
WITH checked AS (
    SELECT f.*,
        count(*) OVER (PARTITION BY f.case_id) AS dues_of_case,
        max(f.due_no) OVER (PARTITION BY f.case_id) AS last_due_no,
        b.as_of
    FROM marts.fct_sdp_followup AS f
    CROSS JOIN intermediate.int_build AS b
)
SELECT *
FROM checked
WHERE status IS DISTINCT FROM CASE
        WHEN held_date <= due_date THEN 'on_time'
        WHEN held_date > due_date THEN 'late'
        WHEN due_date < as_of THEN 'missing'
        ELSE 'not_due_yet' END
   OR days_late IS DISTINCT FROM CASE status
        WHEN 'late' THEN held_date - due_date
        WHEN 'missing' THEN as_of - due_date
        ELSE 0 END
   OR dues_of_case <> last_due_no
   OR held_date > as_of
   OR held_date < first_absence_date
   OR due_kind IS DISTINCT FROM CASE WHEN due_no = 1 THEN 'first' ELSE 'later' END
   OR (held_date IS NULL AND case_end_date <= due_date)
"""

# dues = on_time + late + missing for every row, and all = first + later in every month.
MONTHLY_CONTRADICTIONS_SQL = """
WITH months AS (
    SELECT month_end,
        sum(dues) FILTER (WHERE due_kind = 'all') AS all_dues,
        coalesce(sum(dues) FILTER (WHERE due_kind <> 'all'), 0) AS kind_dues,
        sum(on_time) FILTER (WHERE due_kind = 'all') AS all_on_time,
        coalesce(sum(on_time) FILTER (WHERE due_kind <> 'all'), 0) AS kind_on_time
    FROM marts.fct_rettidighed_monthly
    GROUP BY month_end
)
SELECT m.month_end, m.due_kind, m.dues, m.on_time, m.late, m.missing, m.rettidighed_pct
FROM marts.fct_rettidighed_monthly AS m
WHERE m.dues <> m.on_time + m.late + m.missing
   OR abs(m.rettidighed_pct - 100.0 * m.on_time / m.dues) > 1e-9
   OR (m.median_days_late IS NULL) <> (m.late + m.missing = 0)
UNION ALL
SELECT month_end, 'all', all_dues, all_on_time, NULL, NULL, NULL
FROM months
WHERE all_dues IS DISTINCT FROM kind_dues OR all_on_time IS DISTINCT FROM kind_on_time
"""


def _retention() -> list:
    e = gx().expectations
    return [
        e.ExpectColumnValuesToBeUnique(column="engagement_id"),
        e.ExpectColumnValuesToNotBeNull(column="person_key"),
        e.ExpectColumnValuesToNotBeNull(column="start_date"),
        e.ExpectColumnValuesToBeInSet(column="engagement_type", value_set=ENGAGEMENT_TYPES),
        # ≤ retention weeks (26 by default): the consistency query compares with the rule.
        e.ExpectColumnValuesToBeBetween(column="weeks_observed", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="weeks_employed", min_value=0),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="weeks_observed", column_B="weeks_employed", or_equal=True
        ),
    ]


def _outcomes() -> list:
    e = gx().expectations
    return [
        e.ExpectColumnValuesToBeUnique(column="placement_id"),
        e.ExpectColumnValuesToNotBeNull(column="person_key"),
        e.ExpectColumnValuesToNotBeNull(column="end_date"),
        e.ExpectColumnValuesToBeInSet(column="scheme", value_set=SCHEMES),
        e.ExpectColumnValuesToBeInSet(column="first_engagement_type", value_set=ENGAGEMENT_TYPES),
        e.ExpectColumnValuesToNotBeNull(column="employed_after"),
        e.ExpectColumnValuesToNotBeNull(column="window_complete"),
    ]


def _followup() -> list:
    e = gx().expectations
    return [
        e.ExpectCompoundColumnsToBeUnique(column_list=["case_id", "due_no"]),
        e.ExpectColumnValuesToNotBeNull(column="rule_version"),
        e.ExpectColumnValuesToNotBeNull(column="due_date"),
        e.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES),
        e.ExpectColumnValuesToBeBetween(column="due_no", min_value=1),
        e.ExpectColumnValuesToBeBetween(column="days_late", min_value=0),
    ]


def _monthly() -> list:
    e = gx().expectations
    return [
        e.ExpectCompoundColumnsToBeUnique(column_list=["month_end", "due_kind"]),
        e.ExpectColumnValuesToBeInSet(column="due_kind", value_set=["first", "later", "all"]),
        e.ExpectColumnValuesToBeBetween(column="dues", min_value=1),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="dues", column_B="on_time", or_equal=True
        ),
        e.ExpectColumnValuesToBeBetween(column="rettidighed_pct", min_value=0, max_value=100),
        e.ExpectColumnValuesToBeBetween(column="median_days_late", min_value=0),
    ]


SUITES = [
    Suite(
        name="fct_retention",
        table="marts.fct_retention",
        expectations=_retention,
        description="Fastholdelse: én række pr. ansættelse, kendte ansættelsestyper, "
        "0 ≤ uger i beskæftigelse ≤ observerede uger.",
    ),
    Suite(
        name="fct_retention_consistency",
        table="marts.fct_retention",
        expectations=no_rows,
        query=RETENTION_CONTRADICTIONS_SQL,
        description="Fastholdelse: fastholdt = mindst 13 uger, komplet vindue = alle uger "
        "observeret, start i rapportperioden, kun inklusionsansatte eller ansatte efter et "
        "forløb.",
    ),
    Suite(
        name="fct_placement_outcomes",
        table="marts.fct_placement_outcomes",
        expectations=_outcomes,
        description="Forløbsresultater: én række pr. afsluttet forløb med kendte ordninger og "
        "ansættelsestyper.",
    ),
    Suite(
        name="fct_placement_outcomes_consistency",
        table="marts.fct_placement_outcomes",
        expectations=no_rows,
        query=OUTCOME_CONTRADICTIONS_SQL,
        description="Forløbsresultater: i job efter ⇔ første ansættelse udfyldt, ikke forløbets "
        "egen ordning, senest opfølgningsdagene efter slut, slut i rapportperioden.",
    ),
    Suite(
        name="fct_sdp_followup",
        table="marts.fct_sdp_followup",
        expectations=_followup,
        description="Opfølgningssamtaler: én række pr. sag og frist, kendte statusser, "
        "dage for sent ≥ 0.",
    ),
    Suite(
        name="fct_sdp_followup_consistency",
        table="marts.fct_sdp_followup",
        expectations=no_rows,
        query=FOLLOWUP_CONTRADICTIONS_SQL,
        description="Opfølgningssamtaler: status og dage for sent følger af datoerne; fristerne "
        "er nummereret 1 … n uden huller; ingen uafholdt frist efter sagens afslutning.",
    ),
    Suite(
        name="fct_rettidighed_monthly",
        table="marts.fct_rettidighed_monthly",
        expectations=_monthly,
        description="Rettidighed pr. måned: én række pr. måned og fristtype, frister ≥ rettidige, "
        "procent mellem 0 og 100.",
    ),
    Suite(
        name="fct_rettidighed_monthly_consistency",
        table="marts.fct_rettidighed_monthly",
        expectations=no_rows,
        query=MONTHLY_CONTRADICTIONS_SQL,
        description="Rettidighed pr. måned: frister = rettidige + for sene + manglende, procenten "
        "passer, alle = første + senere i hver måned.",
    ),
]
