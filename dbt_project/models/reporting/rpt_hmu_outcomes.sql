-- Retention and employment after placements per quarter and year of the window, for the hmu
-- report (docs/domain.md §5.5; the same rows as fct_kpi's retention_13_26_pct and
-- placement_employment_pct): only complete follow-up windows; retention by start_date and the
-- route into the job (the preceding placement's scheme, null = hired on special terms without
-- a placement), employment by end_date and the placement's scheme. One total row per period
-- and measure (is_total) with its distinct persons, which a report's small-cell rule needs.
with periods as (
    select period_type, period_start, period_end, period_label
    from {{ ref('int_periods') }}
    where period_type in ('quarter', 'year')
),

events as (
    select
        'retention' as measure,
        preceding_scheme as group_code,
        person_key,
        retained_13_of_26 as success,
        start_date as event_date
    from {{ ref('fct_retention') }}
    where window_complete
    union all
    select
        'employment' as measure,
        scheme as group_code,
        person_key,
        employed_after as success,
        end_date as event_date
    from {{ ref('fct_placement_outcomes') }}
    where window_complete
),

in_period as (
    select periods.period_type, periods.period_start, periods.period_label, events.*
    from periods
    inner join events on events.event_date between periods.period_start and periods.period_end
),

grouped as (
    select
        period_type, period_start, period_label, measure, false as is_total, group_code,
        count(*) as cases,
        count(*) filter (where success) as successes,
        count(distinct person_key) as persons
    from in_period
    group by all
    union all
    select
        period_type, period_start, period_label, measure, true as is_total,
        null as group_code,
        count(*) as cases,
        count(*) filter (where success) as successes,
        count(distinct person_key) as persons
    from in_period
    group by all
),

final as (
    select
        *,
        100.0 * successes / cases as success_pct
    from grouped
)

select * from final
