"""Suites on marts.fct_sickness (docs/domain.md §5.4).

Blocking: the structure of the figures (unique grain, valid codes, alle = ordinaere + inklusion
for hours, a parent's hours = its own + its children's, persons between the largest group and the
sum of the groups). These follow from the SQL, so a violation is a bug that must stop the build.

Warning (not blocking): absence_pct within 0–100 and absence_hours ≤ contracted_hours. Without a
registered `hours` they hold by construction; a spell whose `hours` exceed the engagement's
contracted hours on its working days breaks them — a register error HR must correct, not a
reason to withhold every other figure.

Persons are not additive: a person who changed group inside a period (e.g. from løntilskud to
ordinary employment) counts once in each group and once in alle, so alle ≤ ordinaere + inklusion.
"""

from __future__ import annotations

from expectations.core import Suite, gx, no_rows

# Rounding: every hour figure is rounded to 6 decimals, so sums may differ by a few 1e-6.
TOLERANCE = 0.01

GROUPS_MISMATCH_SQL = f"""
WITH by_group AS (
    SELECT org_unit_id, period_type, period_start,
        sum(contracted_hours) FILTER (WHERE staff_group = 'alle') AS alle_contracted,
        coalesce(sum(contracted_hours) FILTER (WHERE staff_group <> 'alle'), 0) AS sum_contracted,
        sum(absence_hours) FILTER (WHERE staff_group = 'alle') AS alle_absence,
        coalesce(sum(absence_hours) FILTER (WHERE staff_group <> 'alle'), 0) AS sum_absence,
        max(persons) FILTER (WHERE staff_group = 'alle') AS alle_persons,
        coalesce(sum(persons) FILTER (WHERE staff_group <> 'alle'), 0) AS sum_persons,
        coalesce(max(persons) FILTER (WHERE staff_group <> 'alle'), 0) AS max_group_persons
    FROM marts.fct_sickness
    GROUP BY ALL
)
SELECT *
FROM by_group
WHERE alle_contracted IS NULL
   OR abs(alle_contracted - sum_contracted) > {TOLERANCE}
   OR abs(alle_absence - sum_absence) > {TOLERANCE}
   OR alle_persons > sum_persons
   OR alle_persons < max_group_persons
"""

HIERARCHY_MISMATCH_SQL = f"""
WITH children AS (
    SELECT units.parent_id AS org_unit_id, s.period_type, s.period_start, s.staff_group,
        sum(s.contracted_hours) AS contracted_hours, sum(s.absence_hours) AS absence_hours
    FROM marts.fct_sickness AS s
    INNER JOIN marts.dim_org_unit AS units ON units.org_unit_id = s.org_unit_id
    WHERE units.parent_id IS NOT NULL
    GROUP BY ALL
)
SELECT parent.org_unit_id, parent.period_type, parent.period_start, parent.staff_group,
    parent.contracted_hours, parent.own_contracted_hours,
    children.contracted_hours AS children_contracted_hours
FROM marts.fct_sickness AS parent
LEFT JOIN children USING (org_unit_id, period_type, period_start, staff_group)
WHERE abs(parent.contracted_hours - parent.own_contracted_hours
          - coalesce(children.contracted_hours, 0)) > {TOLERANCE}
   OR abs(parent.absence_hours - parent.own_absence_hours
          - coalesce(children.absence_hours, 0)) > {TOLERANCE}
UNION ALL
SELECT children.org_unit_id, children.period_type, children.period_start, children.staff_group,
    NULL, NULL, children.contracted_hours
FROM children
LEFT JOIN marts.fct_sickness AS parent USING (org_unit_id, period_type, period_start, staff_group)
WHERE parent.org_unit_id IS NULL
  AND (children.contracted_hours > {TOLERANCE} OR children.absence_hours > {TOLERANCE})
"""


def _structure() -> list:
    e = gx().expectations
    return [
        e.ExpectCompoundColumnsToBeUnique(
            column_list=["org_unit_id", "period_type", "period_start", "staff_group"]
        ),
        e.ExpectColumnValuesToBeInSet(
            column="staff_group", value_set=["alle", "ordinaere", "inklusion"]
        ),
        e.ExpectColumnValuesToBeInSet(column="period_type", value_set=["month", "quarter", "year"]),
        e.ExpectColumnValuesToNotBeNull(column="org_unit_id"),
        e.ExpectColumnValuesToBeBetween(column="contracted_hours", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="absence_hours", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="persons", min_value=0),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="persons", column_B="persons_at_trigger", or_equal=True
        ),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="spells_ended", column_B="spells_lang", or_equal=True
        ),
    ]


def _plausible() -> list:
    e = gx().expectations
    return [
        e.ExpectColumnValuesToBeBetween(column="absence_pct", min_value=0, max_value=100),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="contracted_hours", column_B="absence_hours", or_equal=True
        ),
    ]


SUITES = [
    Suite(
        name="fct_sickness",
        table="marts.fct_sickness",
        expectations=_structure,
        description="Sygefravær: én række pr. enhed × periode × gruppe, gyldige koder, ingen "
        "negative tal, personer ved samtalegrænsen ≤ personer.",
    ),
    Suite(
        name="fct_sickness_plausible",
        table="marts.fct_sickness",
        expectations=_plausible,
        blocking=False,
        description="Sygefravær: fraværsprocent mellem 0 og 100 og fraværstimer ≤ aftalte timer "
        "(brydes kun af registrerede timer på et fravær, der overstiger den aftalte tid).",
    ),
    Suite(
        name="fct_sickness_groups",
        table="marts.fct_sickness",
        expectations=no_rows,
        query=GROUPS_MISMATCH_SQL,
        description="Sygefravær: alle = ordinære + inklusion for timer; personer i alle ligger "
        "mellem den største gruppe og summen (en person, der skiftede gruppe, tæller i begge).",
    ),
    Suite(
        name="fct_sickness_hierarchy",
        table="marts.fct_sickness",
        expectations=no_rows,
        query=HIERARCHY_MISMATCH_SQL,
        description="Sygefravær: en enheds timer = egne timer + summen af underenhedernes.",
    ),
]
