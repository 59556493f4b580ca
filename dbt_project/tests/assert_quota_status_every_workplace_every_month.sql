-- fct_quota_status has a row for every workplace (org unit with a P-number) and every month of the
-- reporting window (docs/domain.md §5.3), and no other rows: the grid is rebuilt here from the org
-- units and the window months, independently of int_quota_eval_dates. Returns the differences.
with

expected as (
    select ou.org_unit_id as workplace_id, wm.month_end
    from {{ ref('int_org_units') }} as ou
    cross join {{ ref('int_window_months') }} as wm
    where ou.p_number is not null
),

actual as (
    select workplace_id, month_end from {{ ref('fct_quota_status') }}
),

missing as (
    select 'missing' as problem, * from expected
    except
    select 'missing' as problem, * from actual
),

extra as (
    select 'extra' as problem, * from actual
    except
    select 'extra' as problem, * from expected
)

select * from missing
union all
select * from extra
