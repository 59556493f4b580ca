-- Dual sickness statistics (docs/domain.md §5.4): org unit (incl. its subtree) × period × staff group.
-- Additive measures are summed per own unit first and then rolled up the hierarchy; persons are
-- counted distinctly per subtree. Row existence: E13.
with build as (
    select as_of, dagsvaerk_hours, small_cell_min_persons from {{ ref('int_build') }}
),

calendar as (
    select date_day, working_day_idx from {{ ref('int_calendar') }}
),

periods as (
    select
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.count_start,
        periods.count_end,
        -- E12: only the counted days, also in the FTE denominator.
        last_day_idx.working_day_idx - day_before.working_day_idx as working_days
    from {{ ref('int_periods') }} as periods
    inner join calendar as last_day_idx on last_day_idx.date_day = periods.count_end
    inner join calendar as day_before on day_before.date_day = periods.count_start - 1
),

ancestors as (
    select org_unit_id, ancestor_id, depth from {{ ref('int_org_unit_ancestors') }}
),

group_keys as (
    {{ staff_group_keys() }}
),

engagement_periods as (
    select * from {{ ref('int_engagement_period_hours') }}
),

-- E15: an ended spell counts in the period of its to_date (inside the counted days) and in the
-- unit and group of its engagement.
ended_spells as (
    select
        spells.org_unit_id,
        spells.staff_group,
        periods.period_type,
        periods.period_start,
        spells.band
    from {{ ref('int_absence_spells') }} as spells
    inner join periods
        on spells.to_date between periods.count_start and periods.count_end
    where spells.is_ended
),

-- Persons (E13) and persons_at_trigger (E14). A person with one (unit, group) pair in a period
-- counts once in every unit above it and in 'alle': such persons are additive and roll up with
-- the hours (own_facts). Persons with several pairs in a period (moved, two jobs, changed group)
-- need a distinct count per subtree and group.
person_pairs as (
    select
        person_id,
        period_type,
        period_start,
        any_value(period_end) as period_end,
        any_value(org_unit_id) as org_unit_id,
        any_value(staff_group) as staff_group,
        -- one (unit, group) pair or several: min = max, not a distinct count per person
        min(org_unit_id) = max(org_unit_id) and min(staff_group) = max(staff_group)
            as single_pair
    from engagement_periods
    group by person_id, period_type, period_start
),

-- E14 rows of persons at the trigger on a period's last day, beside the person's pairs in that
-- period. A rolls_up row (the person was sick in one unit and group only) stands for that unit,
-- every unit above it and 'alle'; the other rows name their subtree and group.
triggers as (
    select
        trigger.person_id,
        trigger.ancestor_id,
        trigger.staff_group,
        trigger.rolls_up,
        person_pairs.period_type,
        person_pairs.period_start,
        person_pairs.single_pair,
        person_pairs.org_unit_id as pair_unit,
        person_pairs.staff_group as pair_group
    from {{ ref('int_sick_days_365') }} as trigger
    inner join person_pairs
        on person_pairs.person_id = trigger.person_id
        and person_pairs.period_end = trigger.eval_date
),

-- The common case: one pair in the period, sick in that very unit and group → counted there and
-- rolled up like the single-pair persons themselves.
own_triggers as (
    select pair_unit as org_unit_id, pair_group as staff_group, period_type, period_start
    from triggers
    where single_pair and rolls_up and ancestor_id = pair_unit and staff_group = pair_group
),

own_facts as (
    select
        org_unit_id, staff_group, period_type, period_start,
        contracted_hours,
        0.0 as absence_hours,
        0.0 as s56_absence_hours,
        0 as spells_ended,
        0 as spells_kort,
        0 as spells_mellem,
        0 as spells_lang,
        0 as single_pair_persons,
        0 as single_pair_at_trigger
    from engagement_periods
    union all
    select
        org_unit_id, staff_group, period_type, period_start,
        0.0,
        absence_hours,
        case when s56 then absence_hours else 0.0 end,
        0, 0, 0, 0, 0, 0
    from {{ ref('int_absence_period_hours') }}
    union all
    select
        org_unit_id, staff_group, period_type, period_start,
        0.0, 0.0, 0.0,
        1,
        case when band = 'kort' then 1 else 0 end,
        case when band = 'mellem' then 1 else 0 end,
        case when band = 'lang' then 1 else 0 end,
        0, 0
    from ended_spells
    union all
    select
        org_unit_id, staff_group, period_type, period_start,
        0.0, 0.0, 0.0, 0, 0, 0, 0,
        1, 0
    from person_pairs
    where single_pair
    union all
    select
        org_unit_id, staff_group, period_type, period_start,
        0.0, 0.0, 0.0, 0, 0, 0, 0, 0,
        1
    from own_triggers
),

own_measures as (
    select
        org_unit_id,
        staff_group,
        period_type,
        period_start,
        sum(contracted_hours) as contracted_hours,
        sum(absence_hours) as absence_hours,
        sum(s56_absence_hours) as s56_absence_hours,
        sum(spells_ended) as spells_ended,
        sum(spells_kort) as spells_kort,
        sum(spells_mellem) as spells_mellem,
        sum(spells_lang) as spells_lang,
        sum(single_pair_persons) as single_pair_persons,
        sum(single_pair_at_trigger) as single_pair_at_trigger
    from own_facts
    group by all
),

rolled_measures as (
    select
        ancestors.ancestor_id as org_unit_id,
        group_keys.group_key as staff_group,
        own_measures.period_type,
        own_measures.period_start,
        sum(own_measures.contracted_hours) as contracted_hours,
        sum(own_measures.absence_hours) as absence_hours,
        sum(own_measures.s56_absence_hours) as s56_absence_hours,
        sum(own_measures.spells_ended) as spells_ended,
        sum(own_measures.spells_kort) as spells_kort,
        sum(own_measures.spells_mellem) as spells_mellem,
        sum(own_measures.spells_lang) as spells_lang,
        sum(own_measures.single_pair_persons) as single_pair_persons,
        sum(own_measures.single_pair_at_trigger) as single_pair_at_trigger,
        -- The unit's own staff (depth 0): lets checks prove parent = own + Σ children.
        coalesce(sum(own_measures.contracted_hours) filter (where ancestors.depth = 0), 0.0)
            as own_contracted_hours,
        coalesce(sum(own_measures.absence_hours) filter (where ancestors.depth = 0), 0.0)
            as own_absence_hours
    from own_measures
    inner join ancestors on ancestors.org_unit_id = own_measures.org_unit_id
    inner join group_keys on group_keys.staff_group = own_measures.staff_group
    group by all
),

-- The other single-pair persons (sick elsewhere in the look-back, or in another group): a row
-- counts in the subtrees above both the person's unit in the period and the trigger's unit,
-- in 'alle' and in the person's group when the trigger names it.
-- Each such row beside every unit above the person's unit in the period. Materialized: the
-- planner would otherwise join the hierarchy with itself first (at national size the root's
-- 23 000 descendants squared, hundreds of millions of rows).
single_pair_candidates as materialized (
    select
        triggers.ancestor_id,
        triggers.staff_group,
        triggers.rolls_up,
        triggers.period_type,
        triggers.period_start,
        triggers.pair_group,
        pair_ancestors.ancestor_id as common_id
    from triggers
    inner join ancestors as pair_ancestors on pair_ancestors.org_unit_id = triggers.pair_unit
    where
        triggers.single_pair
        and not (
            triggers.rolls_up
            and triggers.ancestor_id = triggers.pair_unit
            and triggers.staff_group = triggers.pair_group
        )
),

single_pair_at_trigger as (
    select
        candidates.common_id as org_unit_id,
        group_keys.group_key as staff_group,
        candidates.period_type,
        candidates.period_start,
        count(*) as persons_at_trigger
    from single_pair_candidates as candidates
    inner join ancestors as trigger_ancestors
        on trigger_ancestors.org_unit_id = candidates.ancestor_id
        and trigger_ancestors.ancestor_id = candidates.common_id
        -- a rolls_up row stands for every unit above its own; the others for theirs alone
        and (candidates.rolls_up or trigger_ancestors.depth = 0)
    inner join (
        {{ staff_group_keys() }}
        union all
        select 'alle', 'alle'
    ) as group_keys
        on group_keys.staff_group = candidates.staff_group
        -- a rolls_up row stands for 'alle' as well; the others for their own group alone
        and (candidates.rolls_up or group_keys.group_key = candidates.staff_group)
    where group_keys.group_key in (candidates.pair_group, 'alle')
    group by all
),

-- The engagement periods of persons with several pairs in the period, found before the hierarchy
-- fans them out. Materialized: misjudging how few they are, the planner would otherwise fan out
-- every engagement period first (at national size 28 million, times the hierarchy's depth).
multi_pair_engagements as materialized (
    select
        engagement_periods.org_unit_id,
        engagement_periods.staff_group,
        engagement_periods.period_type,
        engagement_periods.period_start,
        engagement_periods.person_id
    from engagement_periods
    inner join person_pairs
        on person_pairs.person_id = engagement_periods.person_id
        and person_pairs.period_type = engagement_periods.period_type
        and person_pairs.period_start = engagement_periods.period_start
        and not person_pairs.single_pair
),

multi_pair_facts as (
    select
        ancestors.ancestor_id as org_unit_id,
        group_keys.group_key as staff_group,
        engagements.period_type,
        engagements.period_start,
        engagements.person_id,
        1 as is_active,
        0 as at_trigger
    from multi_pair_engagements as engagements
    inner join ancestors on ancestors.org_unit_id = engagements.org_unit_id
    inner join group_keys on group_keys.staff_group = engagements.staff_group
    union all
    select
        trigger_ancestors.ancestor_id,
        group_keys.group_key,
        triggers.period_type,
        triggers.period_start,
        triggers.person_id,
        0,
        1
    from triggers
    inner join ancestors as trigger_ancestors
        on trigger_ancestors.org_unit_id = triggers.ancestor_id
        and (triggers.rolls_up or trigger_ancestors.depth = 0)
    inner join (
        {{ staff_group_keys() }}
        union all
        select 'alle', 'alle'
    ) as group_keys
        on group_keys.staff_group = triggers.staff_group
        and (triggers.rolls_up or group_keys.group_key = triggers.staff_group)
    where not triggers.single_pair
),

multi_pair_flags as (
    select
        org_unit_id,
        staff_group,
        period_type,
        period_start,
        person_id,
        max(is_active) as is_active,
        max(at_trigger) as at_trigger
    from multi_pair_facts
    group by all
),

person_counts as (
    select org_unit_id, staff_group, period_type, period_start, 0 as persons, persons_at_trigger
    from single_pair_at_trigger
    union all
    select
        org_unit_id,
        staff_group,
        period_type,
        period_start,
        count(*) filter (where is_active = 1),
        count(*) filter (where is_active = 1 and at_trigger = 1)
    from multi_pair_flags
    group by all
),

persons as (
    select
        org_unit_id,
        staff_group,
        period_type,
        period_start,
        sum(persons) as persons,
        sum(persons_at_trigger) as persons_at_trigger
    from person_counts
    group by all
),

combined as (
    select
        coalesce(rolled_measures.org_unit_id, persons.org_unit_id) as org_unit_id,
        coalesce(rolled_measures.period_type, persons.period_type) as period_type,
        coalesce(rolled_measures.period_start, persons.period_start) as period_start,
        coalesce(rolled_measures.staff_group, persons.staff_group) as staff_group,
        coalesce(rolled_measures.contracted_hours, 0.0) as contracted_hours,
        coalesce(rolled_measures.absence_hours, 0.0) as absence_hours,
        coalesce(rolled_measures.s56_absence_hours, 0.0) as s56_absence_hours,
        coalesce(rolled_measures.own_contracted_hours, 0.0) as own_contracted_hours,
        coalesce(rolled_measures.own_absence_hours, 0.0) as own_absence_hours,
        coalesce(rolled_measures.spells_ended, 0) as spells_ended,
        coalesce(rolled_measures.spells_kort, 0) as spells_kort,
        coalesce(rolled_measures.spells_mellem, 0) as spells_mellem,
        coalesce(rolled_measures.spells_lang, 0) as spells_lang,
        coalesce(rolled_measures.single_pair_persons, 0) + coalesce(persons.persons, 0)
            as persons,
        coalesce(rolled_measures.single_pair_at_trigger, 0)
        + coalesce(persons.persons_at_trigger, 0) as persons_at_trigger
    from rolled_measures
    full outer join persons
        on persons.org_unit_id = rolled_measures.org_unit_id
        and persons.staff_group = rolled_measures.staff_group
        and persons.period_type = rolled_measures.period_type
        and persons.period_start = rolled_measures.period_start
),

-- Hours are rounded to 6 decimals (float noise of the sums, as for FTE in E8); the ratios are
-- computed from the rounded hours, so absence_pct = 100 × absence_hours / contracted_hours etc.
-- hold on the published columns, and rounded to 10 decimals only (no visible precision lost).
measured as (
    select
        combined.*,
        periods.period_end,
        periods.count_start,
        periods.count_end,
        periods.working_days,
        round(combined.contracted_hours, 6) as contracted_hours_r,
        round(combined.absence_hours, 6) as absence_hours_r,
        round(combined.s56_absence_hours, 6) as s56_absence_hours_r,
        round(combined.contracted_hours, 6)
        / nullif(build.dagsvaerk_hours * periods.working_days, 0) as fte_exact,
        build.dagsvaerk_hours,
        build.small_cell_min_persons
    from combined
    inner join periods
        on periods.period_type = combined.period_type
        and periods.period_start = combined.period_start
    cross join build
    -- E13: a row exists when the unit has persons, absence or an ended spell in the period.
    where combined.persons > 0 or combined.absence_hours > 0 or combined.spells_ended > 0
),

-- The columns of docs/domain.md §5.4 in its order, then the documented extras.
final as (
    select
        org_unit_id,
        period_type,
        period_start,
        staff_group,
        contracted_hours_r as contracted_hours,
        absence_hours_r as absence_hours,
        round(absence_hours_r / dagsvaerk_hours, 10) as absence_days,
        round(100.0 * absence_hours_r / nullif(contracted_hours_r, 0), 10) as absence_pct,
        round(fte_exact, 10) as fte,
        round((absence_hours_r / dagsvaerk_hours) / nullif(fte_exact, 0), 10)
            as absence_days_per_fte,
        cast(persons as integer) as persons,
        cast(spells_ended as integer) as spells_ended,
        cast(spells_kort as integer) as spells_kort,
        cast(spells_mellem as integer) as spells_mellem,
        cast(spells_lang as integer) as spells_lang,
        round(s56_absence_hours_r / dagsvaerk_hours, 10) as s56_absence_days,
        cast(persons_at_trigger as integer) as persons_at_trigger,
        persons < small_cell_min_persons as suppressed,
        period_end,
        count_start,
        count_end,
        cast(working_days as integer) as working_days,
        round(own_contracted_hours, 6) as own_contracted_hours,
        round(own_absence_hours, 6) as own_absence_hours
    from measured
)

select * from final
