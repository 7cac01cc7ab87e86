-- Each roster person for each month they were on the roster (joined_date empty
-- or on/before the month's end, left_date empty or on/after its start), in the
-- district of their roster organization.
with

people as (
    select * from {{ ref('int_people_placed') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

final as (
    select
        people.person_key,
        months.month,
        months.month_start,
        people.roster_org_code,
        people.district_code
    from people
    inner join months
        on
            (
                people.joined_date is null
                or people.joined_date <= months.month_end
            )
            and (
                people.left_date is null
                or people.left_date >= months.month_start
            )
)

select * from final
