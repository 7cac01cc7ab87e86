{#
    The column_rules tests of a whole layer in one dbt node (issue 16).

    Each model, seed and source keeps its rules as the arguments of its own
    column_rules test (macros/test_column_rules.sql), and `dbt test --select
    column_rules_<model>` still runs them alone. `dbt build` as publish runs
    it (publish/runner.py build_command) leaves those per-model tests out
    and runs instead the few singular tests of dbt_project/tests/rules/, one
    per layer and severity, each calling this macro: a node costs dbt tens of
    milliseconds whatever the data, and 71 per-model nodes were the largest
    share of a small build.

    column_rules_of(path) is one query over the column_rules tests declared
    in yml files under `path` (as the manifest writes original_file_path)
    whose severity is this test's: the union of each model's rules, every
    row carrying its model's name, so the test materialization names the
    model, the rule and the column of each failure as the per-model test
    did. The group's file lists what it reads as `-- depends_on:` lines (dbt
    orders nodes by what a file names at parse time); a model or a
    relationship's target it does not list stops the build with the line to
    add.
#}
{% macro column_rules_of(path) %}
    {%- if not execute %}
        {{ return('select 1 as nothing') }}
    {%- endif %}
    {%- set severity = model.config.severity | lower %}
    {%- set listed = model.depends_on.nodes %}
    {%- set query = namespace(parts=0, missing=[]) %}
    {%- set tests = graph.nodes.values() | selectattr('resource_type', 'equalto', 'test')
        | sort(attribute='unique_id') %}
    {%- for test in tests %}
        {%- if test.test_metadata and test.test_metadata.name == 'column_rules'
            and test.original_file_path.startswith(path)
            and (test.config.severity | lower) == severity %}
            {%- set tested = rules_tested_node(test) %}
            {%- if tested.unique_id not in listed %}
                {%- do query.missing.append(rules_depends_line(tested)) %}
            {%- endif %}
            {%- set arguments = test.test_metadata.kwargs %}
            {%- set relationships = {} %}
            {%- for column, parent in (arguments.get('relationships') or {}).items() %}
                {%- set target = rules_target_node(test, parent.to) %}
                {%- if target.unique_id not in listed %}
                    {%- do query.missing.append(rules_depends_line(target)) %}
                {%- endif %}
                {%- do relationships.update({column: {
                    'to': target.relation_name,
                    'to_name': target.name,
                    'field': parent.field
                }}) %}
            {%- endfor %}
            {#- arguments are stored as written: render their Jinja, as dbt does
                for the per-model test (e.g. list_length in an expression) #}
            {%- set expressions = [] %}
            {%- for expression in arguments.get('expressions') or [] %}
                {%- do expressions.append(render(expression)) %}
            {%- endfor %}
            {%- set ranges = [] %}
            {%- for spec in arguments.get('not_overlapping_ranges') or [] %}
                {%- set spec = spec.copy() %}
                {%- if spec.get('where') %}
                    {%- do spec.update({'where': render(spec.where)}) %}
                {%- endif %}
                {%- do ranges.append(spec) %}
            {%- endfor %}
            {% if query.parts > 0 %}
            union all
            {% endif %}
            {%- set query.parts = query.parts + 1 %}
            select * from (
                {{ column_rules_rows(
                    tested.relation_name,
                    rules_shown_name(tested),
                    arguments.get('not_null') or [],
                    arguments.get('not_negative') or [],
                    arguments.get('between_zero_and_one') or [],
                    arguments.get('unique') or [],
                    arguments.get('accepted_values') or {},
                    relationships,
                    expressions,
                    ranges,
                    arguments.get('sequential_dates') or []
                ) }}
            ) as rules_{{ query.parts }}
        {%- endif %}
    {%- endfor %}
    {%- if query.missing %}
        {{ exceptions.raise_compiler_error(
            model.name ~ ' reads what its file does not name; add to '
            ~ model.original_file_path ~ ':\n'
            ~ (query.missing | unique | sort | join('\n'))
        ) }}
    {%- endif %}
    {%- if query.parts == 0 %}
        {{ exceptions.raise_compiler_error(
            model.name ~ ': no ' ~ severity ~ ' column_rules test is declared under '
            ~ path
        ) }}
    {%- endif %}
{% endmacro %}

{# The model, seed or source a column_rules test is on (its graph entry). #}
{% macro rules_tested_node(test) %}
    {%- if test.attached_node %}
        {{- return(graph.nodes[test.attached_node]) }}
    {%- endif %}
    {%- set source = test.sources[0] %}
    {%- for node in graph.sources.values() %}
        {%- if node.source_name == source[0] and node.name == source[1] %}
            {{- return(node) }}
        {%- endif %}
    {%- endfor %}
    {{ exceptions.raise_compiler_error(test.name ~ ': the node it tests is not found') }}
{% endmacro %}

{#
    The target of a relationship, written `ref('name')` in the test's
    arguments: the node of that name the test depends on.
#}
{% macro rules_target_node(test, written) %}
    {%- set name = written.replace('"', "'").split("'")[1] %}
    {%- for unique_id in test.depends_on.nodes %}
        {%- if unique_id.split('.')[-1] == name and unique_id in graph.nodes %}
            {{- return(graph.nodes[unique_id]) }}
        {%- endif %}
    {%- endfor %}
    {{ exceptions.raise_compiler_error(
        test.name ~ ': the relationship target ' ~ written ~ ' is not found'
    ) }}
{% endmacro %}

{# How violation rows and failures name a node: a source as `source.table`. #}
{% macro rules_shown_name(node) %}
    {%- if node.resource_type == 'source' %}
        {{- return(node.source_name ~ '.' ~ node.name) }}
    {%- endif %}
    {{- return(node.name) }}
{% endmacro %}

{# The line a group's file needs to read `node`. #}
{% macro rules_depends_line(node) %}
    {%- if node.resource_type == 'source' %}
        {{- return("-- depends_on: {{ source('" ~ node.source_name ~ "', '" ~ node.name ~ "') }}") }}
    {%- endif %}
    {{- return("-- depends_on: {{ ref('" ~ node.name ~ "') }}") }}
{% endmacro %}
