{#
    Every rule of one model in one test node: a dbt node costs 25-40 ms
    whatever the data, and one node per column was most of a build (issue
    16). Applied once per model, seed or source (`data_tests:` of the model,
    not of a column); every argument is optional:

        unique: [column, [column, column], ...]
            a name: dbt's `unique` (nulls are not compared); a list: the
            grain of a table keyed by several columns (nulls compare equal)
        not_null: [column, ...]
        not_negative: [column, ...]             (counts, minutes)
        between_zero_and_one: [column, ...]     (ratios; empty passes)
        accepted_values: {column: [value, ...]} (empty passes)
        relationships: {column: {to: ref(...), field: column}}
            every value is in `field` of `to` (empty passes)
        expressions: ["rows_read = rows_loaded + rows_rejected", ...]
            a row-level invariant; false or null fails (an invariant that
            cannot be evaluated is not known to hold)
        not_overlapping_ranges:
            [{lower_bound_column:, upper_bound_column:,
              partition_by: [columns], where: "rows compared"}]
            no two closed ranges of a partition share a point, and no
            range ends before it starts (calendar periods, histories)
        sequential_dates: [column, ...]
            a calendar: each date once, no day missing in between

    Each rule means what the per-column test of the same name meant before
    (docs/data-tests.md lists them, model by model). The query is one union
    of a select per rule and column, each reading the model's columns it
    needs, and returns one row per violation: rule_name, column_name (the
    column, the columns of a key, or the expression) and failing_value (the
    value or key, as text). The test materialization
    (macros/materializations/test.sql) logs one line per rule and column
    that failed, so the build's output names them.
#}
{% test column_rules(
    model,
    not_null=[],
    not_negative=[],
    between_zero_and_one=[],
    unique=[],
    accepted_values={},
    relationships={},
    expressions=[],
    not_overlapping_ranges=[],
    sequential_dates=[]
) %}
    {%- set resolved = {} %}
    {%- for column, parent in relationships.items() %}
        {%- do resolved.update({column: {
            'to': parent.to,
            'to_name': parent.to.identifier or parent.to,
            'field': parent.field
        }}) %}
    {%- endfor %}
    {{ column_rules_rows(
        model, none,
        not_null, not_negative, between_zero_and_one, unique, accepted_values,
        resolved, expressions, not_overlapping_ranges, sequential_dates
    ) }}
{% endtest %}

{#
    The violation rows of one model's rules (the body of column_rules, and of
    each model in a group of rules, macros/column_rules_groups.sql): model
    is the relation to read, model_name the name each row carries (none: the
    test's own model, as the test materialization names it);
    relationships map a column to {to: relation, to_name: name, field:}.
#}
{% macro column_rules_rows(
    model,
    model_name,
    not_null,
    not_negative,
    between_zero_and_one,
    unique,
    accepted_values,
    relationships,
    expressions,
    not_overlapping_ranges,
    sequential_dates
) %}
    {%- set query = namespace(empty=true, model_name=model_name) %}

    {%- for column in not_null %}
        {{ union_all_but_first(query) }}
        {{ rule_row(query, 'not_null', column, 'null') }}
        from {{ model }}
        where {{ column }} is null
    {% endfor %}

    {%- for column in not_negative %}
        {{ union_all_but_first(query) }}
        {{ rule_row(query, 'not_negative', column, column) }}
        from {{ model }}
        where {{ column }} < 0
    {% endfor %}

    {%- for column in between_zero_and_one %}
        {{ union_all_but_first(query) }}
        {{ rule_row(query, 'between_zero_and_one', column, column) }}
        from {{ model }}
        where {{ column }} < 0 or {{ column }} > 1
    {% endfor %}

    {%- for key in unique %}
        {{ union_all_but_first(query) }}
        {%- if key is string %}
            {{ rule_row(query, 'unique', key, key) }}
            from {{ model }}
            where {{ key }} is not null
            group by {{ key }}
        {%- else %}
            {{ rule_row(query, 'unique', key | join(', '), joined_text(key)) }}
            from {{ model }}
            group by {{ key | join(', ') }}
        {%- endif %}
        having count(*) > 1
    {% endfor %}

    {%- for column, values in accepted_values.items() %}
        {{ union_all_but_first(query) }}
        {{ rule_row(query, 'accepted_values', column, column) }}
        from {{ model }}
        where
            {{ column }} is not null
            and {{ column }} not in (
                {%- for value in values -%}
                    {{ value if value is number else rule_literal(value) }}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%}
            )
    {% endfor %}

    {%- for column, parent in relationships.items() %}
        {{ union_all_but_first(query) }}
        {{ rule_row(
            query,
            'relationships',
            column,
            'child.' ~ column,
            parent.to_name ~ '.' ~ parent.field
        ) }}
        from {{ model }} as child
        left join {{ parent.to }} as parent
            on child.{{ column }} = parent.{{ parent.field }}
        where
            child.{{ column }} is not null
            and parent.{{ parent.field }} is null
    {% endfor %}

    {%- for expression in expressions %}
        {{ union_all_but_first(query) }}
        {{ rule_row(
            query, 'expression_is_true', expression.split() | join(' '), 'null'
        ) }}
        from {{ model }}
        where not coalesce(({{ expression }}), false)
    {% endfor %}

    {%- for ranges in not_overlapping_ranges %}
        {{ union_all_but_first(query) }}
        {{ overlapping_ranges_rows(
            query,
            model,
            ranges.lower_bound_column,
            ranges.upper_bound_column,
            ranges.get('partition_by', []),
            ranges.get('where')
        ) }}
    {% endfor %}

    {%- for column in sequential_dates %}
        {{ union_all_but_first(query) }}
        {{ date_gap_rows(query, model, column) }}
    {% endfor %}

    {%- if query.empty %}
        {{ exceptions.raise_compiler_error(
            'column_rules on ' ~ model_name ~ ' names no rule'
        ) }}
    {%- endif %}
{% endmacro %}


{# `union all` before each select of the query but its first. #}
{% macro union_all_but_first(query) -%}
    {%- if not query.empty %}union all{% endif %}
    {%- set query.empty = false %}
{%- endmacro %}

{#
    One violation row: the rule, the column(s) and the failing value as text.
    `target` names what a relationship points to, shown after the column.
#}
{% macro rule_row(query, rule, column, value_expr, target=none) -%}
    {%- set shown = column ~ (' -> ' ~ target if target else '') %}
    select
        {% if query.model_name is none -%}
            cast(null as {{ dbt.type_string() }})
        {%- else -%}
            {{ rule_literal(query.model_name) }}
        {%- endif %} as model_name,
        {{ rule_literal(rule) }} as rule_name,
        {{ rule_literal(shown) }} as column_name,
        cast({{ value_expr }} as {{ dbt.type_string() }}) as failing_value
{%- endmacro %}

{#
    A string literal: quotes doubled on DuckDB; on Spark, where two quoted
    strings side by side are one string, escaped with a backslash.
#}
{% macro rule_literal(value) %}
    {{- return(
        adapter.dispatch('rule_literal', 'volunteer_warehouse')(value)
    ) -}}
{% endmacro %}

{% macro default__rule_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__rule_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{#
    not_overlapping_ranges as violation rows: each range whose lower bound
    lies after its upper bound (the value: its partition and bounds), and
    each pair of ranges of one partition that share a point (the value: the
    partition and both lower bounds).
#}
{% macro overlapping_ranges_rows(query, model, lower, upper, partition_by, where) -%}
    {%- set shown = lower ~ ', ' ~ upper
        ~ (' by ' ~ partition_by | join(', ') if partition_by else '')
        ~ (' where ' ~ where if where else '') %}
    {%- set inverted = [] %}
    {%- set pair = [] %}
    {%- for column in partition_by %}
        {%- do inverted.append(column) %}
        {%- do pair.append('earlier.' ~ column) %}
    {%- endfor %}
    {%- do inverted.extend(['lower_bound', 'upper_bound']) %}
    {%- do pair.extend(['earlier.lower_bound', 'later.lower_bound']) %}
    select * from (
        with ranges as (
            select
                {% for column in partition_by %}{{ column }}, {% endfor %}
                {{ lower }} as lower_bound,
                {{ upper }} as upper_bound,
                -- any order numbers the rows; Spark wants one
                row_number() over (
                    order by {{ lower }}, {{ upper }}
                ) as range_number
            from {{ model }}
            {% if where %}where {{ where }}{% endif %}
        )

        {{ rule_row(query, 'not_overlapping_ranges', shown, joined_text(inverted)) }}
        from ranges
        where lower_bound > upper_bound

        union all

        {{ rule_row(query, 'not_overlapping_ranges', shown, joined_text(pair)) }}
        from ranges as earlier
        inner join ranges as later
            on
                earlier.range_number < later.range_number
                {% for column in partition_by %}
                    and earlier.{{ column }}
                    is not distinct from later.{{ column }}
                {% endfor %}
                and earlier.lower_bound <= later.upper_bound
                and later.lower_bound <= earlier.upper_bound
    ) as overlapping
{%- endmacro %}

{# Columns as one text, `a, b, c` (a key shown in a failure). #}
{% macro joined_text(columns) -%}
    concat_ws(', '
    {%- for column in columns -%}
        , cast({{ column }} as {{ dbt.type_string() }})
    {%- endfor -%}
    )
{%- endmacro %}

{#
    sequential_dates as violation rows: each date after which the next date
    present is not the next day (a gap, or the same date twice).
#}
{% macro date_gap_rows(query, model, column) -%}
    select * from (
        with dates as (
            select
                {{ column }} as this_date,
                lead({{ column }}) over (order by {{ column }}) as next_date
            from {{ model }}
        )

        {{ rule_row(
            query, 'sequential_dates', column, joined_text(['this_date', 'next_date'])
        ) }}
        from dates
        where
            next_date is not null
            and {{ dbt.datediff('this_date', 'next_date', 'day') }} <> 1
    ) as gaps
{%- endmacro %}
