{#
    The marts that hold figures (models/marts, models/marts/dashboard).
    Every error column_rules test declared under models/marts/, in one node
    (macros/column_rules_groups.sql); the lines below name what they read.
#}
{{ config(tags=['column_rules_group']) }}
-- depends_on: {{ ref('agg_branch_compliance') }}
-- depends_on: {{ ref('agg_bureau_monthly') }}
-- depends_on: {{ ref('agg_dashboard_cells') }}
-- depends_on: {{ ref('agg_dashboard_communities') }}
-- depends_on: {{ ref('agg_dashboard_events') }}
-- depends_on: {{ ref('agg_dashboard_person_months') }}
-- depends_on: {{ ref('agg_district_monthly') }}
-- depends_on: {{ ref('agg_organization_monthly') }}
-- depends_on: {{ ref('agg_quota_attainment') }}
-- depends_on: {{ ref('dim_activity_types') }}
-- depends_on: {{ ref('dim_dates') }}
-- depends_on: {{ ref('dim_districts') }}
-- depends_on: {{ ref('dim_organizations') }}
-- depends_on: {{ ref('dim_people') }}
-- depends_on: {{ ref('dq_file_loads') }}
-- depends_on: {{ ref('fct_event_summaries') }}
-- depends_on: {{ ref('fct_person_months') }}
-- depends_on: {{ ref('fct_person_quota_years') }}
-- depends_on: {{ ref('fct_volunteer_sessions') }}
-- depends_on: {{ ref('quota_targets') }}
{{ column_rules_of('models/marts/') }}
