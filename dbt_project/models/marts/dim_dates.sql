-- The calendar: one row per day from the first day of the first month of
-- int_months_spanned (the first month with data) to the last day of its last
-- month (the data cut-off's month, or the latest activity's when later), so
-- every month of the monthly marts is whole and none is added before the data.
-- School terms and breaks come from the school_calendar seed; a day no seed
-- term or break covers falls back to the documented rule: autumn term
-- September to January, winter break February, spring term March to June,
-- summer break July and August. is_holiday means a school break (寒假, 暑假);
-- public holidays are flagged apart.
with

months as (
    select * from {{ ref('int_months_spanned') }}
),

school_calendar as (
    select * from {{ ref('school_calendar') }}
),

span as (
    select
        min(month_start) as first_day,
        max(month_end) as last_day
    from months
),

days as (
    select series.day_start::date as calendar_date
    from span
    cross join
        {{ date_series('span.first_day', 'span.last_day', 'interval 1 day') }}
            as series (day_start)
),

school_periods as (
    select * from school_calendar
    where period_kind <> 'public_holiday'
),

public_holidays as (
    select * from school_calendar
    where period_kind = 'public_holiday'
),

days_placed as (
    select
        days.calendar_date,
        school_periods.school_year as seed_school_year,
        school_periods.period_kind as seed_period_kind,
        school_periods.name_zh as seed_period_name_zh,
        public_holidays.name_zh as public_holiday_name_zh,
        public_holidays.name_en as public_holiday_name_en,
        year(days.calendar_date) as calendar_year,
        month(days.calendar_date) as month_of_year,
        day(days.calendar_date) as day_of_month
    from days
    left join school_periods
        on
            days.calendar_date >= school_periods.start_date
            and days.calendar_date <= school_periods.end_date
    left join public_holidays
        on
            days.calendar_date >= public_holidays.start_date
            and days.calendar_date <= public_holidays.end_date
),

days_with_period as (
    select
        *,
        coalesce(
            seed_period_kind,
            case
                when month_of_year >= 9 or month_of_year = 1
                    then 'autumn_term'
                when month_of_year = 2 then 'winter_break'
                when month_of_year between 3 and 6 then 'spring_term'
                else 'summer_break'
            end
        ) as school_period,
        coalesce(
            seed_school_year,
            case
                when month_of_year >= 9
                    then calendar_year || '-' || (calendar_year + 1)
                else (calendar_year - 1) || '-' || calendar_year
            end
        ) as school_year
    from days_placed
),

days_described as (
    select
        *,
        calendar_year || '-Q' || quarter(calendar_date) as quarter,
        quarter(calendar_date) as quarter_of_year,
        {{ month_label('calendar_date') }} as month,
        date_trunc('month', calendar_date)::date as month_start,
        {{ iso_day_of_week('calendar_date') }} as day_of_week,
        {{ list_item(
            ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'],
            iso_day_of_week('calendar_date'),
        ) }} as weekday_name_zh,
        {{ weekday_name_en('calendar_date') }} as weekday_name_en,
        {{ iso_day_of_week('calendar_date') }} >= 6 as is_weekend,
        case school_period
            when 'autumn_term' then 'autumn'
            when 'spring_term' then 'spring'
        end as school_term,
        school_period in ('autumn_term', 'spring_term') as is_school_term,
        school_period in ('winter_break', 'summer_break') as is_holiday,
        coalesce(
            seed_period_name_zh,
            case school_period
                when 'autumn_term' then '秋季学期'
                when 'winter_break' then '寒假'
                when 'spring_term' then '春季学期'
                when 'summer_break' then '暑假'
            end
        ) as school_period_name_zh,
        seed_period_kind is not null as is_school_period_from_seed,
        public_holiday_name_zh is not null as is_public_holiday,
        month_of_year = 3 and day_of_month = 5 as is_lei_feng_day,
        month_of_year = 7 and day_of_month = 1 as is_party_founding_day,
        case
            when month_of_year = 3 and day_of_month = 5 then '学雷锋纪念日'
            when month_of_year = 7 and day_of_month = 1 then '建党节'
        end as commemoration_name_zh
    from days_with_period
),

final as (
    select
        calendar_date,
        calendar_year as year,
        quarter,
        quarter_of_year,
        month,
        month_start,
        month_of_year,
        day_of_month,
        day_of_week,
        weekday_name_zh,
        weekday_name_en,
        is_weekend,
        school_year,
        school_period,
        school_term,
        is_school_term,
        is_holiday,
        school_period_name_zh,
        is_school_period_from_seed,
        is_public_holiday,
        public_holiday_name_zh,
        public_holiday_name_en,
        is_lei_feng_day,
        is_party_founding_day,
        commemoration_name_zh
    from days_described
)

select * from final
