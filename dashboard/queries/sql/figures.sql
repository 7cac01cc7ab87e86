{#- The figures of the selection, one row per `group_by` value (`total`: one
    row), each counted from its finest grain: additive figures (minutes,
    person-times, pending sessions) summed from agg_dashboard_cells, volunteers
    counted from agg_dashboard_person_months, the roster from fct_person_months;
    never a sum of distinct counts. `columns` are the exact columns asked for
    (`figures.py` works them out from the metric catalog), `column_sources`
    which CTE each comes from. `grid` holds every row to show, zeros included;
    the scope and the filters narrow every source alike (`orgs_in_view`). -#}
{%- set keys = {
    "total": [],
    "month": ["month"],
    "district": ["district_code"],
    "district_month": ["district_code", "month"],
    "unit": ["org_code"],
    "category": ["activity_category"],
    "type_month": ["month", "activity_type_code", "activity_category"],
}[group_by] -%}
{%- set figure_ctes = {
    "cells": "cell_figures",
    "person_months": "people_figures",
    "roster_months": "roster_figures",
} -%}
{%- set column_sources = dict(column_sources) -%}
{%- set cell_columns = [] -%}
{%- set sources = [] -%}
{%- set final_columns = ["grid.*"] -%}
{%- for column in columns -%}
{%- set source = column_sources[column] -%}
{%- set cte = figure_ctes[source] -%}
{%- if source == "cells" -%}
{%- set _ = cell_columns.append(
    "sum(cells." ~ column ~ ") as " ~ column
) -%}
{%- endif -%}
{%- if source not in sources -%}
{%- set _ = sources.append(source) -%}
{%- endif -%}
{%- set _ = final_columns.append(
    "coalesce(" ~ cte ~ "." ~ column ~ ", 0)::bigint as " ~ column
) -%}
{%- if column == "total_minutes" -%}
{%- set _ = final_columns.append(
    "coalesce(" ~ cte ~ ".total_minutes, 0)::double / 60 as hours"
) -%}
{%- endif -%}
{%- endfor -%}
{%- set needs_cells = "cells" in sources
    or group_by in ("district", "district_month", "category", "type_month") -%}

{#- The select list of a figures CTE: the grouping keys (for units, the unit
    whose subtree the row is in), then the figures. -#}
{%- macro select_list(source, figures) -%}
{%- set items = [] -%}
{%- for key in keys -%}
{%- if group_by == "unit" -%}
{%- set _ = items.append("members.unit_code as " ~ key) -%}
{%- else -%}
{%- set _ = items.append(source ~ "." ~ key) -%}
{%- endif -%}
{%- endfor -%}
{{ (items + figures) | join(",\n        ") }}
{%- endmacro -%}

{%- macro joined(cte) -%}
{%- set conditions = [] -%}
{%- for key in keys -%}
{%- set _ = conditions.append("grid." ~ key ~ " = " ~ cte ~ "." ~ key) -%}
{%- endfor -%}
{{ (conditions or ["true"]) | join("\n        and ") }}
{%- endmacro -%}

with

{{ params_ctes() }},
{%- if needs_cells %}

{{ cells_cte() }},
{%- endif %}
{%- if "person_months" in sources %}

{{ person_months_cte() }},
{%- endif %}
{%- if "roster_months" in sources %}

{{ roster_months_cte() }},
{%- endif %}
{%- if group_by in ("month", "district_month") %}

{{ months_cte() }},
{%- endif %}
{%- if group_by == "total" %}

grid as (
    select true as is_total
),
{%- elif group_by == "month" %}

grid as (
    select months.month
    from months
),
{%- elif group_by == "district" %}

grid as (
    -- every district in view; `unknown` only with sessions in the range
    select
        districts.district_code,
        districts.district_name
    from dim_districts as districts
    cross join params
    where
        {{ district_in_view() }}
        and (
            districts.district_code <> 'unknown'
            or districts.district_code in (
                select cells.district_code
                from cells
                where cells.total_minutes > 0 or cells.person_times > 0
            )
        )
),
{%- elif group_by == "district_month" %}

grid as (
    -- every district with units in view for every month of the range;
    -- `unknown` only when it has cells
    select
        districts.district_code,
        districts.district_name,
        months.month
    from dim_districts as districts
    cross join months
    cross join params
    where
        {{ district_in_view() }}
        and (
            districts.district_code <> 'unknown'
            or districts.district_code in (select district_code from cells)
        )
),
{%- elif group_by == "unit" %}

{{ unit_members_ctes() }},

children as (
    select
        parent_org_code,
        count(*) as child_units
    from dim_organizations
    where parent_org_code is not null
    group by parent_org_code
),

grid as (
    select
        units.org_code,
        units.org_name,
        units.org_type,
        units.district_code,
        coalesce(children.child_units, 0)::bigint as child_units
    from units
    left join children on units.org_code = children.parent_org_code
),
{%- elif group_by == "category" %}

grid as (
    -- every category on offer; `other` (unmapped labels) only with sessions
    select distinct types.activity_category
    from dim_activity_types as types
    cross join params
    where
        (
            params.categories is null
            or list_contains(params.categories, types.activity_category)
        )
        and (
            types.activity_category <> 'other'
            or types.activity_category in (
                select activity_category
                from cells
                group by activity_category
                having sum(person_times) > 0
            )
        )
),
{%- elif group_by == "type_month" %}

grid as (
    -- activity type x month with approved sessions
    select
        cells.month,
        cells.activity_type_code,
        cells.activity_category
    from cells
    group by 1, 2, 3
    having sum(cells.person_times) > 0
),
{%- endif %}
-- The select lists below are joined from the lists set at the top, so their
-- layout is the template's, not the linter's.
-- noqa: disable=LT02
{%- if "cells" in sources %}

cell_figures as (
    select
        {{ select_list("cells", cell_columns) }}
    from cells
{%- if group_by == "unit" %}
    inner join members on cells.org_code = members.org_code
{%- endif %}
{%- if keys %}
    group by {{ range(1, keys | length + 1) | join(", ") }}
{%- endif %}
),
{%- endif %}
{%- if "person_months" in sources %}

people_figures as (
    select
        {{ select_list("person_months", [
            "count(distinct person_months.person_key) as volunteers",
        ]) }}
    from person_months
{%- if group_by == "unit" %}
    inner join members on person_months.org_code = members.org_code
{%- endif %}
{%- if keys %}
    group by {{ range(1, keys | length + 1) | join(", ") }}
{%- endif %}
),
{%- endif %}
{%- if "roster_months" in sources %}

roster_figures as (
    select
        {{ select_list("roster_months", [
            "count(distinct roster_months.person_key) as roster_size",
            "count(distinct roster_months.person_key) filter ("
            ~ "where roster_months.is_active) as active_members",
        ]) }}
    from roster_months
{%- if group_by == "unit" %}
    inner join members
        on roster_months.roster_org_code = members.org_code
{%- endif %}
{%- if keys %}
    group by {{ range(1, keys | length + 1) | join(", ") }}
{%- endif %}
),
{%- endif %}

final as (
    select
        {{ final_columns | join(",\n        ") }}
    from grid
{%- for source in sources %}
    left join {{ figure_ctes[source] }}
        on {{ joined(figure_ctes[source]) }}
{%- endfor %}
)

select * from final
{%- if keys %}
order by
    {%- if group_by == "unit" %}
    district_code, org_code = 'unknown', org_code
    {%- elif group_by == "type_month" %}
    month, activity_type_code
    {%- else %}
    {{ keys | join(", ") }}
    {%- endif %}
{%- endif %}
