-- The bureau's additive figures are the sums of its districts' (every
-- district, `unknown` included), month by month: person-times, minutes and
-- activities held; its distinct counts are at most the sums (a person active
-- in two districts is one volunteer of the bureau) and at least each
-- district's. Returns the months that differ.
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
        max(volunteers) as most_volunteers,
        sum(branch_units) as branch_units
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
    or districts.month is null
    or bureau.person_times <> districts.person_times
    or bureau.total_minutes <> districts.total_minutes
    or bureau.volunteer_service_minutes <> districts.volunteer_service_minutes
    or bureau.events_logged <> districts.events_logged
    or bureau.events_reported <> districts.events_reported
    or bureau.events_held <> districts.events_held
    or bureau.reported_person_times <> districts.reported_person_times
    or bureau.reported_minutes <> districts.reported_minutes
    or bureau.volunteers > districts.volunteers
    or bureau.volunteers < districts.most_volunteers
    or bureau.branch_units <> districts.branch_units
