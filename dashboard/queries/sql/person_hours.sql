-- Each volunteer of the period, most minutes first.
with

{{ params_ctes() }},

{{ person_months_cte() }},

final as (
    select
        person_key,
        sum(total_minutes)::bigint as total_minutes,
        sum(person_times)::bigint as person_times
    from person_months
    group by person_key
)

select * from final
order by total_minutes desc, person_key asc
