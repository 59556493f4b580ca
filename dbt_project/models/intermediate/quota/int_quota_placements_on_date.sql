-- Extraordinary staff per workplace on the judged dates (docs/domain.md §5.3, E9):
-- extraordinary_persons = distinct persons in an active placement of a local-quota scheme;
-- statutory_count = for the rimelighedskrav version valid on the date, distinct persons (basis
-- headcount) or the summed FTE of the active placements, rounded to 6 decimals (basis fte_4m_avg),
-- of the version's schemes.
with

dates as (
    select workplace_id, eval_date
    from {{ ref('int_quota_eval_dates') }}
    where is_window_month_end or is_placement_start
),

code_sets as (
    select rule_set, version_name, code from {{ ref('stg_rules_code_sets') }}
),

local_schemes as (
    select code as scheme from code_sets where rule_set = 'local_quota_schemes'
),

statutory_schemes as (
    select version_name, code as scheme from code_sets where rule_set = 'statutory_schemes'
),

-- The version valid on each distinct date; if versions overlap, the latest valid_from wins.
date_versions as (
    select
        dd.eval_date,
        v.name as statutory_version,
        v.basis as statutory_basis
    from (select distinct eval_date from dates) as dd
    inner join {{ ref('stg_rules_statutory_ratio') }} as v
        on v.valid_from <= dd.eval_date and (v.valid_to is null or dd.eval_date <= v.valid_to)
    qualify row_number() over (partition by dd.eval_date order by v.valid_from desc) = 1
),

active as (
    select d.workplace_id, d.eval_date, p.person_key, p.scheme, p.fte
    from dates as d
    inner join {{ ref('int_placements') }} as p
        on
            p.workplace_id = d.workplace_id
            and p.start_date <= d.eval_date
            and (p.end_date is null or p.end_date >= d.eval_date)
),

flagged as (
    select
        a.workplace_id,
        a.eval_date,
        a.person_key,
        a.fte,
        ls.scheme is not null as is_local,
        ss.scheme is not null as is_statutory
    from active as a
    left join date_versions as dv on a.eval_date = dv.eval_date
    left join local_schemes as ls on a.scheme = ls.scheme
    left join statutory_schemes as ss
        on dv.statutory_version = ss.version_name and a.scheme = ss.scheme
),

counted as (
    select
        workplace_id,
        eval_date,
        count(distinct person_key) filter (where is_local) as extraordinary_persons,
        count(distinct person_key) filter (where is_statutory) as statutory_persons,
        round(coalesce(sum(fte) filter (where is_statutory), 0.0), 6) as statutory_fte
    from flagged
    group by workplace_id, eval_date
),

final as (
    select
        d.workplace_id,
        d.eval_date,
        coalesce(c.extraordinary_persons, 0) as extraordinary_persons,
        dv.statutory_version,
        dv.statutory_basis,
        case dv.statutory_basis
            when 'headcount' then cast(coalesce(c.statutory_persons, 0) as double)
            when 'fte_4m_avg' then coalesce(c.statutory_fte, 0.0)
        end as statutory_count
    from dates as d
    left join counted as c on d.workplace_id = c.workplace_id and d.eval_date = c.eval_date
    left join date_versions as dv on d.eval_date = dv.eval_date
)

select * from final
