-- Each roster version (int_people_versions) with the person's roster
-- organization resolved (its code when known, else the organization whose name
-- is unique, else `unknown`), that organization's district, and the person
-- type matched to the seed.
with

people as (
    select * from {{ ref('int_people_versions') }}
),

organizations as (
    select * from {{ ref('int_organizations_attributed') }}
),

organization_names as (
    select * from {{ ref('int_organization_names') }}
),

person_types as (
    {{ seed_terms('person_types', 'person_type_code') }}
),

people_with_org as (
    select
        people.*,
        coalesce(person_types.code, 'other') as person_type,
        coalesce(
            organizations.org_code, organization_names.org_code, 'unknown'
        ) as roster_org_code
    from people
    left join person_types
        on lower(people.person_type_label) = person_types.term
    left join organizations on people.org_code = organizations.org_code
    left join organization_names
        on
            people.org_code is null
            and lower(people.org_name) = organization_names.org_name_key
),

final as (
    select
        people_with_org.*,
        coalesce(organizations.district_code, 'unknown') as district_code
    from people_with_org
    left join organizations
        on people_with_org.roster_org_code = organizations.org_code
)

select * from final
