{#- The CTEs every dashboard query starts from. The parameters are bound once
    (`bind`, in the order `selection.params` gives them) and cross-joined where
    needed; a null list means "all". -#}

{% macro params_ctes() %}
    params as (
        select
            {{ bind("month_from") }}::varchar as month_from,
            {{ bind("month_to") }}::varchar as month_to,
            {{ bind("districts") }}::varchar[] as districts,
            {{ bind("organizations") }}::varchar[] as organizations,
            {{ bind("person_types") }}::varchar[] as person_types,
            {{ bind("categories") }}::varchar[] as categories,
            {{ bind("scope_districts") }}::varchar[] as scope_districts,
            {{ bind("scope_organizations") }}::varchar[] as scope_organizations
    ),

    orgs_in_view as (
        -- the reporting organizations the filters pick and the scope allows;
        -- an organization brings every one under it (its code is on their path)
        select
            orgs.org_code,
            orgs.district_code
        from dim_organizations as orgs
        cross join params
        where
            (
                params.districts is null
                or list_contains(params.districts, orgs.district_code)
            )
            and (
                params.scope_districts is null
                or list_contains(params.scope_districts, orgs.district_code)
            )
            and (
                params.organizations is null
                or list_has_any(
                    params.organizations, string_split(orgs.org_path, ' / ')
                )
            )
            and (
                params.scope_organizations is null
                or list_has_any(
                    params.scope_organizations,
                    string_split(orgs.org_path, ' / ')
                )
            )
    )
{% endmacro %}

{#- `name`: the rows of `table` in the period (`months`: the bounds of another
    one), in an organization in view (the filters and the scope), of the chosen
    person types and, when the table has one, activity categories. -#}
{% macro filtered(
    name,
    table,
    org_column,
    category_column=none,
    months="params.month_from and params.month_to"
) %}
    {{ name }} as (
        select picked.*
        from {{ table }} as picked
        cross join params
        where
            picked.month between {{ months }}
            and picked.{{ org_column }} in (select orgs_in_view.org_code from orgs_in_view)
            and (
                params.person_types is null
                or list_contains(params.person_types, picked.person_type)
            )
            {%- if category_column %}
            and (
                params.categories is null
                or list_contains(
                    params.categories, picked.{{ category_column }}
                )
            )
            {%- endif %}
    )
{% endmacro %}

{#- Additive figures of the period under every filter. -#}
{% macro cells_cte() %}
    {{ filtered("cells", "agg_dashboard_cells", "org_code", "activity_category") }}
{% endmacro %}

{#- The finest grain for distinct people, under every filter. -#}
{% macro person_months_cte() %}
    {{ filtered(
        "person_months",
        "agg_dashboard_person_months",
        "org_code",
        "activity_category",
    ) }}
{% endmacro %}

{#- Roster people of the period (by their roster organization), with is_active
    for a month with an approved session anywhere; a category does not narrow
    the roster. -#}
{% macro roster_months_cte() %}
    {{ filtered("roster_months", "fct_person_months", "roster_org_code") }}
{% endmacro %}

{#- Every month of the range. -#}
{% macro months_cte() %}
    months as (
        select
            strftime(
                unnest(
                    generate_series(
                        strptime(month_from, '%Y-%m'),
                        strptime(month_to, '%Y-%m'),
                        interval 1 month
                    )
                ),
                '%Y-%m'
            ) as month
        from params
    )
{% endmacro %}

{#- A district is in view when the district filter and the scope allow it and,
    once organizations are picked (or scoped), when one of them is in it; so a
    district without units (all zeros) still shows when nothing narrows the
    view to units. -#}
{% macro district_in_view(alias="districts") %}
    (
        params.districts is null
        or list_contains(params.districts, {{ alias }}.district_code)
    )
    and (
        params.scope_districts is null
        or list_contains(params.scope_districts, {{ alias }}.district_code)
    )
    and (
        (
            params.organizations is null
            and params.scope_organizations is null
        )
        or {{ alias }}.district_code in (
            select district_code from orgs_in_view
        )
    )
{% endmacro %}

{#- The units one level below the `parent` bind (null: the top of each tree) that
    the scope and filters leave in view (`units`), and each with every organization
    of its subtree (`members`): one definition for the figures and the activities
    held, so a unit's rows and its activities are always the same subtree. -#}
{% macro unit_members_ctes() %}
units as (
    select
        orgs.org_code,
        orgs.org_name,
        orgs.org_type,
        orgs.district_code
    from dim_organizations as orgs
    where
        orgs.org_code in (select orgs_in_view.org_code from orgs_in_view)
        and orgs.parent_org_code
        is not distinct from {{ bind("parent") }}::varchar
),

members as (
    select
        units.org_code as unit_code,
        orgs.org_code
    from units
    inner join dim_organizations as orgs
        on list_contains(string_split(orgs.org_path, ' / '), units.org_code)
)
{% endmacro %}
