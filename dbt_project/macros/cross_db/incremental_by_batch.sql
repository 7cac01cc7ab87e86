{#
    How an incremental model by batch is written, chosen by engine. DuckDB:
    delete+insert on the model's unique_key. Spark's tables are plain Parquet
    (Delta and Iceberg need jars from Maven), which cannot delete rows, so a
    Spark table is partitioned by batch_id and a run overwrites the partitions
    of the batches it writes (insert_overwrite): a batch's rows are replaced
    whole. `rebuild_on_spark`: a model whose incremental run on DuckDB deletes
    single rows (sessions whose kept copy moved to another batch) is rebuilt
    on every Spark run instead, still partitioned by batch, so a superseded
    batch disappears on both engines. Use as the last argument of config():
    `{{ config(materialized='incremental', unique_key=..., **incremental_by_batch()) }}`
#}
{% macro incremental_by_batch(rebuild_on_spark=false) %}
    {%- if target.type == 'spark' %}
        {%- set options = {
            'incremental_strategy': 'insert_overwrite',
            'partition_by': ['batch_id'],
            'file_format': 'parquet',
        } %}
        {%- if rebuild_on_spark %}
            {%- do options.update({'full_refresh': true}) %}
        {%- endif %}
        {{- return(options) }}
    {%- else %}
        {{- return({'incremental_strategy': 'delete+insert'}) }}
    {%- endif %}
{% endmacro %}
