"""Suites on marts.fct_kpi (docs/domain.md §5.8, E22–E23).

Blocking: the grain and codes, percentages of counts within 0–100 and equal to their numerator
over denominator, target_met following the direction, and target columns that are all there or
all null. These follow from the SQL, so a violation is a bug that must not reach the HMU.
Sickness percentages are only required to be ≥ 0 here: above 100 is a register error the
sickness suite already warns about.

Warning (not blocking): targets in config/targets.csv that overlap the reporting window but apply
to no KPI row (a misspelt area, an org_unit that is no area, another municipality's code, a
period narrower than any month), for a KPI this build computes.
"""

from __future__ import annotations

from expectations.core import Suite, gx, no_rows
from ingest.targets import DIRECTIONS, kpi_names

# Rounding of a double quotient; the figures are exact otherwise.
TOLERANCE = 1e-9

CONTRADICTIONS_SQL = f"""
SELECT *
FROM marts.fct_kpi
WHERE target_met IS DISTINCT FROM CASE direction
        WHEN 'min' THEN value >= target_value
        WHEN 'max' THEN value <= target_value END
   OR (target_value IS NULL) <> (direction IS NULL)
   OR (target_met IS NULL) <> (target_value IS NULL OR value IS NULL)
   OR (unit = 'count' AND (value IS NULL OR value < 0 OR value <> floor(value)))
   OR (unit = 'pct' AND (numerator IS NULL OR denominator IS NULL
        OR (value IS NULL) <> (denominator = 0)))
   OR (unit = 'pct' AND kpi NOT LIKE 'sickness_pct_%'
        AND abs(value - 100.0 * numerator / nullif(denominator, 0)) > {TOLERANCE})
   OR (kpi LIKE 'sickness_pct_%' AND value < 0)
   OR period_end < period_start
"""

# Percentages of counts; sickness is checked ≥ 0 in CONTRADICTIONS_SQL.
PERCENTAGES_SQL = "SELECT * FROM marts.fct_kpi WHERE unit = 'pct' AND kpi NOT LIKE 'sickness_pct_%'"

UNMATCHED_TARGETS_SQL = """
SELECT targets.*
FROM staging.stg_targets AS targets
CROSS JOIN intermediate.int_build AS build
WHERE targets.kpi IN (SELECT DISTINCT kpi FROM marts.fct_kpi)
  AND targets.period_end >= build.window_start
  AND targets.period_start <= build.as_of
  AND targets.file_row NOT IN (
      SELECT target_file_row FROM intermediate.int_kpi_target_candidates)
"""


def _structure() -> list:
    e = gx().expectations
    return [
        e.ExpectCompoundColumnsToBeUnique(
            column_list=["kpi", "scope_type", "scope_id", "period_type", "period_start"]
        ),
        e.ExpectColumnValuesToBeInSet(column="kpi", value_set=list(kpi_names())),
        e.ExpectColumnValuesToBeInSet(column="scope_type", value_set=["kommune", "area"]),
        e.ExpectColumnValuesToBeInSet(column="period_type", value_set=["month", "quarter", "year"]),
        e.ExpectColumnValuesToBeInSet(column="direction", value_set=list(DIRECTIONS)),
        e.ExpectColumnValuesToBeInSet(column="unit", value_set=["count", "pct"]),
        e.ExpectColumnValuesToNotBeNull(column="scope_id"),
        e.ExpectColumnValuesToNotBeNull(column="period_end"),
        e.ExpectColumnValuesToNotBeNull(column="suppressed"),
    ]


def _percentages() -> list:
    e = gx().expectations
    return [
        e.ExpectColumnValuesToBeBetween(column="value", min_value=0, max_value=100),
        e.ExpectColumnValuesToBeBetween(column="numerator", min_value=0),
        e.ExpectColumnValuesToBeBetween(column="denominator", min_value=0),
    ]


SUITES = [
    Suite(
        name="fct_kpi",
        table="marts.fct_kpi",
        expectations=_structure,
        description="Nøgletal: én række pr. nøgletal, område og periode, kendte nøgletal, "
        "periodetyper og retninger.",
    ),
    Suite(
        name="fct_kpi_percentages",
        table="marts.fct_kpi",
        expectations=_percentages,
        query=PERCENTAGES_SQL,
        description="Nøgletal i procent af et antal ligger mellem 0 og 100.",
    ),
    Suite(
        name="fct_kpi_consistency",
        table="marts.fct_kpi",
        expectations=no_rows,
        query=CONTRADICTIONS_SQL,
        description="Nøgletal hænger sammen: mål nået følger retningen (min/max), mål og "
        "retning findes sammen, procenter = tæller / nævner, antal er hele tal ≥ 0.",
    ),
    Suite(
        name="fct_kpi_targets_unmatched",
        table="marts.fct_kpi",
        expectations=no_rows,
        query=UNMATCHED_TARGETS_SQL,
        blocking=False,
        description="Måltal i targets.csv, der ikke passer på noget nøgletal i perioden "
        "(ukendt område eller enhed, anden kommunekode, for kort periode) (advarsel).",
    ),
]
