-- E14: persons whose distinct sick working days in the 365 days ending on a period's last day
-- reach conversation_trigger_days, per unit subtree (ancestor_id) and staff group (incl. 'alle');
-- a person sick in one unit and group only has one row there, standing for every subtree above
-- it and 'alle' as well (rolls_up).
-- Sick intervals of a person's engagements in one subtree and group may overlap, so they are
-- merged first (gaps and islands); the islands are disjoint, so their working days add up to the
-- distinct sick days. A partial day counts as one. No row per day.
with build as (
    select conversation_trigger_days from {{ ref('int_build') }}
),

calendar as (
    select date_day, working_day_idx from {{ ref('int_calendar') }}
),

-- Every period ends on one of these dates (month ends and as_of), so one evaluation per date.
eval_dates as (
    select distinct period_end as eval_date from {{ ref('int_periods') }}
),

group_keys as (
    {{ staff_group_keys() }}
),

sick_intervals as (
    select person_id, org_unit_id, staff_group, sick_from, sick_to
    from {{ ref('int_absence_spells') }}
    where sick_working_days > 0
),

-- Intervals from the eval dates' look-back only: [first eval date - 364, last eval date].
relevant_intervals as (
    select sick_intervals.*
    from sick_intervals
    where
        sick_intervals.sick_to >= (select min(eval_date) - 364 from eval_dates)
        and sick_intervals.sick_from <= (select max(eval_date) from eval_dates)
),

-- Most persons are sick in one unit and group only: their days are the same in every unit
-- above it and in 'alle', so they are merged once, at their own unit and group. Persons with
-- several (unit, group) pairs are merged per subtree and group, where the pairs can overlap.
person_pairs as (
    select person_id, count(distinct (org_unit_id, staff_group)) as pairs
    from relevant_intervals
    group by person_id
),

single_pair_intervals as (
    select
        relevant_intervals.person_id,
        relevant_intervals.org_unit_id as ancestor_id,
        relevant_intervals.staff_group,
        relevant_intervals.sick_from,
        relevant_intervals.sick_to
    from relevant_intervals
    inner join person_pairs on person_pairs.person_id = relevant_intervals.person_id
    where person_pairs.pairs = 1
),

multi_pair_intervals as (
    select
        relevant_intervals.person_id,
        ancestors.ancestor_id,
        group_keys.group_key as staff_group,
        relevant_intervals.sick_from,
        relevant_intervals.sick_to
    from relevant_intervals
    inner join person_pairs on person_pairs.person_id = relevant_intervals.person_id
    inner join {{ ref('int_org_unit_ancestors') }} as ancestors
        on ancestors.org_unit_id = relevant_intervals.org_unit_id
    inner join group_keys on group_keys.staff_group = relevant_intervals.staff_group
    where person_pairs.pairs > 1
),

expanded as (
    select *, true as is_single_pair from single_pair_intervals
    union all
    select *, false as is_single_pair from multi_pair_intervals
),

flagged as (
    select
        expanded.*,
        -- A new island starts when the interval begins after every earlier one has ended.
        case
            when
                sick_from <= max(sick_to) over (
                    partition by person_id, ancestor_id, staff_group
                    order by sick_from, sick_to
                    rows between unbounded preceding and 1 preceding
                )
                then 0
            else 1
        end as starts_island
    from expanded
),

numbered as (
    select
        flagged.*,
        sum(starts_island) over (
            partition by person_id, ancestor_id, staff_group
            order by sick_from, sick_to
            rows between unbounded preceding and current row
        ) as island_no
    from flagged
),

islands as (
    select
        person_id,
        ancestor_id,
        staff_group,
        is_single_pair,
        island_no,
        min(sick_from) as island_from,
        max(sick_to) as island_to
    from numbered
    group by person_id, ancestor_id, staff_group, is_single_pair, island_no
),

in_look_back as (
    select
        islands.person_id,
        islands.ancestor_id,
        islands.staff_group,
        islands.is_single_pair,
        eval_dates.eval_date,
        greatest(islands.island_from, eval_dates.eval_date - 364) as sick_from,
        least(islands.island_to, eval_dates.eval_date) as sick_to
    from islands
    inner join eval_dates
        on islands.island_from <= eval_dates.eval_date
        and islands.island_to >= eval_dates.eval_date - 364
),

sick_days as (
    select
        in_look_back.person_id,
        in_look_back.ancestor_id,
        in_look_back.staff_group,
        in_look_back.is_single_pair,
        in_look_back.eval_date,
        sum(last_day_idx.working_day_idx - day_before.working_day_idx) as sick_days
    from in_look_back
    inner join calendar as last_day_idx on last_day_idx.date_day = in_look_back.sick_to
    inner join calendar as day_before on day_before.date_day = in_look_back.sick_from - 1
    group by all
),

at_trigger as (
    select sick_days.*
    from sick_days
    cross join build
    where sick_days.sick_days >= build.conversation_trigger_days
),

-- Single-pair persons stay at their own unit and group (rolls_up): their days are the same in
-- every unit above it and in 'alle', so fct_sickness counts them once there and rolls the count
-- up the hierarchy with the other additive measures instead of joining a row per subtree.
final as (
    select
        person_id,
        ancestor_id,
        staff_group,
        eval_date,
        cast(sick_days as integer) as sick_days,
        is_single_pair as rolls_up
    from at_trigger
)

select * from final
