-- Each roster person for each month they were on the roster, in the district
-- of their roster organization as of the month's last day: the roster version
-- in effect that day (int_people_versions) places the person, and its
-- joined_date and left_date decide whether they were on the roster that month
-- (joined_date empty or on/before the month's end, left_date empty or on/after
-- its start). Only the months of int_months_spanned: before the first month
-- with data there is nothing to count, and people times months is the largest
-- table the roster makes.
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
        people.district_code,
        people.person_type
    from people
    inner join months
        on
            people.valid_from <= months.month_end
            and people.valid_to >= months.month_end
            and (
                people.joined_date is null
                or people.joined_date <= months.month_end
            )
            and (
                people.left_date is null
                or people.left_date >= months.month_start
            )
)

select * from final
