-- Organizations with their type normalized, their district found up the
-- tree (own district_code, else the parent's, and so on: the nearest ancestor
-- that has one), the path of codes from the top, and whether they are a
-- "branch unit" for activity-day coverage: a branch, or a school without
-- branches. A district code that is not in the districts file places the
-- organization in `unknown`. The tree itself is climbed in
-- int_organization_ancestors.
with

organizations as (
    select * from {{ ref('int_organizations_latest') }}
),

districts as (
    select * from {{ ref('int_districts_latest') }}
),

ancestors as (
    select * from {{ ref('int_organization_ancestors') }}
),

org_type_terms as (
    {{ seed_terms('organization_types', 'org_type_code') }}
),

ancestors_with_district as (
    select
        ancestors.org_code,
        ancestors.ancestor_code,
        ancestors.depth,
        ancestor.district_code
    from ancestors
    inner join organizations as ancestor
        on ancestors.ancestor_code = ancestor.org_code
),

district_found as (
    select
        org_code,
        min_by(district_code, depth) filter (
            where district_code is not null
        ) as district_code,
        {{ ordered_string_agg('ancestor_code', "' / '", 'depth desc') }}
            as org_path
    from ancestors_with_district
    group by org_code
),

typed as (
    select
        organizations.org_code,
        organizations.org_name,
        organizations.org_type_label,
        organizations.parent_org_code,
        organizations.district_code as own_district_code,
        organizations.is_demonstration_site,
        coalesce(org_type_terms.code, 'other') as org_type
    from organizations
    left join org_type_terms
        on lower(organizations.org_type_label) = org_type_terms.term
),

schools_with_branches as (
    select distinct parent_org_code as org_code
    from typed
    where org_type = 'branch' and parent_org_code is not null
),

final as (
    select
        typed.org_code,
        typed.org_name,
        typed.org_type,
        typed.org_type_label,
        typed.parent_org_code,
        typed.own_district_code,
        district_found.org_path,
        coalesce(districts.district_code, 'unknown') as district_code,
        coalesce(typed.is_demonstration_site, false) as is_demonstration_site,
        (
            typed.org_type = 'branch'
            or (
                typed.org_type = 'school'
                and schools_with_branches.org_code is null
            )
        ) as is_branch_unit
    from typed
    inner join district_found on typed.org_code = district_found.org_code
    left join districts
        on district_found.district_code = districts.district_code
    left join schools_with_branches
        on typed.org_code = schools_with_branches.org_code
)

select * from final
