-- Each person's time in employment in the municipality as disjoint islands: every engagement
-- (any type, any unit) from start_date to its observed end (E4: cut at as_of), overlapping or
-- adjacent engagements merged. A day is covered by at most one island, so "employed on day d"
-- is a join that cannot multiply rows (docs/domain.md §5.5).
with

engagements as (
    select person_key, start_date, observed_end_date
    from {{ ref('int_engagements') }}
),

ordered as (
    select
        *,
        max(observed_end_date) over (
            partition by person_key
            order by start_date, observed_end_date
            rows between unbounded preceding and 1 preceding
        ) as covered_until
    from engagements
),

numbered as (
    select
        *,
        sum(case when covered_until is null or start_date > covered_until + 1 then 1 else 0 end)
            over (
                partition by person_key
                order by start_date, observed_end_date
                rows between unbounded preceding and current row
            ) as island_no
    from ordered
),

final as (
    select
        person_key,
        cast(island_no as integer) as island_no,
        min(start_date) as island_start,
        max(observed_end_date) as island_end
    from numbered
    group by person_key, island_no
)

select * from final
