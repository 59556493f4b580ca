{#
    Calendar-month arithmetic with the day clamped to the target month's length
    (31 Jan + 1 month = 28/29 Feb; 31 May - 3 months = 28/29 Feb). DuckDB's interval arithmetic
    clamps this way; the cast keeps the result a DATE.
#}
{% macro add_months_clamped(date_expr, months_expr) -%}
    cast(({{ date_expr }}) + to_months(cast({{ months_expr }} as integer)) as date)
{%- endmacro %}

{#
    The day someone born on `birth_date` reaches `years` of age (E8): the birthday in that year;
    born 29 February → 1 March when the target year is not a leap year.
#}
{% macro birthday_at_age(birth_date, years) -%}
    case
        when month({{ birth_date }}) = 2 and day({{ birth_date }}) = 29
            and not (
                (year({{ birth_date }}) + {{ years }}) % 4 = 0
                and ((year({{ birth_date }}) + {{ years }}) % 100 <> 0
                    or (year({{ birth_date }}) + {{ years }}) % 400 = 0)
            )
            then make_date(cast(year({{ birth_date }}) + {{ years }} as integer), 3, 1)
        else make_date(
            cast(year({{ birth_date }}) + {{ years }} as integer),
            cast(month({{ birth_date }}) as integer),
            cast(day({{ birth_date }}) as integer)
        )
    end
{%- endmacro %}

{#
    Working days in the closed interval [start_idx_date, end_date] from int_calendar's running
    index: idx(end) - idx(start - 1). Pass the two calendar rows' working_day_idx values:
    `end_idx` at the interval's last day, `before_start_idx` at the day before its first day.
#}
{% macro working_days_between(end_idx, before_start_idx) -%}
    (coalesce({{ end_idx }}, 0) - coalesce({{ before_start_idx }}, 0))
{%- endmacro %}

{#
    The last observed day of a spell (E4): its end, an open end or an end after as_of cut at
    as_of. One rule for engagements, placements and everything built on them.
#}
{% macro observed_end(end_date, as_of) -%}
    least(coalesce({{ end_date }}, {{ as_of }}), {{ as_of }})
{%- endmacro %}
