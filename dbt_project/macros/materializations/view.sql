{#
    Views on DuckDB the way tables are built here (macros/materializations/
    table.sql): the old relation dropped and the view created in one
    transaction, instead of dbt's create under a temporary name, two renames
    and a drop. A contract stops the build with the model's name, as it does
    for a table.
#}
{% materialization view, adapter="duckdb", supported_languages=["sql"] %}
    {%- if config.get("contract").enforced or config.get("grants") %}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": a contract or grants need dbt's view materialization; "
            ~ "macros/materializations/view.sql does not take those steps"
        ) }}
    {%- endif %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type="view") %}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    -- `BEGIN` happens here:
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if existing_relation is not none %}
        {{ adapter.drop_relation(existing_relation) }}
    {%- endif %}
    {% call statement("main") -%}
        {{- get_create_view_as_sql(target_relation, sql) }}
    {%- endcall %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    -- `COMMIT` happens here
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({"relations": [target_relation]}) }}
{% endmaterialization %}
