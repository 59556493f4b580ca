-- Held follow-up conversations (docs/domain.md §5.6): opfoelgningssamtale events with status
-- afholdt or null, on or after the case's first absence day, numbered by date (then event_id);
-- the k-th satisfies due k. Held after the case ended still counts (E17); cancelled
-- (aflyst_borger, aflyst_kommune) and udeblevet do not.
with

events as (
    select * from {{ ref('stg_sdp_events') }}
),

cases as (
    select case_id, first_absence_date from {{ ref('int_sdp_cases') }}
),

held as (
    select
        events.case_id,
        events.event_id,
        events.event_date as held_date
    from events
    inner join cases on cases.case_id = events.case_id
    where
        events.event_type = 'opfoelgningssamtale'
        and coalesce(events.status, 'afholdt') = 'afholdt'
        and events.event_date >= cases.first_absence_date
),

final as (
    select
        case_id,
        cast(row_number() over (partition by case_id order by held_date, event_id) as integer)
            as held_no,
        held_date,
        event_id
    from held
)

select * from final
