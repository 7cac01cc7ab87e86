{#- Activities held (场次) and the event summaries' figures (另据活动汇总表) of the
    selection, one row per `group_by` value (`total`: one row; `unit`: the units
    one level below the parent, each with its subtree; `type`: activity type),
    from agg_dashboard_events, whose every column adds up over every dimension.
    Neither an activity nor a summary row has a person type: with a person type
    chosen, nothing is counted (the pages then show "—"). -#}
{%- set keys = {
    "total": [],
    "unit": ["members.unit_code as org_code"],
    "type": ["held.activity_type_code", "held.activity_category"],
}[group_by] -%}

with

{{ params_ctes() }},

held as (
    select picked.*
    from agg_dashboard_events as picked
    cross join params
    where
        picked.month between params.month_from and params.month_to
        and picked.org_code in (select orgs_in_view.org_code from orgs_in_view)
        and params.person_types is null
        and (
            params.categories is null
            or list_contains(params.categories, picked.activity_category)
        )
),
{%- if group_by == "unit" %}

{{ unit_members_ctes() }},
{%- endif %}
-- The grouping columns come from the list set at the top, so the layout below
-- is the template's, not the linter's.
-- noqa: disable=LT02

final as (
    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        coalesce(sum(held.events), 0)::bigint as events_held,
        coalesce(
            sum(held.events) filter (where held.source = 'logs'), 0
        )::bigint as events_logged,
        coalesce(
            sum(held.events) filter (where held.source = 'summaries'), 0
        )::bigint as events_reported,
        coalesce(
            sum(held.person_times) filter (where held.source = 'summaries'),
            0
        )::bigint as reported_person_times,
        coalesce(
            sum(held.minutes) filter (where held.source = 'summaries'), 0
        )::bigint as reported_minutes
    from held
{%- if group_by == "unit" %}
    inner join members on held.org_code = members.org_code
{%- endif %}
{%- if keys %}
    group by {{ range(1, keys | length + 1) | join(", ") }}
{%- endif %}
)

select * from final
{%- if keys %}
order by {{ range(1, keys | length + 1) | join(", ") }}
{%- endif %}
