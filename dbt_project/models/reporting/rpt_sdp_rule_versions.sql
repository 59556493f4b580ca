-- The versions of the sygedagpenge follow-up rule (config/rules.yml over the defaults,
-- docs/domain.md §4, §5.6) as the jobcenter report shows them: when each applies (chosen by the
-- case's first absence day), its deadlines, the visitation categories that get later
-- conversations, and its legal source. The report marks the versions on its rettidighed chart
-- from these rows, so a new version needs no code.
with versions as (
    select * from {{ ref('stg_rules_sdp_followup') }}
),

categories as (
    select
        version_name,
        string_agg(code, ', ' order by try_cast(code as integer), code) as categories
    from {{ ref('stg_rules_code_sets') }}
    where rule_set = 'sdp_categories'
    group by version_name
),

final as (
    select
        versions.name,
        versions.valid_from,
        versions.valid_to,
        versions.first_due_days,
        versions.fast_track_days,
        versions.then_count,
        versions.then_within_days,
        versions.then_interval_days,
        categories.categories,
        versions.source
    from versions
    left join categories on categories.version_name = versions.name
)

select * from final
