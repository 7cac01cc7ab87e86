-- Volunteers of the period, the new ones (first session ever in it) and the
-- retained ones (volunteers of the previous period, bound after the filters).
with

{{ params_ctes() }},

{{ person_months_cte() }},

current_people as (
    select
        person_key,
        min(first_active_month) as first_active_month
    from person_months
    group by person_key
),

-- the same filters over the period of the same length just before
{{ filtered(
    "earlier",
    "agg_dashboard_person_months",
    "org_code",
    "activity_category",
    months=bind("previous_from") ~ "::varchar and "
        ~ bind("previous_to") ~ "::varchar",
) }},

previous_people as (
    select distinct person_key
    from earlier
),

final as (
    select
        (select count(*) from current_people) as volunteers,
        (
            select count(*) from current_people, params
            where current_people.first_active_month >= params.month_from
        ) as new_volunteers,
        (
            select count(*) from current_people
            where
                current_people.person_key in (
                    select previous_people.person_key from previous_people
                )
        ) as retained_volunteers,
        (select count(*) from previous_people) as previous_volunteers
)

select * from final
