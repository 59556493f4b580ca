-- The value of every KPI of docs/domain.md §5.8 for every scope (int_kpi_scopes) and every
-- month, quarter and year overlapping the reporting window (int_periods: period_end =
-- min(natural end, as_of); snapshot KPIs are taken on period_end), E22. Targets are matched in
-- fct_kpi.
--
-- One CTE per KPI, named after it, returning the rows that have data: kpi, scope_type,
-- scope_id, period_type, period_start, numerator and denominator (the counts behind a
-- percentage; null for a count), value, persons (how many people the figure is about, for
-- small-cell suppression; null when it is not about people). The grid below adds the rows
-- without data: a count is 0, a percentage with an empty denominator is null (E23).
-- Adding a KPI: a row in the seed kpi_definitions, a CTE here, its name in this list.
{%- set kpis = [
    'placements_active',
    'quota_workplaces_over_pct',
    'quota_breaches',
    'sickness_pct_alle',
    'sickness_pct_ordinaere',
    'sickness_pct_inklusion',
    'retention_13_26_pct',
    'placement_employment_pct',
    'rettidighed_pct',
    'rettidighed_first_pct',
] %}

with build as (
    select small_cell_min_persons from {{ ref('int_build') }}
),

periods as (
    select period_type, period_start, period_end, period_label from {{ ref('int_periods') }}
),

definitions as (
    select kpi, unit, scopes from {{ ref('stg_kpi_definitions') }}
),

scopes as (
    select scope_type, scope_id, anchor_unit_id from {{ ref('int_kpi_scopes') }}
),

scope_units as (
    select scope_type, scope_id, org_unit_id from {{ ref('int_kpi_scope_units') }}
),

local_schemes as (
    select code as scheme from {{ ref('stg_rules_code_sets') }}
    where rule_set = 'local_quota_schemes'
),

placements as (
    select placement_id, person_key, org_unit_id, scheme, start_date, observed_end_date
    from {{ ref('int_placements') }}
),

quota_status as (
    select month_end, workplace_id, ordinary_headcount, extraordinary_persons, status_local
    from {{ ref('fct_quota_status') }}
),

breaches as (
    select distinct placement_id, start_date from {{ ref('fct_quota_breaches') }}
),

sickness as (
    select
        org_unit_id,
        period_type,
        period_start,
        staff_group,
        absence_hours,
        contracted_hours,
        absence_pct,
        persons
    from {{ ref('fct_sickness') }}
),

retention as (
    select org_unit_id, person_key, start_date, retained_13_of_26
    from {{ ref('fct_retention') }}
    where window_complete
),

outcomes as (
    select org_unit_id, person_key, end_date, employed_after
    from {{ ref('fct_placement_outcomes') }}
    where window_complete
),

rettidighed_months as (
    select month_start, due_kind, dues, on_time from {{ ref('fct_rettidighed_monthly') }}
),

-- The counted dues one by one, only for the persons behind a rettidighed figure.
rettidighed_dues as (
    select date_trunc('month', due_date) as month_start, due_kind, person_key
    from {{ ref('fct_sdp_followup') }}
    where status in ('on_time', 'late', 'missing')
),

kommune as (
    select scope_type, scope_id from scopes where scope_type = 'kommune'
),

-- Persons in an active placement of a local-quota scheme on period_end, by the placement's
-- unit (units without a workplace included, E11). Made distinct first and counted after: a
-- plain aggregate spills to disk when it does not fit, a grouped count(distinct) does not.
placements_active_persons as (
    select distinct
        scope_units.scope_type,
        scope_units.scope_id,
        periods.period_type,
        periods.period_start,
        placements.person_key
    from periods
    inner join placements
        on placements.start_date <= periods.period_end
        and placements.observed_end_date >= periods.period_end
    inner join local_schemes on local_schemes.scheme = placements.scheme
    inner join scope_units on scope_units.org_unit_id = placements.org_unit_id
),

placements_active as (
    select
        'placements_active' as kpi,
        scope_type,
        scope_id,
        period_type,
        period_start,
        null as numerator,
        null as denominator,
        count(*) as value,
        count(*) as persons
    from placements_active_persons
    group by all
),

-- Workplaces with ordinary staff or extraordinary persons on period_end that are over the
-- local quota, in % of them; a workplace belongs to the scopes its own unit is in.
quota_workplaces_over_pct as (
    select
        'quota_workplaces_over_pct' as kpi,
        scope_units.scope_type,
        scope_units.scope_id,
        periods.period_type,
        periods.period_start,
        count(*) filter (where quota_status.status_local = 'over') as numerator,
        count(*) as denominator,
        100.0 * count(*) filter (where quota_status.status_local = 'over') / count(*) as value,
        null as persons
    from periods
    inner join quota_status on quota_status.month_end = periods.period_end
    inner join scope_units on scope_units.org_unit_id = quota_status.workplace_id
    where quota_status.ordinary_headcount > 0 or quota_status.extraordinary_persons > 0
    group by all
),

-- Placements with at least one breach whose start_date lies in the period, by the
-- placement's unit.
quota_breaches as (
    select
        'quota_breaches' as kpi,
        scope_units.scope_type,
        scope_units.scope_id,
        periods.period_type,
        periods.period_start,
        null as numerator,
        null as denominator,
        count(distinct breaches.placement_id) as value,
        null as persons
    from periods
    inner join breaches
        on breaches.start_date between periods.period_start and periods.period_end
    inner join placements on placements.placement_id = breaches.placement_id
    inner join scope_units on scope_units.org_unit_id = placements.org_unit_id
    group by all
),

-- absence_pct of the scope's unit (the municipality's root, or the area) as fct_sickness
-- publishes it; numerator/denominator are its absence and contracted hours.
sickness_by_scope as (
    select
        scopes.scope_type,
        scopes.scope_id,
        sickness.period_type,
        sickness.period_start,
        sickness.staff_group,
        sickness.absence_hours as numerator,
        sickness.contracted_hours as denominator,
        sickness.absence_pct as value,
        sickness.persons
    from sickness
    inner join scopes on scopes.anchor_unit_id = sickness.org_unit_id
),

sickness_pct_alle as (
    select 'sickness_pct_alle' as kpi, * exclude (staff_group) from sickness_by_scope
    where staff_group = 'alle'
),

sickness_pct_ordinaere as (
    select 'sickness_pct_ordinaere' as kpi, * exclude (staff_group) from sickness_by_scope
    where staff_group = 'ordinaere'
),

sickness_pct_inklusion as (
    select 'sickness_pct_inklusion' as kpi, * exclude (staff_group) from sickness_by_scope
    where staff_group = 'inklusion'
),

-- Cohort engagements (fct_retention) whose 26 weeks are complete and that started in the
-- period: % retained at least 13 of 26 weeks, by the engagement's unit.
retention_13_26_pct as (
    {{ kpi_share_of_rows('retention_13_26_pct', 'retention', 'start_date', 'retained_13_of_26') }}
),

-- Ended placements (fct_placement_outcomes) whose follow-up is complete and that ended in the
-- period: % followed by employment, by the placement's unit.
placement_employment_pct as (
    {{ kpi_share_of_rows('placement_employment_pct', 'outcomes', 'end_date', 'employed_after') }}
),

-- Dues of the months of the period (fct_rettidighed_monthly, a due in the month of its due
-- date, E18): Σ on_time / Σ dues, kommune only (a sickness-benefit case has no org unit).
rettidighed_totals as (
    select
        rettidighed_months.due_kind,
        periods.period_type,
        periods.period_start,
        sum(rettidighed_months.on_time) as numerator,
        sum(rettidighed_months.dues) as denominator
    from periods
    inner join rettidighed_months
        on rettidighed_months.month_start between periods.period_start and periods.period_end
    group by all
),

rettidighed_person_rows as (
    select distinct
        kinds.due_kind,
        periods.period_type,
        periods.period_start,
        rettidighed_dues.person_key
    from periods
    inner join rettidighed_dues
        on rettidighed_dues.month_start between periods.period_start and periods.period_end
    inner join (values ('first'), ('later'), ('all')) as kinds (due_kind)
        on kinds.due_kind in (rettidighed_dues.due_kind, 'all')
),

rettidighed_persons as (
    select due_kind, period_type, period_start, count(*) as persons
    from rettidighed_person_rows
    group by all
),

rettidighed_by_kind as (
    select
        rettidighed_totals.due_kind,
        kommune.scope_type,
        kommune.scope_id,
        rettidighed_totals.period_type,
        rettidighed_totals.period_start,
        rettidighed_totals.numerator,
        rettidighed_totals.denominator,
        100.0 * rettidighed_totals.numerator / rettidighed_totals.denominator as value,
        rettidighed_persons.persons
    from rettidighed_totals
    cross join kommune
    left join rettidighed_persons
        on rettidighed_persons.due_kind = rettidighed_totals.due_kind
        and rettidighed_persons.period_type = rettidighed_totals.period_type
        and rettidighed_persons.period_start = rettidighed_totals.period_start
),

rettidighed_pct as (
    select 'rettidighed_pct' as kpi, * exclude (due_kind) from rettidighed_by_kind
    where due_kind = 'all'
),

rettidighed_first_pct as (
    select 'rettidighed_first_pct' as kpi, * exclude (due_kind) from rettidighed_by_kind
    where due_kind = 'first'
),

kpi_rows as (
    {% for kpi in kpis %}
    select
        kpi,
        scope_type,
        scope_id,
        period_type,
        period_start,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(value as double) as value,
        cast(persons as bigint) as persons
    from {{ kpi }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- Every KPI computed here × every scope it is defined for × every period.
grid as (
    select
        definitions.kpi,
        definitions.unit,
        scopes.scope_type,
        scopes.scope_id,
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.period_label
    from definitions
    cross join scopes
    cross join periods
    where definitions.kpi in ({{ "'" ~ kpis | join("', '") ~ "'" }})
        and list_contains(string_split(definitions.scopes, ' '), scopes.scope_type)
),

final as (
    select
        grid.kpi,
        grid.scope_type,
        grid.scope_id,
        grid.period_type,
        grid.period_start,
        grid.period_end,
        grid.period_label,
        grid.unit,
        case
            when grid.unit = 'count' then coalesce(kpi_rows.value, 0)
            else kpi_rows.value
        end as value,
        case when grid.unit = 'pct' then coalesce(kpi_rows.numerator, 0) end as numerator,
        case when grid.unit = 'pct' then coalesce(kpi_rows.denominator, 0) end as denominator,
        coalesce(
            kpi_rows.persons between 1 and build.small_cell_min_persons - 1, false
        ) as suppressed
    from grid
    cross join build
    left join kpi_rows
        on kpi_rows.kpi = grid.kpi
        and kpi_rows.scope_type = grid.scope_type
        and kpi_rows.scope_id = grid.scope_id
        and kpi_rows.period_type = grid.period_type
        and kpi_rows.period_start = grid.period_start
)

select * from final
