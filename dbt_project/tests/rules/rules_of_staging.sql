{#
    The lake's sources and the staging views.
    Every error column_rules test declared under models/staging/, in one node
    (macros/column_rules_groups.sql); the lines below name what they read.
#}
{{ config(tags=['column_rules_group']) }}
-- depends_on: {{ ref('stg_build__batches_selected') }}
-- depends_on: {{ ref('stg_lake__activity_rows') }}
-- depends_on: {{ ref('stg_lake__activity_types') }}
-- depends_on: {{ ref('stg_lake__batches') }}
-- depends_on: {{ ref('stg_lake__districts') }}
-- depends_on: {{ ref('stg_lake__events') }}
-- depends_on: {{ ref('stg_lake__organizations') }}
-- depends_on: {{ ref('stg_lake__people') }}
-- depends_on: {{ source('lake', 'manifest') }}
{{ column_rules_of('models/staging/') }}
