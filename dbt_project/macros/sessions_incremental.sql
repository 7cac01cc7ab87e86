{#
    Incremental facts by batch. Batches are immutable, so a session can only
    change when a batch holding one of its copies enters or leaves the build
    (loaded, superseded, or outside `as_of`). `int_activity_batches_changed`
    lists those batches since the last build, `int_sessions_touched` the
    sessions they hold a copy of; the session models recompute only those
    (delete+insert on session_key) and drop the sessions whose kept copy's
    batch left the build. A change of roster, organizations, seeds or model
    code makes `python -m publish` run a full refresh instead.
#}

{# The session models' filter: only the touched sessions on an incremental run. #}
{% macro only_touched_sessions(session_key_column='session_key') %}
    {%- if is_incremental() %}
        where {{ session_key_column }} in (
            select touched.session_key
            from {{ ref('int_sessions_touched') }} as touched
        )
    {%- endif %}
{% endmacro %}

{# The post-hook: sessions whose kept copy's batch is no longer built. #}
{% macro delete_sessions_of_dropped_batches() %}
    {%- if is_incremental() %}
        delete from {{ this }}
        where batch_id not in (
            select selected.batch_id
            from {{ ref('int_batches_selected') }} as selected
        )
    {%- else %}
        select 1
    {%- endif %}
{% endmacro %}

{#
    An exact fingerprint of a row's values: each value as text with `~`
    written `~~` and `|` written `~p`, null as `~n` (which no escaped value
    can be), joined by `|`, then hashed: two rows get the same fingerprint
    only if every value agrees (no backslashes: dialects escape them
    differently).
#}
{% macro row_fingerprint(columns) %}
    md5(concat_ws(
        '|',
        {%- for column in columns %}
            coalesce(
                replace(replace({{ column }}::string, '~', '~~'), '|', '~p'),
                '~n'
            )
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ))
{% endmacro %}
