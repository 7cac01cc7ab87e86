-- Quota attainment per district, calendar year and quota (quota_targets seed):
-- of the roster people of the quota's person type in the district that year
-- (fct_person_quota_years), how many met it. Training coverage of applicants
-- is the quota `applicant_training` (at least one approved training session
-- in the year). Computed from the person-years, never from monthly figures.
-- Every known district has a row for every year of int_months_spanned (from
-- the first month with data to the cut-off) and every quota; `unknown` only
-- where it has people in scope.
with

districts as (
    select * from {{ ref('dim_districts') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

cutoff as (
    select * from {{ ref('int_data_cutoff') }}
),

targets as (
    select * from {{ ref('quota_targets') }}
),

person_years as (
    select * from {{ ref('fct_person_quota_years') }}
),

years as (
    select distinct year(month_start) as year
    from months
),

attainment as (
    select
        district_code,
        year,
        quota_code,
        count(*) as people_in_scope,
        count(*) filter (where is_met) as people_meeting,
        sum(approved_minutes)::bigint as approved_minutes
    from person_years
    group by district_code, year, quota_code
),

grid as (
    select
        districts.district_code,
        years.year,
        targets.quota_code
    from districts
    cross join years
    cross join targets
    where districts.district_code <> 'unknown'
    union all
    select
        district_code,
        year,
        quota_code
    from attainment
    where district_code = 'unknown'
),

final as (
    select
        grid.district_code,
        districts.district_name,
        grid.year,
        grid.quota_code,
        targets.person_type_code,
        targets.activity_category,
        targets.activity_type_code,
        targets.min_hours,
        targets.min_sessions,
        coalesce(attainment.people_in_scope, 0) as people_in_scope,
        coalesce(attainment.people_meeting, 0) as people_meeting,
        coalesce(attainment.people_meeting, 0)
        / nullif(attainment.people_in_scope, 0) as attainment_rate,
        coalesce(attainment.approved_minutes, 0) as approved_minutes,
        make_date(grid.year, 12, 31) <= cutoff.cutoff_date as is_year_complete
    from grid
    inner join districts on grid.district_code = districts.district_code
    inner join targets on grid.quota_code = targets.quota_code
    left join attainment
        on
            grid.district_code = attainment.district_code
            and grid.year = attainment.year
            and grid.quota_code = attainment.quota_code
    cross join cutoff
)

select * from final
