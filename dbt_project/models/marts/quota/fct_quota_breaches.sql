-- Placements that broke a quota rule when they started (docs/domain.md §5.3): one row per placement
-- and breach type, judged on the placement's start_date s with the placement itself counted.
-- Judged: local-quota schemes, start in the reporting window, unit with a workplace.
with

build as (
    select as_of, window_start, require_inclusion_approval from {{ ref('int_build') }}
),

code_sets as (
    select rule_set, version_name, code from {{ ref('stg_rules_code_sets') }}
),

judged as (
    select p.placement_id, p.person_key, p.workplace_id, p.scheme, p.start_date
    from {{ ref('int_placements') }} as p
    cross join build as b
    where
        p.workplace_id is not null
        and p.start_date between b.window_start and b.as_of
        and p.scheme in (select code from code_sets where rule_set = 'local_quota_schemes')
),

-- Danish number text: at most 2 decimals, trailing zeros dropped, decimal comma.
evaluated as (
    select
        j.*,
        e.*exclude (workplace_id),
        ss.code is not null as is_statutory_scheme,
        replace(regexp_replace(printf('%.2f', e.ordinary_fte), '\.?0+$', ''), '.', ',')
            as ordinary_fte_text,
        replace(regexp_replace(printf('%.2f', e.statutory_count), '\.?0+$', ''), '.', ',')
            as statutory_count_text,
        replace(regexp_replace(printf('%.2f', e.statutory_n), '\.?0+$', ''), '.', ',')
            as statutory_n_text,
        replace(
            regexp_replace(printf('%.2f', e.ordinary_headcount_12m_mean), '\.?0+$', ''), '.', ','
        ) as mean_12m_text
    from judged as j
    inner join {{ ref('int_quota_evaluation') }} as e
        on j.workplace_id = e.workplace_id and j.start_date = e.eval_date
    left join code_sets as ss
        on
            ss.rule_set = 'statutory_schemes'
            and ss.version_name = e.statutory_version
            and ss.code = j.scheme
),

not_approved as (
    select
        ev.*,
        'not_approved' as breach_type,
        case
            when ev.inclusion_approved_from is null
                then 'arbejdspladsen er ikke godkendt til ekstraordinært ansatte'
            else
                'start ' || strftime(ev.start_date, '%Y-%m-%d')
                || ' uden for godkendelsesperioden '
                || strftime(ev.inclusion_approved_from, '%Y-%m-%d') || '–'
                || coalesce(strftime(ev.inclusion_approved_to, '%Y-%m-%d'), '')
        end as detail
    from evaluated as ev
    cross join build as b
    where b.require_inclusion_approval and not ev.approved
),

karens as (
    select
        ev.*,
        'karens' as breach_type,
        'karens til ' || strftime(ev.karens_until, '%Y-%m-%d') || ' efter afskedigelse '
        || strftime(ev.last_dismissal_date, '%Y-%m-%d') as detail
    from evaluated as ev
    where ev.in_karens
),

over_local_quota as (
    select
        ev.*,
        'over_local_quota' as breach_type,
        ev.extraordinary_persons || ' ekstraordinære, tilladt ' || ev.allowed_local
        || ' (' || ev.ordinary_headcount || ' ordinære, ' || ev.ordinary_fte_text
        || ' årsværk)' as detail
    from evaluated as ev
    where ev.extraordinary_persons > ev.allowed_local
),

over_statutory as (
    select
        ev.*,
        'over_statutory' as breach_type,
        'rimelighedskrav: ' || ev.statutory_count_text
        || case ev.statutory_basis when 'headcount' then ' personer' else ' årsværk' end
        || ' omfattet, tilladt ' || ev.allowed_statutory
        || case ev.statutory_basis
            when 'headcount' then ' ved ' || ev.statutory_n_text || ' ordinært ansatte'
            else ' ved gns. ' || ev.statutory_n_text || ' ordinære årsværk (4 mdr.)'
        end
        || ' (' || ev.statutory_version || ')' as detail
    from evaluated as ev
    where ev.is_statutory_scheme and ev.statutory_count > ev.allowed_statutory
),

merbeskaeftigelse as (
    select
        ev.*,
        'merbeskaeftigelse' as breach_type,
        ev.ordinary_headcount || ' ordinært ansatte ved start, gennemsnit ' || ev.mean_12m_text
        || ' de ' || ev.months_in_12m_mean || ' foregående måneder' as detail
    from evaluated as ev
    where
        ev.scheme = 'loentilskud'
        and ev.ordinary_headcount_12m_mean is not null
        and ev.ordinary_headcount < ev.ordinary_headcount_12m_mean
),

breaches as (
    select * from not_approved
    union all by name
    select * from karens
    union all by name
    select * from over_local_quota
    union all by name
    select * from over_statutory
    union all by name
    select * from merbeskaeftigelse
),

final as (
    select
        placement_id,
        person_key,
        workplace_id,
        scheme,
        start_date,
        breach_type,
        detail
    from breaches
)

select * from final
