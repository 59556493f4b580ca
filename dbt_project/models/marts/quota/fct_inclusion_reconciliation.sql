-- Reconciliation of the two registers that both know inclusion staff (issue 3): HR engagements of
-- an inclusion type without a matching placement, and placements of an employed scheme without a
-- matching engagement. A match is the same person at the same workplace (the unit itself when it
-- has no workplace) with overlapping dates (open ends run to as_of) and a matching scheme:
-- engagement_type → scheme is the identity, except fleksjob_foer_2013 → fleksjob.
-- Only records active at some time in the reporting window are reconciled.
-- virksomhedspraktik, nyttejob and beskyttet_beskaeftigelse are not employment: never expected
-- on the payroll.
with

build as (
    select as_of, window_start from {{ ref('int_build') }}
),

engagements as (
    select
        e.engagement_id,
        e.person_key,
        e.org_unit_id,
        e.workplace_id,
        coalesce(e.workplace_id, '#' || e.org_unit_id) as match_place,
        e.engagement_type,
        case e.engagement_type
            when 'fleksjob_foer_2013' then 'fleksjob'
            else e.engagement_type
        end as expected_scheme,
        e.start_date,
        e.end_date,
        least(coalesce(e.end_date, b.as_of), b.as_of) as observed_end
    from {{ ref('int_engagements') }} as e
    cross join build as b
    where
        e.engagement_type in (
            'fleksjob', 'fleksjob_foer_2013', 'loentilskud', 'skaanejob',
            'saerlige_vilkaar', 'seniorjob'
        )
        and coalesce(e.end_date, b.as_of) >= b.window_start
),

placements as (
    select
        p.placement_id,
        p.person_key,
        p.org_unit_id,
        p.workplace_id,
        coalesce(p.workplace_id, '#' || p.org_unit_id) as match_place,
        p.scheme,
        p.start_date,
        p.end_date,
        least(coalesce(p.end_date, b.as_of), b.as_of) as observed_end
    from {{ ref('int_placements') }} as p
    cross join build as b
    where
        p.scheme in ('loentilskud', 'fleksjob', 'skaanejob', 'saerlige_vilkaar', 'seniorjob')
        and coalesce(p.end_date, b.as_of) >= b.window_start
),

-- Every overlapping pair of the same person, with what agrees.
pairs as (
    select
        e.engagement_id,
        p.placement_id,
        e.match_place = p.match_place as same_place,
        e.expected_scheme = p.scheme as same_scheme
    from engagements as e
    inner join placements as p
        on
            e.person_key = p.person_key
            and e.start_date <= p.observed_end
            and p.start_date <= e.observed_end
),

engagement_status as (
    select
        engagement_id,
        bool_or(same_place and same_scheme) as matched,
        bool_or(same_scheme) as scheme_elsewhere,
        bool_or(same_place) as other_scheme_here
    from pairs
    group by engagement_id
),

placement_status as (
    select
        placement_id,
        bool_or(same_place and same_scheme) as matched,
        bool_or(same_scheme) as scheme_elsewhere,
        bool_or(same_place) as other_scheme_here
    from pairs
    group by placement_id
),

unmatched_engagements as (
    select
        'engagement' as record_type,
        e.engagement_id as record_id,
        e.person_key,
        e.org_unit_id,
        e.workplace_id,
        e.engagement_type as record_code,
        e.expected_scheme as expected_code,
        e.start_date,
        e.end_date,
        case
            when s.scheme_elsewhere then 'placement_other_workplace'
            when s.other_scheme_here then 'placement_other_scheme'
            else 'no_placement'
        end as reason_code
    from engagements as e
    left join engagement_status as s on e.engagement_id = s.engagement_id
    where not coalesce(s.matched, false)
),

unmatched_placements as (
    select
        'placement' as record_type,
        p.placement_id as record_id,
        p.person_key,
        p.org_unit_id,
        p.workplace_id,
        p.scheme as record_code,
        p.scheme as expected_code,
        p.start_date,
        p.end_date,
        case
            when s.scheme_elsewhere then 'engagement_other_workplace'
            when s.other_scheme_here then 'engagement_other_type'
            else 'no_engagement'
        end as reason_code
    from placements as p
    left join placement_status as s on p.placement_id = s.placement_id
    where not coalesce(s.matched, false)
),

unioned as (
    select * from unmatched_engagements
    union all
    select * from unmatched_placements
),

final as (
    select
        record_type,
        record_id,
        person_key,
        org_unit_id,
        workplace_id,
        record_code,
        expected_code,
        start_date,
        end_date,
        reason_code,
        case reason_code
            when 'no_placement'
                then 'HR-ansættelse (' || record_code || ') uden forløb på jobcentrets liste'
            when 'placement_other_workplace'
                then 'HR-ansættelse (' || record_code
                || ') har et forløb i samme ordning, men på en anden arbejdsplads'
            when 'placement_other_scheme'
                then 'HR-ansættelse (' || record_code
                || ') har et forløb på arbejdspladsen, men i en anden ordning'
            when 'no_engagement'
                then 'Forløb (' || record_code || ') uden ansættelse i HR/løn'
            when 'engagement_other_workplace'
                then 'Forløb (' || record_code
                || ') har en ansættelse af samme type, men på en anden arbejdsplads'
            when 'engagement_other_type'
                then 'Forløb (' || record_code
                || ') har en ansættelse på arbejdspladsen, men af en anden type'
        end as reason_text
    from unioned
)

select * from final
