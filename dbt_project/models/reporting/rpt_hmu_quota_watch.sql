-- The workplaces the HMU looks at (docs/decisions/hmu.md), per quarter and year of the window:
-- for each watch status, the workplaces in it on the period's snapshot (period_end: the last
-- month_end of the period, as_of in a running period) and on the previous period's snapshot
-- (the day before period_start), and whether they came in, went out or stayed. Statuses, on
-- fct_quota_status (docs/domain.md §5.3):
--   over            status_local = over
--   at_full         status_local = at with extraordinary staff (0 of 0 allowed needs no look)
--   karens          in_karens
--   not_approved    extraordinary staff at a workplace without approval on the day
--   over_statutory  status_statutory = over (rimelighedskrav)
with periods as (
    select period_type, period_start, period_end, period_label
    from {{ ref('int_periods') }}
    where period_type in ('quarter', 'year')
),

window_months as (
    select month_end from {{ ref('int_window_months') }}
),

snapshots as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_label,
        periods.period_end as snapshot_date,
        cast(periods.period_start - interval 1 day as date) as previous_date,
        previous.month_end is not null as previous_known
    from periods
    left join window_months as previous
        on previous.month_end = cast(periods.period_start - interval 1 day as date)
),

status as (
    select * from {{ ref('fct_quota_status') }}
),

flags as (
    select
        month_end,
        workplace_id,
        status_local = 'over' as over,
        status_local = 'at' and extraordinary_persons > 0 as at_full,
        coalesce(in_karens, false) as karens,
        not coalesce(approved, false) and extraordinary_persons > 0 as not_approved,
        coalesce(status_statutory = 'over', false) as over_statutory
    from status
),

long as (
    unpivot flags
    on over, at_full, karens, not_approved, over_statutory
    into name watch value flagged
),

now as (
    select snapshots.*, long.workplace_id, long.watch, long.flagged
    from snapshots
    inner join long on long.month_end = snapshots.snapshot_date
),

before as (
    select snapshots.period_type, snapshots.period_start, long.workplace_id, long.watch,
        long.flagged
    from snapshots
    inner join long on long.month_end = snapshots.previous_date
),

joined as (
    select
        coalesce(now.period_type, before.period_type) as period_type,
        coalesce(now.period_start, before.period_start) as period_start,
        coalesce(now.workplace_id, before.workplace_id) as workplace_id,
        coalesce(now.watch, before.watch) as watch,
        coalesce(now.flagged, false) as in_now,
        before.flagged as in_before_raw
    from now
    full outer join before
        on before.period_type = now.period_type
        and before.period_start = now.period_start
        and before.workplace_id = now.workplace_id
        and before.watch = now.watch
),

final as (
    select
        joined.period_type,
        joined.period_start,
        snapshots.period_label,
        snapshots.snapshot_date,
        snapshots.previous_date,
        snapshots.previous_known,
        joined.workplace_id,
        coalesce(units.name, joined.workplace_id) as workplace_name,
        units.area,
        joined.watch,
        joined.in_now,
        case when snapshots.previous_known then coalesce(joined.in_before_raw, false) end
            as in_before,
        case
            when not snapshots.previous_known then null
            when joined.in_now and coalesce(joined.in_before_raw, false) then 'stayed'
            when joined.in_now then 'entered'
            else 'left'
        end as change,
        status.ordinary_headcount,
        status.extraordinary_persons,
        status.allowed_local,
        status.headroom_local,
        status.statutory_count,
        status.allowed_statutory,
        status.karens_until,
        status.approved
    from joined
    inner join snapshots
        on snapshots.period_type = joined.period_type
        and snapshots.period_start = joined.period_start
    left join {{ ref('dim_org_unit') }} as units on units.org_unit_id = joined.workplace_id
    left join status
        on status.workplace_id = joined.workplace_id
        and status.month_end = snapshots.snapshot_date
    where joined.in_now or coalesce(joined.in_before_raw, false)
)

select * from final
