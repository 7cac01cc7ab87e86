{#
    The intermediate models.
    Every error column_rules test declared under models/intermediate/, in one node
    (macros/column_rules_groups.sql); the lines below name what they read.
#}
{{ config(tags=['column_rules_group']) }}
-- depends_on: {{ ref('dim_organizations') }}
-- depends_on: {{ ref('int_activity_batches_built') }}
-- depends_on: {{ ref('int_activity_batches_changed') }}
-- depends_on: {{ ref('int_activity_rows_keyed') }}
-- depends_on: {{ ref('int_activity_type_terms') }}
-- depends_on: {{ ref('int_activity_types_inbox') }}
-- depends_on: {{ ref('int_activity_types_merged') }}
-- depends_on: {{ ref('int_data_cutoff') }}
-- depends_on: {{ ref('int_districts_latest') }}
-- depends_on: {{ ref('int_event_rows_selected') }}
-- depends_on: {{ ref('int_events_attributed') }}
-- depends_on: {{ ref('int_events_deduplicated') }}
-- depends_on: {{ ref('int_months_spanned') }}
-- depends_on: {{ ref('int_organization_ancestors') }}
-- depends_on: {{ ref('int_organization_names') }}
-- depends_on: {{ ref('int_organizations_attributed') }}
-- depends_on: {{ ref('int_organizations_latest') }}
-- depends_on: {{ ref('int_people_placed') }}
-- depends_on: {{ ref('int_people_versions') }}
-- depends_on: {{ ref('int_person_months_rostered') }}
-- depends_on: {{ ref('int_sessions_attributed') }}
-- depends_on: {{ ref('int_sessions_deduplicated') }}
-- depends_on: {{ ref('int_sessions_touched') }}
{{ column_rules_of('models/intermediate/') }}
