{#
    Sickness statistics (docs/domain.md §5.4): shared pieces of the interval arithmetic and roll-up.
#}

{#
    Each row of the CTE `intervals` ([from_col, to_col], inclusive) × every period whose counted
    days [count_start, count_end] (E12) it overlaps: the part inside the counted days
    (part_from, part_to) and its working days idx(part_to) − idx(part_from − 1) on the
    working-day index (int_calendar). One row per interval and period, never a row per day.
    `columns` are carried over from `intervals`.
#}
{% macro interval_period_parts(intervals, from_col, to_col, columns) -%}
    select
        {%- for column in columns %}
        {{ intervals }}.{{ column }},
        {%- endfor %}
        periods.period_type,
        periods.period_start,
        periods.period_end,
        greatest({{ intervals }}.{{ from_col }}, periods.count_start) as part_from,
        least({{ intervals }}.{{ to_col }}, periods.count_end) as part_to,
        part_to_day.working_day_idx - day_before.working_day_idx as working_days
    from {{ intervals }}
    inner join {{ ref('int_periods') }} as periods
        on {{ intervals }}.{{ from_col }} <= periods.count_end
        and {{ intervals }}.{{ to_col }} >= periods.count_start
    inner join {{ ref('int_calendar') }} as part_to_day
        on part_to_day.date_day = least({{ intervals }}.{{ to_col }}, periods.count_end)
    inner join {{ ref('int_calendar') }} as day_before
        on day_before.date_day = greatest({{ intervals }}.{{ from_col }}, periods.count_start) - 1
{%- endmacro %}

{#
    The staff groups a row of an own group counts in (§2): its own group and `alle`. Joined on
    staff_group, group_key is the group of the rolled-up row.
#}
{% macro staff_group_keys() -%}
    select * from (
        values
        ('ordinaere', 'ordinaere'),
        ('ordinaere', 'alle'),
        ('inklusion', 'inklusion'),
        ('inklusion', 'alle')
    ) as t (staff_group, group_key)
{%- endmacro %}
