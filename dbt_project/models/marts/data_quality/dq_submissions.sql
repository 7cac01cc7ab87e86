-- Submission status (报送情况): one row per school or office and month of the
-- monthly grid (int_months_spanned), by ACTIVITY month. A branch counts with
-- its school: a row goes to the nearest school or office at or above its
-- organization (int_organization_ancestors).
-- rows_loaded: activity-log rows and event-summary rows (one each) landed by
-- the batches in effect, before exact duplicates are removed (what the unit
-- sent), pending rows included; their organization is found as for sessions
-- (a known code, else a unique name); rows of an unknown organization are in
-- no unit's row (dq_unknown_organizations lists them).
-- rows_rejected: rejected rows of activity and event-summary files in effect,
-- placed from the values as written (raw_values): the organization from the
-- code (else the name) under a standard header, the month from the year and
-- month the date starts with (2025-02-30 is February). A reject whose
-- organization or month cannot be read that way, or is outside the grid, is
-- in no unit's row: readers count it bureau-wide as total rejects in effect
-- less the sum of rows_rejected.
-- status: 有退回 when rows were rejected, else 已报送 when rows were loaded,
-- else 假期 in a break month (more than half of its days school breaks,
-- dim_dates.is_holiday), else 未报送; status_code says the same in a word
-- (returned, reported, break, missing) for readers in other languages.
{% set raw_headers = {
    'org_code': ['org_code', '组织编码', '单位编码', '支部编码'],
    'org_name': [
        'org_name', '组织名称', '单位', '单位名称', '学校', '所在支部', '党组织',
    ],
    'activity_date': ['activity_date', '活动日期', '服务日期', '日期', 'date'],
} %}

with

organizations as (
    select * from {{ ref('int_organizations_attributed') }}
),

ancestors as (
    select * from {{ ref('int_organization_ancestors') }}
),

organization_names as (
    select * from {{ ref('int_organization_names') }}
),

districts as (
    select * from {{ ref('dim_districts') }}
),

months as (
    select * from {{ ref('int_months_spanned') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

batches as (
    select * from {{ ref('int_batches_selected') }}
),

batch_loads as (
    select * from {{ ref('stg_lake__batches') }}
),

activity_rows as (
    select * from {{ ref('int_activity_rows_selected') }}
),

event_rows as (
    select * from {{ ref('int_event_rows_selected') }}
),

rejects as (
    select * from {{ ref('stg_lake__rejects') }}
),

units as (
    select
        org_code,
        org_name,
        district_code
    from organizations
    where org_type in ('school', 'office')
),

unit_depths as (
    select
        ancestors.org_code,
        min(ancestors.depth) as depth
    from ancestors
    inner join units on ancestors.ancestor_code = units.org_code
    group by ancestors.org_code
),

unit_of_organization as (
    select
        ancestors.org_code,
        ancestors.ancestor_code as unit_code
    from ancestors
    inner join unit_depths
        on
            ancestors.org_code = unit_depths.org_code
            and ancestors.depth = unit_depths.depth
),

break_months as (
    select month
    from dates
    group by month
    having 2 * sum(case when is_holiday then 1 else 0 end) > count(*)
),

rows_landed as (
    select
        batch_id,
        org_code,
        org_name,
        {{ month_label('activity_date') }} as month,
        status = 'pending' as is_pending
    from activity_rows
    union all
    select
        batch_id,
        org_code,
        org_name,
        {{ month_label('activity_date') }} as month,
        status = 'pending' as is_pending
    from event_rows
),

rejects_written as (
    select
        rejects.batch_id,
        {% for column, headers in raw_headers.items() -%}
            coalesce(
                {% for header in headers -%}
                    nullif(
                        trim({{ json_text('rejects.raw_values', header) }}), ''
                    )
                    {%- if not loop.last %},{% endif %}
                {% endfor -%}
            ) as {{ column }}
            {%- if not loop.last %},{% endif %}
        {% endfor -%}
    from rejects
    inner join batches on rejects.batch_id = batches.batch_id
    where rejects.batch_kind in ('activity', 'events')
),

rejects_dated as (
    select
        batch_id,
        org_code,
        org_name,
        coalesce(
            nullif(
                regexp_extract(
                    activity_date, '^([0-9]{4})[-/.年]([0-9]{1,2})([^0-9]|$)', 1
                ),
                ''
            ),
            nullif(regexp_extract(activity_date, '^([0-9]{4})[0-9]{4}$', 1), '')
        ) as year_written,
        coalesce(
            nullif(
                regexp_extract(
                    activity_date, '^([0-9]{4})[-/.年]([0-9]{1,2})([^0-9]|$)', 2
                ),
                ''
            ),
            nullif(
                regexp_extract(
                    activity_date, '^[0-9]{4}([0-9]{2})[0-9]{2}$', 1
                ),
                ''
            )
        ) as month_written
    from rejects_written
),

rejects_read as (
    select
        batch_id,
        org_code,
        org_name,
        false as is_pending,
        case
            when cast(month_written as integer) between 1 and 12
                then year_written || '-' || lpad(
                    cast(cast(month_written as integer) as string), 2, '0'
                )
        end as month
    from rejects_dated
),

rows_received as (
    select
        batch_id,
        org_code,
        org_name,
        month,
        is_pending,
        false as is_rejected
    from rows_landed
    union all
    select
        batch_id,
        org_code,
        org_name,
        month,
        is_pending,
        true as is_rejected
    from rejects_read
),

rows_placed as (
    select
        unit_of_organization.unit_code,
        rows_received.month,
        rows_received.is_pending,
        rows_received.is_rejected,
        batch_loads.loaded_at
    from rows_received
    inner join batch_loads on rows_received.batch_id = batch_loads.batch_id
    left join organizations
        on rows_received.org_code = organizations.org_code
    left join organization_names
        on
            rows_received.org_code is null
            and lower(rows_received.org_name) = organization_names.org_name_key
    inner join unit_of_organization
        on
            coalesce(organizations.org_code, organization_names.org_code)
            = unit_of_organization.org_code
),

unit_months as (
    select
        unit_code,
        month,
        sum(case when is_rejected then 0 else 1 end) as rows_loaded,
        sum(case when is_rejected then 1 else 0 end) as rows_rejected,
        sum(case when is_pending then 1 else 0 end) as rows_pending,
        min(loaded_at) as first_load_at,
        max(loaded_at) as last_load_at
    from rows_placed
    group by unit_code, month
),

grid as (
    select
        units.org_code,
        units.org_name,
        units.district_code,
        months.month,
        break_months.month is not null as is_break_month
    from units
    cross join months
    left join break_months on months.month = break_months.month
),

unit_rows as (
    select
        grid.district_code,
        districts.district_name,
        grid.org_code,
        grid.org_name,
        grid.month,
        grid.is_break_month,
        unit_months.first_load_at,
        unit_months.last_load_at,
        coalesce(unit_months.rows_loaded, 0) as rows_loaded,
        coalesce(unit_months.rows_rejected, 0) as rows_rejected,
        coalesce(unit_months.rows_pending, 0) as rows_pending,
        case
            when coalesce(unit_months.rows_rejected, 0) > 0 then 'returned'
            when coalesce(unit_months.rows_loaded, 0) > 0 then 'reported'
            when grid.is_break_month then 'break'
            else 'missing'
        end as status_code
    from grid
    left join districts on grid.district_code = districts.district_code
    left join unit_months
        on
            grid.org_code = unit_months.unit_code
            and grid.month = unit_months.month
),

final as (
    select
        *,
        case status_code
            when 'returned' then '有退回'
            when 'reported' then '已报送'
            when 'break' then '假期'
            else '未报送'
        end as status
    from unit_rows
)

select * from final
