-- A district's volunteers in a month never exceed the sum over its units (the
-- volunteers each organization of the district reported itself: every
-- session of the district is reported by exactly one of them), and are at
-- least the largest of them. Returns the district-months that break either.
with

districts as (
    select * from {{ ref('agg_district_monthly') }}
),

organizations as (
    select * from {{ ref('agg_organization_monthly') }}
),

units as (
    select
        district_code,
        month,
        sum(own_volunteers) as sum_over_units,
        max(own_volunteers) as largest_unit
    from organizations
    group by district_code, month
)

select
    districts.district_code,
    districts.month,
    districts.volunteers,
    units.sum_over_units,
    units.largest_unit
from districts
left join units
    on
        districts.district_code = units.district_code
        and districts.month = units.month
where
    districts.volunteers > coalesce(units.sum_over_units, 0)
    or districts.volunteers < coalesce(units.largest_unit, 0)
