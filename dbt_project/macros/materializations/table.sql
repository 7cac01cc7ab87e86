{#
    Tables on DuckDB, in fewer statements than dbt-duckdb's own (issue 16).

    dbt-duckdb builds a table under a temporary name, renames the old one
    away, renames the new one in, commits and drops the old one: with its
    checks, nine statements and a commit or two per model, whatever the data,
    for 55 table models on every build. Here the old table is dropped and the
    new one created in one transaction, which DuckDB makes atomic: a failed
    query leaves the old table as it was. Readers never open this database
    (they read the published snapshot), so nothing sees the moment between.

    What this project's models use is kept: hooks, a view of the same name
    replaced, SQL models only. A model that enforces a contract, or sets
    partitioning, sort order, indexes or grants, stops the build here with
    its name: those need dbt-duckdb's steps, which this does not take.
#}
{% materialization table, adapter="duckdb", supported_languages=["sql"] %}
    {%- if config.get("contract").enforced
        or config.get("partitioned_by") or config.get("sorted_by")
        or config.get("indexes") or config.get("grants") %}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": a contract, partitioning, sort order, indexes or grants "
            ~ "need dbt-duckdb's table materialization; "
            ~ "macros/materializations/table.sql does not take those steps"
        ) }}
    {%- endif %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type="table") %}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    -- `BEGIN` happens here:
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if existing_relation is not none %}
        {{ adapter.drop_relation(existing_relation) }}
    {%- endif %}
    {% call statement("main") -%}
        {{- create_table_as(False, target_relation, compiled_code) }}
    {%- endcall %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    -- `COMMIT` happens here
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({"relations": [target_relation]}) }}
{% endmaterialization %}
