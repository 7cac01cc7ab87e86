{#
    The build's memory limit on DuckDB (publish/memory.py): `python -m
    publish` leaves it in build/memory_limit.jsonl and each run sets it before
    its first node (on-run-start). Past it DuckDB spills to disk. A file, not
    a profile setting or an env var: dbt parses the whole project again when
    either changes, and the limit changes with the lake. Without the file (dbt
    run by hand) DuckDB keeps its own limit, 80 % of the machine's memory.
    Spark's memory is its driver's (SPARK_DRIVER_MEMORY, profiles.yml).
#}
{% macro set_memory_limit() %}
    {{ return(adapter.dispatch('set_memory_limit', 'volunteer_warehouse')()) }}
{% endmacro %}

{% macro default__set_memory_limit() %}
{% endmacro %}

{% macro duckdb__set_memory_limit() %}
    {%- if execute %}
        {%- set path = env_var('WAREHOUSE_DIR') ~ '/build/memory_limit.jsonl' %}
        {%- set present = run_query("select count(*) from glob('" ~ path ~ "')") %}
        {%- if present.rows[0][0] > 0 %}
            {%- set found = run_query(
                "select memory_limit from read_json('" ~ path ~ "', "
                ~ "columns = {memory_limit: 'varchar'})"
            ) %}
            set memory_limit = '{{ found.rows[0][0] }}'
        {%- endif %}
    {%- endif %}
{% endmacro %}
