-- People whose approved sessions on one day add up to more than 24 hours
-- (1440 minutes), after exact duplicates are removed: a sign of the same
-- activity reported twice with different details, or of a wrong duration.
-- Kept in every metric (DESIGN.md: reported, not rejected).
-- The days over 24 hours are found first, and their names, organizations and
-- files listed only for them: listing every person-day first and dropping
-- almost all of them was the slowest model of the build.
with

approved as (
    select
        person_key,
        activity_date,
        person_name,
        session_minutes,
        org_code,
        source_file
    from {{ ref('fct_volunteer_sessions') }}
    where status = 'approved'
),

days_over as (
    select
        person_key,
        activity_date
    from approved
    group by person_key, activity_date
    having sum(session_minutes) > 1440
),

final as (
    select
        approved.person_key,
        approved.activity_date,
        max(approved.person_name) as person_name,
        count(*) as sessions,
        sum(approved.session_minutes)::bigint as total_minutes,
        {{ sorted_list('approved.org_code', distinct=true) }} as org_codes,
        {{ sorted_list('approved.source_file', distinct=true) }} as source_files
    from approved
    inner join days_over
        on
            approved.person_key = days_over.person_key
            and approved.activity_date = days_over.activity_date
    group by approved.person_key, approved.activity_date
)

select * from final
