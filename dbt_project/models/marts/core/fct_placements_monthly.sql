-- Placements per month of the reporting window (docs/domain.md §5.2, E11). Grain: month_end ×
-- org_unit_id × scheme × benefit_group (a null benefit_group is its own group).
with placements as (
    select * from {{ ref('int_placements') }}
),

months as (
    select month_start, month_end from {{ ref('int_window_months') }}
),

-- A placement touches a month when it overlaps [month_start, month_end]. month_end is as_of in
-- as_of's month, so starts and ends after as_of are never counted.
placement_months as (
    select
        months.month_end,
        placements.org_unit_id,
        placements.workplace_id,
        placements.scheme,
        placements.benefit_group,
        placements.person_key,
        placements.fte,
        placements.end_date is null or placements.end_date >= months.month_end as is_active,
        placements.start_date >= months.month_start as is_start,
        coalesce(placements.end_date between months.month_start and months.month_end, false)
            as is_end
    from placements
    inner join months
        on placements.start_date <= months.month_end
        and (placements.end_date is null or placements.end_date >= months.month_start)
),

final as (
    select
        month_end,
        org_unit_id,
        any_value(workplace_id) as workplace_id,
        scheme,
        benefit_group,
        cast(count(distinct person_key) filter (where is_active) as integer) as active_persons,
        -- E8: FTE sums are rounded to 6 decimals.
        round(coalesce(sum(fte) filter (where is_active), 0), 6) as active_fte,
        cast(count(*) filter (where is_start) as integer) as starts,
        cast(count(*) filter (where is_end) as integer) as ends
    from placement_months
    group by month_end, org_unit_id, scheme, benefit_group
)

-- Every overlapping placement is active on month_end, started or ended in the month, so no
-- all-zero rows arise.
select * from final
