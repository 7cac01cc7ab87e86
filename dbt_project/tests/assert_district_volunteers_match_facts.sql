-- A district's volunteers in a month equal the distinct persons of its approved
-- sessions counted straight from the fact. Returns the months that differ.
with

facts as (
    select
        district_code,
        month,
        count(distinct person_key) as volunteers
    from {{ ref('fct_volunteer_sessions') }}
    where status = 'approved'
    group by district_code, month
),

districts as (
    select * from {{ ref('agg_district_monthly') }}
)

select
    facts.district_code,
    facts.month,
    facts.volunteers as fact_volunteers,
    districts.volunteers as district_volunteers
from facts
left join districts
    on
        facts.district_code = districts.district_code
        and facts.month = districts.month
where districts.volunteers is distinct from facts.volunteers
