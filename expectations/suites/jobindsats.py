"""Suites on the jobindsats marts (docs/domain.md §5.7, issue 5).

Both are blocking: a benchmark that ranks a municipality 99th of 98 or calls a suppressed cell 0
would mislead a jobcentre leader comparing herself with the rest of the country.
"""

from __future__ import annotations

from expectations.core import Suite, gx, no_rows

AREA_LEVELS = ["land", "rar", "kommune"]
PERIOD_TYPES = ["month", "quarter", "year", "qmat", "mytd"]

# Cells whose facts contradict each other: a suppressed cell with a value, a value without the
# suppressed flag cleared, or a municipality row without a code (and a non-municipality with one).
FACT_CONTRADICTIONS_SQL = """
SELECT *
FROM marts.fct_jobindsats
WHERE (suppressed AND value IS NOT NULL)
   OR (NOT suppressed AND value IS NULL)
   OR ((area_level = 'kommune') IS DISTINCT FROM (municipality_code IS NOT NULL))
   OR period_end < period_start
"""

# Ranks that cannot be right: outside 1..n, a rank on a suppressed cell, a national difference
# that is not value − national_value.
BENCHMARK_CONTRADICTIONS_SQL = """
SELECT *
FROM marts.fct_benchmark
WHERE (value IS NULL) IS DISTINCT FROM (rank_desc IS NULL)
   OR rank_desc < 1
   OR rank_desc > n_municipalities
   OR n_municipalities > 98
   OR (value IS NOT NULL AND national_value IS NOT NULL
       AND abs(diff_to_national - (value - national_value)) > 1e-9)
"""


def _facts() -> list:
    e = gx().expectations
    return [
        e.ExpectCompoundColumnsToBeUnique(
            column_list=["table_id", "measure", "area_name", "period_code", "dimensions"]
        ),
        e.ExpectColumnValuesToNotBeNull(column="table_id"),
        e.ExpectColumnValuesToNotBeNull(column="period_start"),
        e.ExpectColumnValuesToBeInSet(column="area_level", value_set=AREA_LEVELS),
        e.ExpectColumnValuesToBeInSet(column="period_type", value_set=PERIOD_TYPES),
    ]


def _benchmark() -> list:
    e = gx().expectations
    return [
        e.ExpectCompoundColumnsToBeUnique(
            column_list=["table_id", "measure", "period_code", "dimensions", "municipality_code"]
        ),
        e.ExpectColumnValuesToNotBeNull(column="municipality_code"),
        e.ExpectColumnValuesToBeBetween(column="percentile", min_value=0, max_value=100),
        e.ExpectColumnValuesToBeBetween(column="rank_desc", min_value=1, max_value=98),
        e.ExpectColumnValuesToBeBetween(column="n_municipalities", min_value=0, max_value=98),
    ]


SUITES = [
    Suite(
        name="fct_jobindsats",
        table="marts.fct_jobindsats",
        expectations=_facts,
        description="Jobindsats: én værdi pr. tabel, måling, område, periode og dimensioner; "
        "kendte områdeniveauer og periodetyper.",
    ),
    Suite(
        name="fct_jobindsats_consistency",
        table="marts.fct_jobindsats",
        expectations=no_rows,
        query=FACT_CONTRADICTIONS_SQL,
        description="Jobindsats hænger sammen: diskretionerede celler har ingen værdi (aldrig 0), "
        "kommuner har en kommunekode, perioden slutter efter sin start.",
    ),
    Suite(
        name="fct_benchmark",
        table="marts.fct_benchmark",
        expectations=_benchmark,
        description="Benchmark: én række pr. kommune og celle, percentil mellem 0 og 100, "
        "placering mellem 1 og 98.",
    ),
    Suite(
        name="fct_benchmark_consistency",
        table="marts.fct_benchmark",
        expectations=no_rows,
        query=BENCHMARK_CONTRADICTIONS_SQL,
        description="Benchmark hænger sammen: placering kun med en værdi og højst antal kommuner "
        "med værdi, forskel til landet = værdi − landsværdi.",
    ),
]
