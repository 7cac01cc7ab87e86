-- Pending sessions (not counted in any metric until approved) per reporting
-- organization, month and status word as written: 待审核, pending ... and any
-- word that is none of the known ones (is_status_known false), which counts
-- as pending and is listed here with its raw label so the analyst can fix the
-- file or the mapping.
with

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

final as (
    select
        org_code,
        district_code,
        month,
        status_label,
        is_status_known,
        count(*) as sessions,
        sum(session_minutes)::bigint as total_minutes,
        count(distinct person_key) as persons
    from sessions
    where status = 'pending'
    group by org_code, district_code, month, status_label, is_status_known
)

select * from final
