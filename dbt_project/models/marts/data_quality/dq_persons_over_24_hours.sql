-- People whose approved sessions on one day add up to more than 24 hours
-- (1440 minutes), after exact duplicates are removed: a sign of the same
-- activity reported twice with different details, or of a wrong duration.
-- Kept in every metric (DESIGN.md: reported, not rejected).
with

sessions as (
    select * from {{ ref('fct_volunteer_sessions') }}
),

final as (
    select
        person_key,
        activity_date,
        max(person_name) as person_name,
        count(*) as sessions,
        sum(session_minutes)::bigint as total_minutes,
        list_sort(list(distinct org_code)) as org_codes,
        list_sort(list(distinct source_file)) as source_files
    from sessions
    where status = 'approved'
    group by person_key, activity_date
    having sum(session_minutes) > 1440
)

select * from final
