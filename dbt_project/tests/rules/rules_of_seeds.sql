{#
    The seeds (seeds/_seeds.yml).
    Every error column_rules test declared under ../seeds/, in one node
    (macros/column_rules_groups.sql); the lines below name what they read.
#}
{{ config(tags=['column_rules_group']) }}
-- depends_on: {{ ref('activity_types') }}
-- depends_on: {{ ref('cadence_targets') }}
-- depends_on: {{ ref('organization_types') }}
-- depends_on: {{ ref('person_types') }}
-- depends_on: {{ ref('quota_targets') }}
-- depends_on: {{ ref('reject_reasons') }}
-- depends_on: {{ ref('school_calendar') }}
{{ column_rules_of('../seeds/') }}
