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
        {{ sorted_list('org_code', distinct=true) }} as org_codes,
        {{ sorted_list('source_file', distinct=true) }} as source_files
    from sessions
    where status = 'approved'
    group by person_key, activity_date
    having sum(session_minutes) > 1440
)

select * from final
