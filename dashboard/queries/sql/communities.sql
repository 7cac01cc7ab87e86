-- 双报到 communities served under every filter, most minutes first.
with

{{ params_ctes() }},

{{ filtered(
    "communities",
    "agg_dashboard_communities",
    "org_code",
    "activity_category",
) }},

final as (
    select
        community,
        count(distinct org_code) as organizations,
        sum(person_times)::bigint as person_times,
        sum(total_minutes)::bigint as total_minutes,
        sum(total_minutes)::double / 60 as hours
    from communities
    group by community
)

select * from final
order by total_minutes desc, community asc
