-- No hour disappears at the organization level either: the approved minutes
-- of the fact equal the minutes the organizations reported themselves,
-- `unknown` included. Returns a row when they differ.
with

facts as (
    select coalesce(sum(session_minutes), 0) as minutes
    from {{ ref('fct_volunteer_sessions') }}
    where status = 'approved'
),

organizations as (
    select coalesce(sum(own_total_minutes), 0) as minutes
    from {{ ref('agg_organization_monthly') }}
)

select
    facts.minutes as fact_minutes,
    organizations.minutes as organization_minutes
from facts, organizations
where facts.minutes <> organizations.minutes
