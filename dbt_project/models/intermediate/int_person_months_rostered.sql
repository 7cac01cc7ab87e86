-- Each roster person for each month they were on the roster (joined_date empty
-- or on/before the month's end, left_date empty or on/after its start), in the
-- district of their roster organization.
with

people as (
    select * from {{ ref('int_people_latest') }}
),

organizations as (
    select * from {{ ref('int_organizations_attributed') }}
),

organization_names as (
    select * from {{ ref('int_organization_names') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

people_placed as (
    select
        people.person_key,
        people.joined_date,
        people.left_date,
        coalesce(
            organizations.org_code, organization_names.org_code, 'unknown'
        ) as roster_org_code
    from people
    left join organizations on people.org_code = organizations.org_code
    left join organization_names
        on
            people.org_code is null
            and lower(people.org_name) = organization_names.org_name_key
),

final as (
    select
        people_placed.person_key,
        months.month,
        months.month_start,
        people_placed.roster_org_code,
        coalesce(organizations.district_code, 'unknown') as district_code
    from people_placed
    inner join months
        on
            (
                people_placed.joined_date is null
                or people_placed.joined_date <= months.month_end
            )
            and (
                people_placed.left_date is null
                or people_placed.left_date >= months.month_start
            )
    left join organizations
        on people_placed.roster_org_code = organizations.org_code
)

select * from final
