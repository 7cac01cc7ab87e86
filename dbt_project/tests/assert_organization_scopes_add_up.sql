-- An organization's scope is itself and everything under it: its minutes and
-- person-times equal the sum of what each organization of the scope reported
-- itself (additive measures), and its volunteers lie between the largest
-- own count of the scope and their sum (distinct counts never add up).
-- Returns the organization-months that break it.
with

organizations as (
    select * from {{ ref('agg_organization_monthly') }}
),

ancestors as (
    select * from {{ ref('int_organization_ancestors') }}
),

scopes_added as (
    select
        ancestors.ancestor_code as org_code,
        organizations.month,
        sum(organizations.own_total_minutes) as own_minutes_in_scope,
        sum(organizations.own_person_times) as own_person_times_in_scope,
        sum(organizations.own_volunteers) as own_volunteers_in_scope,
        max(organizations.own_volunteers) as largest_own_volunteers
    from organizations
    inner join ancestors on organizations.org_code = ancestors.org_code
    group by ancestors.ancestor_code, organizations.month
)

select
    organizations.org_code,
    organizations.month,
    organizations.total_minutes,
    scopes_added.own_minutes_in_scope,
    organizations.volunteers,
    scopes_added.own_volunteers_in_scope
from organizations
inner join scopes_added
    on
        organizations.org_code = scopes_added.org_code
        and organizations.month = scopes_added.month
where
    organizations.total_minutes <> scopes_added.own_minutes_in_scope
    or organizations.person_times <> scopes_added.own_person_times_in_scope
    or organizations.volunteers > scopes_added.own_volunteers_in_scope
    or organizations.volunteers < scopes_added.largest_own_volunteers
