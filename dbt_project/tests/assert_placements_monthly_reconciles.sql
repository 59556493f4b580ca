-- An independent count per month: active FTE/person totals and starts/ends counted straight
-- from int_placements must equal the sums of fct_placements_monthly's rows.
with months as (
    select month_start, month_end from {{ ref('int_window_months') }}
),

placements as (
    select * from {{ ref('int_placements') }}
),

expected as (
    select
        months.month_end,
        round(coalesce(sum(placements.fte) filter (
            where placements.start_date <= months.month_end
                and coalesce(placements.end_date, months.month_end) >= months.month_end
        ), 0), 6) as active_fte,
        count(*) filter (
            where placements.start_date between months.month_start and months.month_end
        ) as starts,
        count(*) filter (
            where placements.end_date between months.month_start and months.month_end
        ) as ends
    from months
    left join placements on true
    group by months.month_end
),

actual as (
    select
        months.month_end,
        round(coalesce(sum(fct.active_fte), 0), 6) as active_fte,
        coalesce(sum(fct.starts), 0) as starts,
        coalesce(sum(fct.ends), 0) as ends,
        count(fct.month_end) as n_rows
    from months
    left join {{ ref('fct_placements_monthly') }} as fct on fct.month_end = months.month_end
    group by months.month_end
)

select expected.*, actual.active_fte as fct_fte, actual.starts as fct_starts, actual.ends as fct_ends
from expected
inner join actual on actual.month_end = expected.month_end
-- Each fct row is rounded to 6 decimals, so the sum may drift by half a unit per row.
where abs(expected.active_fte - actual.active_fte) > 5e-7 * (actual.n_rows + 1)
    or expected.starts <> actual.starts
    or expected.ends <> actual.ends
