{#
    The data-quality marts: they describe the data, so they warn (docs/data-tests.md).
    Every warn column_rules test declared under models/marts/data_quality/, in one node
    (macros/column_rules_groups.sql); the lines below name what they read.
#}
{{ config(tags=['column_rules_group'], severity='warn') }}
-- depends_on: {{ ref('dim_districts') }}
-- depends_on: {{ ref('dim_organizations') }}
-- depends_on: {{ ref('dim_people') }}
-- depends_on: {{ ref('dq_duplicates_by_file') }}
-- depends_on: {{ ref('dq_duplicates_dropped') }}
-- depends_on: {{ ref('dq_failed_file_rejects') }}
-- depends_on: {{ ref('dq_failed_files') }}
-- depends_on: {{ ref('dq_file_loads') }}
-- depends_on: {{ ref('dq_findings_by_file') }}
-- depends_on: {{ ref('dq_pending_sessions') }}
-- depends_on: {{ ref('dq_people_missing_from_roster') }}
-- depends_on: {{ ref('dq_persons_over_24_hours') }}
-- depends_on: {{ ref('dq_rejects') }}
-- depends_on: {{ ref('dq_rejects_by_reason') }}
-- depends_on: {{ ref('dq_submissions') }}
-- depends_on: {{ ref('dq_unknown_organizations') }}
-- depends_on: {{ ref('dq_unmapped_activity_labels') }}
-- depends_on: {{ ref('reject_reasons') }}
{{ column_rules_of('models/marts/data_quality/') }}
