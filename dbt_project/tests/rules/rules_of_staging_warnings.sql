{#
    The staging rules that describe the data (stg_lake__rejects): they warn.
    Every warn column_rules test declared under models/staging/, in one node
    (macros/column_rules_groups.sql); the lines below name what they read.
#}
{{ config(tags=['column_rules_group'], severity='warn') }}
-- depends_on: {{ ref('stg_lake__rejects') }}
{{ column_rules_of('models/staging/') }}
