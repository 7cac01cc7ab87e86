{#
    Fails with the rows where `expression` is not true (false or null): a
    row-level invariant such as `rows_read = rows_loaded + rows_rejected`
    (after dbt-utils' test of the same name, which we cannot install here).
    A null result fails on purpose: an invariant that cannot be evaluated
    is not known to hold.
#}
{% test expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}
