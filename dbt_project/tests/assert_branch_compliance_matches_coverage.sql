-- The monthly activity-day rows of agg_branch_compliance and the coverage of
-- agg_district_monthly count the same branch units: per district and month,
-- the branch units that held an activity day. Returns the months that differ.
with

compliance as (
    select
        district_code,
        period as month,
        count(*) filter (where meetings_held > 0) as units_with_activity_day
    from {{ ref('agg_branch_compliance') }}
    where activity_type_code = 'activity_day' and cadence = 'monthly'
    group by district_code, period
),

districts as (
    select * from {{ ref('agg_district_monthly') }}
)

select
    compliance.district_code,
    compliance.month,
    compliance.units_with_activity_day,
    districts.branch_units_with_activity_day
from compliance
inner join districts
    on
        compliance.district_code = districts.district_code
        and compliance.month = districts.month
where
    compliance.units_with_activity_day
    <> districts.branch_units_with_activity_day
