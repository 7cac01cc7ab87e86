{#
    Tables on DuckDB read each CTE of their query where it is used, never from
    a copy held in memory (issue 16).

    DuckDB materializes a CTE that its query reads more than once: it runs it
    once and keeps every row of it in memory, where neither `memory_limit` nor
    spilling to disk reaches (a build under a limit failed with "Out of
    Memory" in the models that read their import CTEs twice). The house style
    reads every model through import CTEs, many of them read twice or more,
    so on DuckDB each top-level CTE (written `name as (` on a line of its own)
    is compiled `name as not materialized (`: each reference is planned as the
    query it names, with its filters and columns pushed down, and can spill.
    Measured on the 10M demo (bench/README.md, "Issue 16, ninth round"): dbt's
    peak 7.6 GB → 3.6 GB with no limit, and every model builds under a limit
    of 384 MB.

    A CTE read twice is run twice, so its rows must be the same both times: a
    model must not read twice a CTE whose rows depend on chance (a
    `row_number()` over ties, `random()`, `any_value`). The one CTE read
    twice that ranks rows, dq_failed_files' last_failures, ranks on a unique
    key (failed_at, failure_id). Spark is untouched: its SQL has no
    `not materialized` (tests/publish/test_memory.py checks both).
#}
{% macro duckdb__create_table_as(
    temporary, relation, compiled_code, language='sql',
    partitioned_by=none, sorted_by=none
) -%}
    {{ return(dbt.duckdb__create_table_as(
        temporary, relation, inline_ctes(compiled_code), language,
        partitioned_by=partitioned_by, sorted_by=sorted_by
    )) }}
{%- endmacro %}

{# Each top-level CTE header `name as (` of `sql`, as `name as not materialized (`. #}
{% macro inline_ctes(sql) %}
    {{ return(modules.re.sub('(?m)^(\\w+) as \\($', '\\1 as not materialized (', sql)) }}
{% endmacro %}
