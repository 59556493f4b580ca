{#
    Easter Sunday of a Gregorian year (anonymous Gregorian computus, Meeus/Jones/Butcher) as a
    DATE expression. `year` is any integer SQL expression; every step is integer arithmetic.
#}
{% macro easter_sunday(year) -%}
    {%- set y = "(" ~ year ~ ")" -%}
    {%- set a = "(" ~ y ~ " % 19)" -%}
    {%- set b = "(" ~ y ~ " // 100)" -%}
    {%- set c = "(" ~ y ~ " % 100)" -%}
    {%- set d = "(" ~ b ~ " // 4)" -%}
    {%- set e = "(" ~ b ~ " % 4)" -%}
    {%- set f = "((" ~ b ~ " + 8) // 25)" -%}
    {%- set g = "((" ~ b ~ " - " ~ f ~ " + 1) // 3)" -%}
    {%- set h = "((19 * " ~ a ~ " + " ~ b ~ " - " ~ d ~ " - " ~ g ~ " + 15) % 30)" -%}
    {%- set i = "(" ~ c ~ " // 4)" -%}
    {%- set k = "(" ~ c ~ " % 4)" -%}
    {%- set l = "((32 + 2 * " ~ e ~ " + 2 * " ~ i ~ " - " ~ h ~ " - " ~ k ~ ") % 7)" -%}
    {%- set m = "((" ~ a ~ " + 11 * " ~ h ~ " + 22 * " ~ l ~ ") // 451)" -%}
    {%- set n = "(" ~ h ~ " + " ~ l ~ " - 7 * " ~ m ~ " + 114)" -%}
    make_date(cast({{ y }} as integer), cast({{ n }} // 31 as integer), cast({{ n }} % 31 + 1 as integer))
{%- endmacro %}
