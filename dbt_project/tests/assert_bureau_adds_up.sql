-- The bureau's additive figures are the sums of its districts' (every
-- district, `unknown` included), month by month: person-times, minutes and
-- activities held; its distinct counts are at most the sums (a person active
-- in two districts is one volunteer of the bureau) and at least each
-- district's. A month without district rows (no district defined yet) sums to
-- zeros. Returns the months that differ.
with

bureau as (
    select * from {{ ref('agg_bureau_monthly') }}
),

districts as (
    select
        month,
        sum(person_times) as person_times,
        sum(total_minutes) as total_minutes,
        sum(volunteer_service_minutes) as volunteer_service_minutes,
        sum(events_logged) as events_logged,
        sum(events_reported) as events_reported,
        sum(events_held) as events_held,
        sum(reported_person_times) as reported_person_times,
        sum(reported_minutes) as reported_minutes,
        sum(volunteers) as volunteers,
        max(volunteers) as most_volunteers
    from {{ ref('agg_district_monthly') }}
    group by month
)

select
    bureau.month,
    bureau.person_times,
    districts.person_times as district_person_times,
    bureau.volunteers,
    districts.volunteers as district_volunteers
from bureau
full outer join districts on bureau.month = districts.month
where
    bureau.month is null
    or bureau.person_times <> coalesce(districts.person_times, 0)
    or bureau.total_minutes <> coalesce(districts.total_minutes, 0)
    or bureau.volunteer_service_minutes
    <> coalesce(districts.volunteer_service_minutes, 0)
    or bureau.events_logged <> coalesce(districts.events_logged, 0)
    or bureau.events_reported <> coalesce(districts.events_reported, 0)
    or bureau.events_held <> coalesce(districts.events_held, 0)
    or bureau.reported_person_times
    <> coalesce(districts.reported_person_times, 0)
    or bureau.reported_minutes <> coalesce(districts.reported_minutes, 0)
    or bureau.volunteers > coalesce(districts.volunteers, 0)
    or bureau.volunteers < coalesce(districts.most_volunteers, 0)
