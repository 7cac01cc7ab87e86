-- No hour disappears: the approved minutes of the fact equal the minutes of
-- agg_district_monthly, `unknown` included. Returns a row when they differ.
with

facts as (
    select coalesce(sum(session_minutes), 0) as minutes
    from {{ ref('fct_volunteer_sessions') }}
    where status = 'approved'
),

districts as (
    select coalesce(sum(total_minutes), 0) as minutes
    from {{ ref('agg_district_monthly') }}
)

select
    facts.minutes as fact_minutes,
    districts.minutes as district_minutes
from facts, districts
where facts.minutes <> districts.minutes
