{#
    Spark writes no file for a table partitioned by batch that has no rows (no
    activity loaded yet), and then the publish step would not know its columns.
    After each run (on-run-end) the columns of every partitioned mart are written
    as an empty Parquet file under WAREHOUSE_DIR/spark/schemas/<mart>, which
    publish/spark.py reads for such a table. DuckDB needs nothing.
#}
{% macro write_mart_schemas() %}
    {{ return(adapter.dispatch('write_mart_schemas', 'volunteer_warehouse')()) }}
{% endmacro %}

{% macro default__write_mart_schemas() %}
{% endmacro %}

{% macro spark__write_mart_schemas() %}
    {%- if execute %}
        {%- set folder = env_var('WAREHOUSE_DIR') ~ '/spark/schemas' %}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model'
            and node.schema == 'marts'
            and node.config.get('partition_by') %}
            {%- set relation = adapter.get_relation(
                database=node.database, schema=node.schema, identifier=node.alias
            ) %}
            {%- if relation is not none %}
                {%- do run_query(
                    "insert overwrite directory '" ~ folder ~ '/' ~ node.alias
                    ~ "' using parquet select * from " ~ relation ~ ' limit 0'
                ) %}
            {%- endif %}
        {%- endfor %}
    {%- endif %}
{% endmacro %}
