-- The visitation category in force from each visitation date on (E17): one row per case and
-- date; two visitations on one date → the larger event_id wins. Visitations before the first
-- absence day count. A visitation without a category yields a null category (no later dues).
with

visitations as (
    select
        case_id,
        event_id,
        event_date,
        category,
        row_number() over (partition by case_id, event_date order by event_id desc) as date_rank
    from {{ ref('stg_sdp_events') }}
    where event_type = 'visitation'
),

final as (
    select
        case_id,
        event_date as valid_from,
        category,
        event_id
    from visitations
    where date_rank = 1
)

select * from final
