{#
    The lake as tables an engine can read. DuckDB needs nothing: each source of
    `lake` reads its files through `meta.external_location`. Spark has no such
    thing, so before every run (on-run-start) each source becomes an external
    table over the same files: the Parquet folder of its kind (Spark skips the
    `_schema.parquet` the ingest leaves there), or the manifest's JSON lines
    with the columns `meta.spark_columns` names. An external table owns no
    data: dropping it to re-create it never touches the lake.
    Columns come from the var `lake_columns` (kind -> Spark DDL, which
    `python -m publish --target spark` reads from each `_schema.parquet`, so a
    kind with no batch yet still has its columns), else from the files
    (mergeSchema, so batches landed by older ingests still read: a missing
    column is null, as DuckDB's union_by_name makes it).
    The lake is `LAKE_DIR` (on a cluster: shared storage every executor reads,
    e.g. s3a://bucket/lake) or WAREHOUSE_DIR/lake. The `build` source (the
    batches `python -m publish` selected, build/batches_selected.jsonl) becomes
    a table the same way, over its file under WAREHOUSE_DIR/build
    (`meta.spark_root: build`).
#}
{% macro create_lake_tables() %}
    {{ return(adapter.dispatch('create_lake_tables', 'volunteer_warehouse')()) }}
{% endmacro %}

{% macro default__create_lake_tables() %}
{% endmacro %}

{% macro spark__create_lake_tables() %}
    {%- if execute %}
        {%- set lake_dir = env_var('LAKE_DIR', env_var('WAREHOUSE_DIR') ~ '/lake') %}
        {%- set roots = {
            'lake': lake_dir,
            'build': env_var('WAREHOUSE_DIR') ~ '/build',
        } %}
        {%- set columns = var('lake_columns', {}) %}
        {%- for source in graph.sources.values()
            if source.source_name in ('lake', 'build') %}
            {%- set relation = source.schema ~ '.' ~ source.identifier %}
            {%- set format = source.meta.get('spark_format', 'parquet') %}
            {%- set root = roots[source.meta.get('spark_root', 'lake')] %}
            {%- set path = root ~ '/' ~ source.meta.get('spark_path', source.identifier) %}
            {%- set ddl = source.meta.get('spark_columns') or columns.get(source.identifier) %}
            {%- do run_query('create schema if not exists ' ~ source.schema) %}
            {%- do run_query('drop table if exists ' ~ relation) %}
            {%- set create %}
                create table {{ relation }}
                {% if ddl %}({{ ddl }}){% endif %}
                using {{ format }}
                options (
                    path '{{ path | replace("'", "\\'") }}'
                    {%- if format == 'parquet' %}, mergeSchema 'true'{% endif %}
                )
            {%- endset %}
            {%- do run_query(create) %}
        {%- endfor %}
    {%- endif %}
{% endmacro %}
