-- fct_person_months with each roster person's type in that month (the
-- dim_people row in effect on the month's last day), so participation under a
-- person-type filter needs no range join per page render: one row per roster
-- person and month on the roster.
with

roster_months as (
    select * from {{ ref('fct_person_months') }}
),

people as (
    select * from {{ ref('dim_people') }}
),

final as (
    select
        roster_months.person_key,
        roster_months.month,
        roster_months.roster_org_code,
        roster_months.district_code,
        roster_months.is_active,
        coalesce(people.person_type, 'unknown') as person_type
    from roster_months
    left join people
        on
            roster_months.person_key = people.person_key
            and {{ month_end_of('roster_months.month') }}
            between people.valid_from and people.valid_to
)

select * from final
