-- Reconciliation of the two registers that both know inclusion staff (issue 3): HR engagements of
-- an inclusion type without a matching placement, and placements of an employed scheme without a
-- matching engagement. A match is the same person at the same workplace (the unit itself when it
-- has no workplace) with overlapping dates (open ends run to as_of) and a matching scheme:
-- engagement_type → scheme is the identity, except fleksjob_foer_2013 → fleksjob.
-- Only records active at some time in the reporting window are reconciled.
-- virksomhedspraktik, nyttejob and beskyttet_beskaeftigelse are not employment: never expected
-- on the payroll.
-- Both registers go into one set of records, so a single self-join and a single classification
-- serve both directions (each record is compared with the other register's records).
with

build as (
    select as_of, window_start from {{ ref('int_build') }}
),

engagements as (
    select
        'engagement' as record_type,
        e.engagement_id as record_id,
        e.person_key,
        e.org_unit_id,
        e.workplace_id,
        e.engagement_type as record_code,
        case e.engagement_type
            when 'fleksjob_foer_2013' then 'fleksjob'
            else e.engagement_type
        end as expected_code,
        e.start_date,
        e.end_date
    from {{ ref('int_engagements') }} as e
    where e.engagement_type in (
        'fleksjob', 'fleksjob_foer_2013', 'loentilskud', 'skaanejob', 'saerlige_vilkaar',
        'seniorjob'
    )
),

placements as (
    select
        'placement' as record_type,
        p.placement_id as record_id,
        p.person_key,
        p.org_unit_id,
        p.workplace_id,
        p.scheme as record_code,
        p.scheme as expected_code,
        p.start_date,
        p.end_date
    from {{ ref('int_placements') }} as p
    where p.scheme in ('loentilskud', 'fleksjob', 'skaanejob', 'saerlige_vilkaar', 'seniorjob')
),

records as (
    select
        r.*,
        coalesce(r.workplace_id, '#' || r.org_unit_id) as match_place,
        least(coalesce(r.end_date, b.as_of), b.as_of) as observed_end
    from (
        select * from engagements
        union all
        select * from placements
    ) as r
    cross join build as b
    where coalesce(r.end_date, b.as_of) >= b.window_start
),

-- Per record, what the other register's overlapping records of the same person agree on.
record_status as (
    select
        r.record_type,
        r.record_id,
        bool_or(o.match_place = r.match_place and o.expected_code = r.expected_code)
            as matched,
        bool_or(o.expected_code = r.expected_code) as same_scheme_elsewhere,
        bool_or(o.match_place = r.match_place) as other_scheme_here
    from records as r
    inner join records as o
        on
            o.person_key = r.person_key
            and o.record_type <> r.record_type
            and o.start_date <= r.observed_end
            and r.start_date <= o.observed_end
    group by r.record_type, r.record_id
),

unmatched as (
    select
        r.*,
        case
            when s.same_scheme_elsewhere then 'other_workplace'
            when s.other_scheme_here then 'other_scheme'
            else 'none'
        end as finding
    from records as r
    left join record_status as s
        on r.record_type = s.record_type and r.record_id = s.record_id
    where not coalesce(s.matched, false)
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
        case record_type || '/' || finding
            when 'engagement/none' then 'no_placement'
            when 'engagement/other_workplace' then 'placement_other_workplace'
            when 'engagement/other_scheme' then 'placement_other_scheme'
            when 'placement/none' then 'no_engagement'
            when 'placement/other_workplace' then 'engagement_other_workplace'
            when 'placement/other_scheme' then 'engagement_other_type'
        end as reason_code,
        case record_type || '/' || finding
            when 'engagement/none'
                then 'HR-ansættelse (' || record_code || ') uden forløb på jobcentrets liste'
            when 'engagement/other_workplace'
                then 'HR-ansættelse (' || record_code
                || ') har et forløb i samme ordning, men på en anden arbejdsplads'
            when 'engagement/other_scheme'
                then 'HR-ansættelse (' || record_code
                || ') har et forløb på arbejdspladsen, men i en anden ordning'
            when 'placement/none'
                then 'Forløb (' || record_code || ') uden ansættelse i HR/løn'
            when 'placement/other_workplace'
                then 'Forløb (' || record_code
                || ') har en ansættelse af samme type, men på en anden arbejdsplads'
            when 'placement/other_scheme'
                then 'Forløb (' || record_code
                || ') har en ansættelse på arbejdspladsen, men af en anden type'
        end as reason_text
    from unmatched
)

select * from final
