{#
    Every word a reference seed accepts for a code: the code itself, its Chinese
    and English names, and each alias of its `|`-separated aliases column, in the
    normalized form labels are compared in (trimmed, lower-cased; the lake's
    values are already NFKC). Used for activity, person and organization types.
    `relation`: read the rows from it instead of the seed (the activity types
    merged with those of the inbox), with the seed's columns.
#}
{% macro seed_terms(seed_name, code_column, relation=none) %}
    {{- return(
        adapter.dispatch('seed_terms', 'volunteer_warehouse')(
            seed_name, code_column, relation
        )
    ) -}}
{% endmacro %}

{% macro default__seed_terms(seed_name, code_column, relation=none) %}
    select distinct
        {{ code_column }} as code,
        lower(trim(term)) as term
    from {{ relation or ref(seed_name) }},
        unnest(
            list_concat(
                [{{ code_column }}, name_zh, name_en],
                string_split(coalesce(aliases, ''), '|')
            )
        ) as terms (term)
    where trim(term) <> ''
{% endmacro %}

{# Spark: the same words, from an array exploded beside each seed row. #}
{% macro spark__seed_terms(seed_name, code_column, relation=none) %}
    select distinct
        {{ code_column }} as code,
        lower(trim(term)) as term
    from {{ relation or ref(seed_name) }}
    lateral view explode(
        concat(
            array({{ code_column }}, name_zh, name_en),
            split(coalesce(aliases, ''), '[|]')
        )
    ) terms as term
    where trim(term) <> ''
{% endmacro %}
