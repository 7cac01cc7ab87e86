{#
    The activity (场次) columns of a unit and month (DESIGN.md's events_logged,
    events_reported, events_held, reported_person_times, reported_hours),
    defined once for agg_district_monthly and agg_organization_monthly, after
    unit_metric_columns. The model must join CTEs named logged_metrics
    (events_logged: distinct activities of approved sessions, grouped by
    attributed organization, date, type code and title) and reported_metrics
    (events_reported, reported_person_times, reported_minutes: approved
    event-summary rows after exact duplicates are removed). Summary figures
    stand apart: nothing here enters a person-level column.
#}
{% macro event_metric_columns() %}
    coalesce(logged_metrics.events_logged, 0) as events_logged,
    coalesce(reported_metrics.events_reported, 0) as events_reported,
    coalesce(logged_metrics.events_logged, 0)
    + coalesce(reported_metrics.events_reported, 0) as events_held,
    coalesce(reported_metrics.reported_person_times, 0)
        as reported_person_times,
    coalesce(reported_metrics.reported_minutes, 0) as reported_minutes,
    coalesce(reported_metrics.reported_minutes, 0) / 60.0 as reported_hours
{% endmacro %}
