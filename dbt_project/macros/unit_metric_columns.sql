{#
    The metric columns of a unit and month (DESIGN.md's table), defined once for
    agg_district_monthly and agg_organization_monthly. The model must join CTEs
    named roster_metrics (roster_size, active_members), session_metrics
    (volunteers, person_times, total_minutes, volunteer_service_minutes),
    branch_units (branch_units), branch_units_covered
    (branch_units_with_activity_day) and volunteer_flows (new_volunteers,
    retained_volunteers), each computed from the finest grain for the unit.
    Exact numerators and denominators are kept beside each ratio.
#}
{% macro unit_metric_columns() %}
    coalesce(roster_metrics.roster_size, 0) as roster_size,
    coalesce(roster_metrics.active_members, 0) as active_members,
    coalesce(roster_metrics.active_members, 0)
    / nullif(roster_metrics.roster_size, 0) as participation_rate,
    coalesce(session_metrics.volunteers, 0) as volunteers,
    coalesce(session_metrics.person_times, 0) as person_times,
    coalesce(session_metrics.total_minutes, 0) as total_minutes,
    coalesce(session_metrics.total_minutes, 0) / 60.0 as total_hours,
    coalesce(session_metrics.volunteer_service_minutes, 0)
        as volunteer_service_minutes,
    coalesce(session_metrics.volunteer_service_minutes, 0)
    / 60.0 as volunteer_service_hours,
    session_metrics.total_minutes
    / 60.0
    / nullif(session_metrics.volunteers, 0) as avg_hours_per_volunteer,
    coalesce(branch_units.branch_units, 0) as branch_units,
    coalesce(branch_units_covered.branch_units_with_activity_day, 0)
        as branch_units_with_activity_day,
    coalesce(branch_units_covered.branch_units_with_activity_day, 0)
    / nullif(branch_units.branch_units, 0) as activity_day_coverage,
    coalesce(volunteer_flows.new_volunteers, 0) as new_volunteers,
    coalesce(volunteer_flows.retained_volunteers, 0) as retained_volunteers
{% endmacro %}
