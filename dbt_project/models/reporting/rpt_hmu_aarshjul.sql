-- The HMU's annual wheel for the hmu report: all twelve months, each with the topic of the HMU
-- meeting held in it (rules.yml `aarshjul`; null = no meeting that month).
with topics as (
    select month, topic from {{ ref('stg_rules_aarshjul') }}
),

months as (
    select cast(unnest(range(1, 13)) as integer) as month
),

final as (
    select
        months.month,
        topics.topic,
        topics.topic is not null as has_meeting
    from months
    left join topics on topics.month = months.month
)

select * from final
