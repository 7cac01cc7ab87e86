"""Every query the dashboard runs, over the published snapshot only.

Each query reads ``snapshots/CURRENT`` (``publish.snapshot.current_path``), runs one
parameterized statement (``?``; user input is never formatted into SQL) on a read-only
cursor of that snapshot file, and closes the cursor, so ``make build`` can switch
``snapshots/CURRENT`` at any time (snapshot files are never written once published).
Results are cached with ``st.cache_data`` keyed by the snapshot's path and digest, the
filters and the scope: after a rebuild the next rerun sees the new snapshot, with no
restart, and a leader of one district never reads another's cached figures.

A page resolves the snapshot once per run (``current_snapshot``) and passes it to every
query, so one page shows one snapshot. If CURRENT moves between the two, the query
raises ``SnapshotChanged`` and the page reruns on the new snapshot.

Pages never scan ``fct_volunteer_sessions``: additive figures (person-times, minutes,
pending sessions) are summed from ``agg_dashboard_cells`` (organization x month x person
type x activity type); distinct people over any range of months are counted from the
finest grain, ``agg_dashboard_person_months`` (person x organization x month x
category x person type), and the roster from ``fct_person_months`` (person x month,
with the person's type in that month); never by adding up
monthly distinct counts or rates (DESIGN.md, "Metric definitions").

Filters and scope meet in one place: ``orgs_in_view``, the reporting organizations of
the chosen districts and organizations (an organization brings the ones under it)
that the scope allows. Person types and activity categories filter the marts' own
columns. Participation (roster, active members) follows the district, organization and
person-type filters; a person is active with an approved session anywhere, so the
activity-category filter does not apply to it.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from kernel.formatting import month_count, shift_month
from kernel.paths import warehouse_paths
from kernel.snapshot import NoSnapshot, current_path

CACHE_ENTRIES = 512
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FIRST_MONTH = "2000-01"  # the earliest date ingest accepts
ORGANIZATIONAL_LIFE_TYPES = (  # 三会一课 and the member activity day
    "activity_day",
    "member_meeting",
    "committee_meeting",
    "group_meeting",
    "party_lecture",
)


class SnapshotChanged(Exception):
    """CURRENT now names another snapshot than the one the page started with."""


@dataclass(frozen=True)
class Snapshot:
    """What a page needs to know of the snapshot it reads (and the cache key)."""

    path: str
    digest: str
    as_of: str
    built_at: str


def _codes(name: str, values: tuple[str, ...] | None) -> None:
    if values is not None and not values:
        raise ValueError(f"an empty {name} selection: pass None for all")


@dataclass(frozen=True)
class Filters:
    """What the sidebar chose: a range of months (``YYYY-MM``, inclusive) and, for each
    dimension, the codes picked (None: all). Organizations include those under them."""

    month_from: str
    month_to: str
    districts: tuple[str, ...] | None = None
    organizations: tuple[str, ...] | None = None
    person_types: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for month in (self.month_from, self.month_to):
            if not isinstance(month, str) or not _MONTH.match(month):
                raise ValueError(f"not a month in YYYY-MM form: {month!r}")
        if self.month_from > self.month_to:
            raise ValueError(f"the range starts after it ends: {self.month_from}..{self.month_to}")
        if self.districts is not None and not self.districts:
            raise ValueError("an empty district selection: pass None for all districts")
        _codes("organization", self.organizations)
        _codes("person type", self.person_types)
        _codes("category", self.categories)

    @property
    def district_list(self) -> list[str] | None:
        """The districts as DuckDB binds a ``varchar[]`` parameter."""
        return None if self.districts is None else list(self.districts)

    @property
    def months(self) -> int:
        return month_count(self.month_from, self.month_to)

    def shifted(self, months: int) -> Filters:
        """The same filters over the range moved by ``months``."""
        return replace(
            self,
            month_from=shift_month(self.month_from, months),
            month_to=shift_month(self.month_to, months),
        )

    def previous(self) -> Filters:
        """The period of the same length just before this one."""
        return self.shifted(-self.months)

    def last_year(self) -> Filters:
        """The same months one year earlier."""
        return self.shifted(-12)


@dataclass(frozen=True)
class Scope:
    """What a reader may see: the whole bureau (both None), or only some districts
    and/or organizations (with the ones under them). Enforced in every query's SQL and
    part of every cache key; login (issue 8) will choose it, today it is the bureau."""

    districts: tuple[str, ...] | None = None
    organizations: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        _codes("scope district", self.districts)
        _codes("scope organization", self.organizations)

    @property
    def is_bureau(self) -> bool:
        return self.districts is None and self.organizations is None


BUREAU = Scope()


@dataclass(frozen=True)
class Kpis:
    """The overview's figures for one filter, from approved sessions only."""

    total_minutes: int
    person_times: int
    volunteers: int
    roster_size: int
    active_members: int
    pending_sessions: int


@dataclass(frozen=True)
class Turnover:
    """Volunteers of a period, the new ones (first session ever in it) and the retained
    ones (volunteers of the previous period of the same length too)."""

    volunteers: int
    new_volunteers: int
    retained_volunteers: int
    previous_volunteers: int


# Opening a DuckDB file costs 40-100 ms, a cursor on an open one well under 1 ms: each
# process keeps the last KEEP_OPEN snapshot files open read-only and gives every query its
# own cursor (DuckDB connections are not shared between threads; cursors are). Which
# file a query reads is still decided per query, from CURRENT.
KEEP_OPEN = 2
_OPEN: dict[str, duckdb.DuckDBPyConnection] = {}
_OPEN_LOCK = threading.Lock()


def _cursor(path: Path) -> duckdb.DuckDBPyConnection:
    """A cursor on the snapshot file ``path``, opened read-only once per process."""
    key = str(path)
    with _OPEN_LOCK:
        con = _OPEN.get(key)
        if con is None:
            try:
                con = duckdb.connect(key, read_only=True)
            except duckdb.IOException as error:
                # CURRENT names a file that cannot be opened (deleted by hand, say)
                raise NoSnapshot(
                    f"the published snapshot {path} cannot be opened: run `make build` ({error})"
                ) from None
            _OPEN[key] = con
            while len(_OPEN) > KEEP_OPEN:  # a cursor still reading an old file keeps it
                _OPEN.pop(next(iter(_OPEN))).close()
        return con.cursor()


_SNAPSHOT_SQL = (
    "select strftime(as_of, '%Y-%m-%dT%H:%M:%S.%f'), "
    "strftime(built_at, '%Y-%m-%dT%H:%M:%S.%f'), digest from _snapshot"
)


def current_snapshot() -> Snapshot:
    """The snapshot CURRENT names now; ``NoSnapshot`` when nothing was published."""
    path = current_path(warehouse_paths())
    cursor = _cursor(path)
    try:
        as_of, built_at, digest = cursor.execute(_SNAPSHOT_SQL).fetchall()[0]
    finally:
        cursor.close()
    return Snapshot(str(path), digest, as_of, built_at)


def _query(snapshot_path: str, digest: str, sql: str, params: list[Any]) -> pd.DataFrame:
    """Run one statement on the current snapshot, which must be ``snapshot_path``
    (a snapshot's file name carries its build time and digest, so a new build is a new
    path)."""
    path = current_path(warehouse_paths())
    if str(path) != snapshot_path:
        raise SnapshotChanged(f"{snapshot_path} was replaced by {path}")
    cursor = _cursor(path)
    try:
        return cursor.execute(sql, params).df()
    finally:
        cursor.close()


def _list(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else list(values)


# The parameters, bound once and cross-joined where needed. The statements below
# splice in this constant text with an f-string; every value a user chooses is a `?`
# parameter (`_params`). A null list means "all".
_PARAMS_CTE = """
    params as (
        select
            ?::varchar as month_from,
            ?::varchar as month_to,
            ?::varchar[] as districts,
            ?::varchar[] as organizations,
            ?::varchar[] as person_types,
            ?::varchar[] as categories,
            ?::varchar[] as scope_districts,
            ?::varchar[] as scope_organizations
    ),

    orgs_in_view as (
        -- the reporting organizations the filters pick and the scope allows; an
        -- organization brings every one under it (its code is on their path)
        select orgs.org_code, orgs.district_code
        from dim_organizations as orgs
        cross join params
        where
            (params.districts is null or list_contains(params.districts, orgs.district_code))
            and (
                params.scope_districts is null
                or list_contains(params.scope_districts, orgs.district_code)
            )
            and (
                params.organizations is null
                or list_has_any(params.organizations, string_split(orgs.org_path, ' / '))
            )
            and (
                params.scope_organizations is null
                or list_has_any(params.scope_organizations, string_split(orgs.org_path, ' / '))
            )
    )
"""


def _filtered_cte(
    name: str,
    table: str,
    org_column: str,
    category_column: str | None,
    months: str = "params.month_from and params.month_to",
) -> str:
    """``name`` as the rows of ``table`` in the period (``months``: the bounds of
    another one), in an organization in view (the filters and the scope,
    ``orgs_in_view``), of the chosen person types and, when the table has one,
    activity categories."""
    category = (
        f"""
            and (
                params.categories is null
                or list_contains(params.categories, picked.{category_column})
            )"""
        if category_column
        else ""
    )
    return f"""
    {name} as (
        select picked.*
        from {table} as picked
        cross join params
        where
            picked.month between {months}
            and picked.{org_column} in (select org_code from orgs_in_view)
            and (
                params.person_types is null
                or list_contains(params.person_types, picked.person_type)
            ){category}
    )
"""


# Additive figures of the period under every filter.
_CELLS_CTE = _filtered_cte("cells", "agg_dashboard_cells", "org_code", "activity_category")
# The finest grain for distinct people, under every filter.
_PERSON_MONTHS_CTE = _filtered_cte(
    "person_months", "agg_dashboard_person_months", "org_code", "activity_category"
)
# Roster people of the period (by their roster organization), with is_active for a
# month with an approved session anywhere; a category does not narrow the roster.
_ROSTER_CTE = _filtered_cte("roster_months", "fct_person_months", "roster_org_code", None)
# 双报到 communities served, under every filter.
_COMMUNITIES_CTE = _filtered_cte(
    "communities", "agg_dashboard_communities", "org_code", "activity_category"
)


# A district is in view when the district filter and the scope allow it and, once
# organizations are picked (or scoped), when one of them is in it; so a district
# without units (all zeros) still shows when nothing narrows the view to units.
_DISTRICT_IN_VIEW = """
    (params.districts is null or list_contains(params.districts, districts.district_code))
    and (
        params.scope_districts is null
        or list_contains(params.scope_districts, districts.district_code)
    )
    and (
        (params.organizations is null and params.scope_organizations is null)
        or districts.district_code in (select district_code from orgs_in_view)
    )
"""


def _with(*parts: str) -> str:
    return "with\n" + ",\n".join(parts) + ",\n"


def _params(filters: Filters, scope: Scope) -> list[Any]:
    return [
        filters.month_from,
        filters.month_to,
        filters.district_list,
        _list(filters.organizations),
        _list(filters.person_types),
        _list(filters.categories),
        _list(scope.districts),
        _list(scope.organizations),
    ]


# -- what the filters offer ---------------------------------------------------------


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _available_months(snapshot_path: str, digest: str) -> list[str]:
    sql = """
        with

        bounds as (
            select
                strptime(min(month), '%Y-%m') as first_month,
                strptime(max(month), '%Y-%m') as last_month
            from agg_dashboard_cells
            where person_times > 0
        ),

        final as (
            select
                strftime(
                    unnest(generate_series(first_month, last_month, interval 1 month)),
                    '%Y-%m'
                ) as month
            from bounds
        )

        select * from final order by month
    """
    frame = _query(snapshot_path, digest, sql, [])
    return [str(month) for month in frame["month"]]


def available_months(snapshot: Snapshot) -> list[str]:
    """Every month from the first to the last with an approved session, in order."""
    return _available_months(snapshot.path, snapshot.digest)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _districts(snapshot_path: str, digest: str, scope: Scope) -> pd.DataFrame:
    sql = """
        select district_code, district_name
        from dim_districts
        where
            (?::varchar[] is null or list_contains(?::varchar[], district_code))
            and (
                ?::varchar[] is null
                or district_code in (
                    select orgs.district_code
                    from dim_organizations as orgs
                    where list_has_any(?::varchar[], string_split(orgs.org_path, ' / '))
                )
            )
        order by district_code = 'unknown', district_code
    """
    districts = _list(scope.districts)
    organizations = _list(scope.organizations)
    return _query(snapshot_path, digest, sql, [districts, districts, organizations, organizations])


def districts(snapshot: Snapshot, scope: Scope) -> pd.DataFrame:
    """``district_code, district_name`` of every district in scope, ``unknown`` last."""
    return _districts(snapshot.path, snapshot.digest, scope)


def district_codes(snapshot: Snapshot) -> list[str]:
    """Every district's code, whatever the reader's scope, in the order that gives each
    district its colour (``charts.district_colors``): the codes only, never figures."""
    return [
        str(code) for code in _districts(snapshot.path, snapshot.digest, BUREAU)["district_code"]
    ]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _organizations(snapshot_path: str, digest: str, scope: Scope) -> pd.DataFrame:
    filters = Filters(FIRST_MONTH, FIRST_MONTH)
    sql = f"""
        {_with(_PARAMS_CTE)}

        final as (
            select
                orgs.org_code,
                orgs.org_name,
                orgs.org_type,
                orgs.parent_org_code,
                orgs.district_code,
                orgs.org_path
            from dim_organizations as orgs
            where orgs.org_code in (select org_code from orgs_in_view)
        )

        select * from final order by org_code = 'unknown', org_path
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def organizations(snapshot: Snapshot, scope: Scope) -> pd.DataFrame:
    """Every organization in scope (``org_code, org_name, org_type, parent_org_code,
    district_code, org_path``), in tree order, ``unknown`` last."""
    return _organizations(snapshot.path, snapshot.digest, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _person_types(snapshot_path: str, digest: str) -> list[str]:
    sql = """
        select distinct person_type from dim_people
        order by person_type = 'unknown', person_type
    """
    return [str(code) for code in _query(snapshot_path, digest, sql, [])["person_type"]]


def person_types(snapshot: Snapshot) -> list[str]:
    """The person types in the snapshot (``unknown``, people off the roster, last)."""
    return _person_types(snapshot.path, snapshot.digest)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _categories(snapshot_path: str, digest: str) -> list[str]:
    sql = """
        select distinct activity_category from dim_activity_types
        order by activity_category = 'other', activity_category
    """
    return [str(code) for code in _query(snapshot_path, digest, sql, [])["activity_category"]]


def categories(snapshot: Snapshot) -> list[str]:
    """The activity categories (``other``, unmapped labels, last)."""
    return _categories(snapshot.path, snapshot.digest)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _activity_types(snapshot_path: str, digest: str) -> pd.DataFrame:
    sql = """
        select activity_type_code, name_zh, name_en, activity_category
        from dim_activity_types
        order by activity_type_code
    """
    return _query(snapshot_path, digest, sql, [])


def activity_types(snapshot: Snapshot) -> pd.DataFrame:
    """``activity_type_code, name_zh, name_en, activity_category`` of every type."""
    return _activity_types(snapshot.path, snapshot.digest)


# -- headline figures ---------------------------------------------------------------


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _kpis(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> Kpis:
    sql = f"""
        {_with(_PARAMS_CTE, _CELLS_CTE, _PERSON_MONTHS_CTE, _ROSTER_CTE)}

        cell_figures as (
            select
                coalesce(sum(total_minutes), 0) as total_minutes,
                coalesce(sum(person_times), 0) as person_times,
                coalesce(sum(pending_sessions), 0) as pending_sessions
            from cells
        ),

        people_figures as (
            select count(distinct person_key) as volunteers from person_months
        ),

        roster_figures as (
            select
                count(distinct person_key) as roster_size,
                count(distinct person_key) filter (where is_active) as active_members
            from roster_months
        )

        select *
        from cell_figures
        cross join people_figures
        cross join roster_figures
    """
    row = _query(snapshot_path, digest, sql, _params(filters, scope)).iloc[0]
    return Kpis(
        total_minutes=int(row["total_minutes"]),
        person_times=int(row["person_times"]),
        volunteers=int(row["volunteers"]),
        roster_size=int(row["roster_size"]),
        active_members=int(row["active_members"]),
        pending_sessions=int(row["pending_sessions"]),
    )


def kpis(snapshot: Snapshot, filters: Filters, scope: Scope) -> Kpis:
    """Total minutes, person-times, volunteers and participation for the filters."""
    return _kpis(snapshot.path, snapshot.digest, filters, scope)


_MONTHS_CTE = """
    months as (
        select
            strftime(
                unnest(
                    generate_series(
                        strptime(month_from, '%Y-%m'),
                        strptime(month_to, '%Y-%m'),
                        interval 1 month
                    )
                ),
                '%Y-%m'
            ) as month
        from params
    )
"""


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _monthly(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    # One row per month of the range, zeros where nothing happened; volunteers are
    # distinct per month over the whole selection.
    sql = f"""
        {_with(_PARAMS_CTE, _CELLS_CTE, _PERSON_MONTHS_CTE, _MONTHS_CTE)}

        cell_months as (
            select month, sum(total_minutes) as total_minutes, sum(person_times) as person_times
            from cells
            group by month
        ),

        people_months as (
            select month, count(distinct person_key) as volunteers
            from person_months
            group by month
        ),

        final as (
            select
                months.month,
                coalesce(cell_months.total_minutes, 0)::bigint as total_minutes,
                coalesce(cell_months.total_minutes, 0)::double / 60 as hours,
                coalesce(cell_months.person_times, 0)::bigint as person_times,
                coalesce(people_months.volunteers, 0)::bigint as volunteers
            from months
            left join cell_months on months.month = cell_months.month
            left join people_months on months.month = people_months.month
        )

        select * from final order by month
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def monthly(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """``month, total_minutes, hours, person_times, volunteers`` for each month."""
    return _monthly(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _by_district(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    # Every district in view, 0 where nothing happened; `unknown` only when it has
    # sessions in the range (as in the exports). Each figure per district from the
    # finest grain.
    sql = f"""
        {_with(_PARAMS_CTE, _CELLS_CTE, _PERSON_MONTHS_CTE, _ROSTER_CTE)}

        cell_figures as (
            select
                district_code,
                sum(total_minutes) as total_minutes,
                sum(person_times) as person_times
            from cells
            group by district_code
        ),

        people_figures as (
            select district_code, count(distinct person_key) as volunteers
            from person_months
            group by district_code
        ),

        roster_figures as (
            select
                district_code,
                count(distinct person_key) as roster_size,
                count(distinct person_key) filter (where is_active) as active_members
            from roster_months
            group by district_code
        ),

        final as (
            select
                districts.district_code,
                districts.district_name,
                coalesce(cell_figures.total_minutes, 0)::bigint as total_minutes,
                coalesce(cell_figures.total_minutes, 0)::double / 60 as hours,
                coalesce(cell_figures.person_times, 0)::bigint as person_times,
                coalesce(people_figures.volunteers, 0)::bigint as volunteers,
                coalesce(roster_figures.roster_size, 0)::bigint as roster_size,
                coalesce(roster_figures.active_members, 0)::bigint as active_members
            from dim_districts as districts
            left join cell_figures on districts.district_code = cell_figures.district_code
            left join people_figures on districts.district_code = people_figures.district_code
            left join roster_figures on districts.district_code = roster_figures.district_code
            cross join params
            where {_DISTRICT_IN_VIEW}
        )

        select * from final
        where district_code <> 'unknown' or total_minutes > 0 or person_times > 0
        order by district_code
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def by_district(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Per district in view: ``district_code, district_name, total_minutes, hours,
    person_times, volunteers, roster_size, active_members`` (by district code)."""
    return _by_district(snapshot.path, snapshot.digest, filters, scope)


def hours_by_district(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """``by_district``: the overview's hours by district."""
    return by_district(snapshot, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _by_category(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    # Every category on offer (after the category filter), 0 where nothing happened;
    # `other` (unmapped labels) only when it has sessions in the range.
    sql = f"""
        {_with(_PARAMS_CTE, _CELLS_CTE)}

        categories as (
            select distinct types.activity_category
            from dim_activity_types as types
            cross join params
            where
                params.categories is null
                or list_contains(params.categories, types.activity_category)
        ),

        by_category as (
            select
                activity_category,
                sum(total_minutes) as total_minutes,
                sum(person_times) as person_times
            from cells
            group by activity_category
        ),

        final as (
            select
                categories.activity_category,
                coalesce(by_category.total_minutes, 0)::bigint as total_minutes,
                coalesce(by_category.total_minutes, 0)::double / 60 as hours,
                coalesce(by_category.person_times, 0)::bigint as person_times
            from categories
            left join by_category
                on categories.activity_category = by_category.activity_category
            where
                categories.activity_category <> 'other'
                or by_category.person_times > 0
        )

        select * from final order by activity_category
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def by_category(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """``activity_category, total_minutes, hours, person_times`` per category."""
    return _by_category(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _district_months(
    snapshot_path: str, digest: str, filters: Filters, scope: Scope
) -> pd.DataFrame:
    sql = f"""
        {_with(_PARAMS_CTE, _CELLS_CTE, _PERSON_MONTHS_CTE, _MONTHS_CTE)}

        cell_figures as (
            select
                district_code,
                month,
                sum(total_minutes) as total_minutes,
                sum(person_times) as person_times
            from cells
            group by district_code, month
        ),

        people_figures as (
            select district_code, month, count(distinct person_key) as volunteers
            from person_months
            group by district_code, month
        ),

        grid as (
            select districts.district_code, districts.district_name, months.month
            from dim_districts as districts
            cross join months
            cross join params
            where
                {_DISTRICT_IN_VIEW}
                and (
                    districts.district_code <> 'unknown'
                    or districts.district_code in (select district_code from cells)
                )
        ),

        final as (
            select
                grid.district_code,
                grid.district_name,
                grid.month,
                coalesce(cell_figures.total_minutes, 0)::bigint as total_minutes,
                coalesce(cell_figures.total_minutes, 0)::double / 60 as hours,
                coalesce(cell_figures.person_times, 0)::bigint as person_times,
                coalesce(people_figures.volunteers, 0)::bigint as volunteers
            from grid
            left join cell_figures
                on grid.district_code = cell_figures.district_code
                and grid.month = cell_figures.month
            left join people_figures
                on grid.district_code = people_figures.district_code
                and grid.month = people_figures.month
        )

        select * from final order by district_code, month
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def district_months(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """District x month (the heatmap): ``district_code, district_name, month,
    total_minutes, hours, person_times, volunteers``; every district with units in view
    for every month of the range, ``unknown`` only when it has sessions."""
    return _district_months(snapshot.path, snapshot.digest, filters, scope)


# -- units --------------------------------------------------------------------------


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _units(
    snapshot_path: str, digest: str, filters: Filters, scope: Scope, parent: str | None
) -> pd.DataFrame:
    # The units one level below `parent` (None: the top of each tree), each with the
    # figures of its whole subtree, counted once per unit from the finest grain.
    sql = f"""
        {_with(_PARAMS_CTE, _CELLS_CTE, _PERSON_MONTHS_CTE, _ROSTER_CTE)}

        units as (
            select orgs.org_code, orgs.org_name, orgs.org_type, orgs.district_code
            from dim_organizations as orgs
            where
                orgs.org_code in (select org_code from orgs_in_view)
                and orgs.parent_org_code is not distinct from ?::varchar
        ),

        members as (
            -- each unit with every organization of its subtree
            select units.org_code as unit_code, orgs.org_code
            from units
            inner join dim_organizations as orgs
                on list_contains(string_split(orgs.org_path, ' / '), units.org_code)
        ),

        cell_figures as (
            select
                members.unit_code,
                sum(cells.total_minutes) as total_minutes,
                sum(cells.person_times) as person_times
            from cells
            inner join members on cells.org_code = members.org_code
            group by members.unit_code
        ),

        people_figures as (
            select members.unit_code, count(distinct person_months.person_key) as volunteers
            from person_months
            inner join members on person_months.org_code = members.org_code
            group by members.unit_code
        ),

        roster_figures as (
            select
                members.unit_code,
                count(distinct roster_months.person_key) as roster_size,
                count(distinct roster_months.person_key) filter (
                    where roster_months.is_active
                ) as active_members
            from roster_months
            inner join members on roster_months.roster_org_code = members.org_code
            group by members.unit_code
        ),

        children as (
            select parent_org_code, count(*) as child_units
            from dim_organizations
            where parent_org_code is not null
            group by parent_org_code
        ),

        final as (
            select
                units.org_code,
                units.org_name,
                units.org_type,
                units.district_code,
                coalesce(children.child_units, 0)::bigint as child_units,
                coalesce(cell_figures.total_minutes, 0)::bigint as total_minutes,
                coalesce(cell_figures.total_minutes, 0)::double / 60 as hours,
                coalesce(cell_figures.person_times, 0)::bigint as person_times,
                coalesce(people_figures.volunteers, 0)::bigint as volunteers,
                coalesce(roster_figures.roster_size, 0)::bigint as roster_size,
                coalesce(roster_figures.active_members, 0)::bigint as active_members
            from units
            left join children on units.org_code = children.parent_org_code
            left join cell_figures on units.org_code = cell_figures.unit_code
            left join people_figures on units.org_code = people_figures.unit_code
            left join roster_figures on units.org_code = roster_figures.unit_code
        )

        select * from final order by district_code, org_code = 'unknown', org_code
    """
    return _query(snapshot_path, digest, sql, [*_params(filters, scope), parent])


def units(
    snapshot: Snapshot, filters: Filters, scope: Scope, parent: str | None = None
) -> pd.DataFrame:
    """The units directly under ``parent`` (None: schools, offices and other top-level
    units) in view, each with its whole subtree's ``total_minutes, hours, person_times,
    volunteers, roster_size, active_members`` and ``child_units``."""
    return _units(snapshot.path, snapshot.digest, filters, scope, parent)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _compliance(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    # Periods (months, quarters) that overlap the range, for the units in view.
    sql = f"""
        {_with(_PARAMS_CTE)}

        final as (
            select
                compliance.org_code,
                compliance.org_name,
                compliance.district_code,
                compliance.activity_type_code,
                compliance.cadence,
                compliance.period,
                compliance.meetings_held,
                compliance.min_meetings_held,
                compliance.compliance_status
            from agg_branch_compliance as compliance
            cross join params
            where
                compliance.org_code in (select org_code from orgs_in_view)
                and strftime(compliance.period_end, '%Y-%m') >= params.month_from
                and strftime(compliance.period_start, '%Y-%m') <= params.month_to
        )

        select * from final order by district_code, org_code, activity_type_code, period
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def compliance(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Branch compliance (党员活动日 and 三会一课) per unit and period overlapping the
    range: ``org_code, org_name, district_code, activity_type_code, cadence, period,
    meetings_held, min_meetings_held, compliance_status``."""
    return _compliance(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _quota(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    sql = f"""
        {_with(_PARAMS_CTE)}

        final as (
            select
                quota.district_code,
                quota.district_name,
                quota.year,
                quota.quota_code,
                quota.person_type_code,
                quota.people_in_scope,
                quota.people_meeting,
                quota.is_year_complete
            from agg_quota_attainment as quota
            cross join params
            where
                quota.district_code in (select district_code from orgs_in_view)
                and quota.year::varchar between left(params.month_from, 4)
                and left(params.month_to, 4)
                and (
                    params.person_types is null
                    or list_contains(params.person_types, quota.person_type_code)
                )
        )

        select * from final order by district_code, year, quota_code
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def quota(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Quota attainment per district, year (of the range) and quota: ``district_code,
    district_name, year, quota_code, person_type_code, people_in_scope, people_meeting,
    is_year_complete``."""
    return _quota(snapshot.path, snapshot.digest, filters, scope)


# -- people -------------------------------------------------------------------------


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _person_hours(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    sql = f"""
        {_with(_PARAMS_CTE, _PERSON_MONTHS_CTE)}

        final as (
            select
                person_key,
                sum(total_minutes)::bigint as total_minutes,
                sum(person_times)::bigint as person_times
            from person_months
            group by person_key
        )

        select * from final order by total_minutes desc, person_key
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def person_hours(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Each volunteer of the period: ``person_key, total_minutes, person_times`` (the
    hours distribution), most minutes first."""
    return _person_hours(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _turnover(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> Turnover:
    previous = filters.previous()
    sql = f"""
        {_with(_PARAMS_CTE, _PERSON_MONTHS_CTE)}

        current_people as (
            select person_key, min(first_active_month) as first_active_month
            from person_months
            group by person_key
        ),

        -- the same filters over the period of the same length just before
        {
        _filtered_cte(
            "earlier",
            "agg_dashboard_person_months",
            "org_code",
            "activity_category",
            months="?::varchar and ?::varchar",
        )
    },

        previous_people as (select distinct person_key from earlier),

        final as (
            select
                (select count(*) from current_people) as volunteers,
                (
                    select count(*) from current_people, params
                    where current_people.first_active_month >= params.month_from
                ) as new_volunteers,
                (
                    select count(*) from current_people
                    where person_key in (select person_key from previous_people)
                ) as retained_volunteers,
                (select count(*) from previous_people) as previous_volunteers
        )

        select * from final
    """
    params = [*_params(filters, scope), previous.month_from, previous.month_to]
    row = _query(snapshot_path, digest, sql, params).iloc[0]
    return Turnover(
        volunteers=int(row["volunteers"]),
        new_volunteers=int(row["new_volunteers"]),
        retained_volunteers=int(row["retained_volunteers"]),
        previous_volunteers=int(row["previous_volunteers"]),
    )


def turnover(snapshot: Snapshot, filters: Filters, scope: Scope) -> Turnover:
    """Volunteers, new volunteers (first session ever in the period) and retained
    volunteers (also volunteers, under the same filters, in the previous period)."""
    return _turnover(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _leaderboard(
    snapshot_path: str, digest: str, filters: Filters, scope: Scope, limit: int
) -> pd.DataFrame:
    sql = f"""
        {_with(_PARAMS_CTE, _PERSON_MONTHS_CTE)}

        by_person_org as (
            select
                person_key,
                org_code,
                sum(total_minutes) as total_minutes,
                sum(person_times) as person_times,
                bool_or(person_type = 'student') as was_student
            from person_months
            group by person_key, org_code
        ),

        by_person as (
            -- the main unit: where the person gave the most minutes (ties: lowest code)
            select
                person_key,
                sum(total_minutes)::bigint as total_minutes,
                sum(person_times)::bigint as person_times,
                arg_min(org_code, (-total_minutes, org_code)) as main_org_code,
                bool_or(was_student) as was_student
            from by_person_org
            group by person_key
        ),

        ranked as (
            select
                *,
                rank() over (order by total_minutes desc) as rank
            from by_person
            order by total_minutes desc, person_key
            limit ?
        ),

        final as (
            select
                ranked.rank,
                ranked.person_key,
                people.person_name,
                people.person_type,
                ranked.main_org_code,
                orgs.org_name as main_org_name,
                ranked.total_minutes,
                ranked.total_minutes::double / 60 as hours,
                ranked.person_times,
                ranked.was_student or people.person_type = 'student' as is_student
            from ranked
            left join dim_people as people
                on ranked.person_key = people.person_key and people.is_current
            left join dim_organizations as orgs on ranked.main_org_code = orgs.org_code
        )

        select * from final order by rank, person_key
    """
    return _query(snapshot_path, digest, sql, [*_params(filters, scope), limit])


def leaderboard(
    snapshot: Snapshot, filters: Filters, scope: Scope, limit: int = 20
) -> pd.DataFrame:
    """The ``limit`` volunteers with the most hours: ``rank, person_key, person_name,
    person_type (current), main_org_code, main_org_name, total_minutes, hours,
    person_times, is_student`` (a student now or in any session of the period)."""
    return _leaderboard(snapshot.path, snapshot.digest, filters, scope, limit)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _person_history(snapshot_path: str, digest: str, person_key: str, scope: Scope) -> pd.DataFrame:
    filters = Filters(FIRST_MONTH, "9999-12")
    sql = f"""
        {_with(_PARAMS_CTE)}

        final as (
            select
                history.month,
                history.org_code,
                orgs.org_name,
                history.activity_category,
                history.person_times,
                history.total_minutes,
                history.total_minutes::double / 60 as hours
            from agg_dashboard_person_months as history
            left join dim_organizations as orgs on history.org_code = orgs.org_code
            where
                history.person_key = ?
                and history.org_code in (select org_code from orgs_in_view)
        )

        select * from final order by month, org_code, activity_category
    """
    return _query(snapshot_path, digest, sql, [*_params(filters, scope), person_key])


def person_history(snapshot: Snapshot, person_key: str, scope: Scope) -> pd.DataFrame:
    """One person's approved sessions over all time, in scope: ``month, org_code,
    org_name, activity_category, person_times, total_minutes, hours``."""
    return _person_history(snapshot.path, snapshot.digest, person_key, scope)


# -- activities ---------------------------------------------------------------------


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _type_months(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    sql = f"""
        {_with(_PARAMS_CTE, _CELLS_CTE)}

        final as (
            select
                cells.month,
                cells.activity_type_code,
                cells.activity_category,
                sum(cells.person_times)::bigint as person_times,
                sum(cells.total_minutes)::bigint as total_minutes,
                sum(cells.total_minutes)::double / 60 as hours
            from cells
            group by cells.month, cells.activity_type_code, cells.activity_category
            having sum(cells.person_times) > 0
        )

        select * from final order by month, activity_type_code
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def type_months(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Activity type x month with approved sessions: ``month, activity_type_code,
    activity_category, person_times, total_minutes, hours``."""
    return _type_months(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _communities(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    sql = f"""
        {_with(_PARAMS_CTE, _COMMUNITIES_CTE)}

        final as (
            select
                community,
                count(distinct org_code) as organizations,
                sum(person_times)::bigint as person_times,
                sum(total_minutes)::bigint as total_minutes,
                sum(total_minutes)::double / 60 as hours
            from communities
            group by community
        )

        select * from final order by total_minutes desc, community
    """
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def communities(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """双报到 communities served: ``community, organizations, person_times,
    total_minutes, hours``, most minutes first."""
    return _communities(snapshot.path, snapshot.digest, filters, scope)


# -- data quality -------------------------------------------------------------------
# File-level lists (loads, rejects, duplicates, freshness) belong to the bureau's
# analysts: a narrower scope sees none of them. Lists with an organization or a
# district follow the scope and the district and organization filters.

_DQ_TABLES = {
    "file_loads": (
        "select source_file, batch_kind, loaded_at, rows_read, rows_loaded, rows_rejected, "
        "load_status from dq_file_loads order by loaded_at, source_file"
    ),
    "rejects": (
        "select source_file, reason_code, rejected_rows, example_lines, example_columns, "
        "example_values from dq_rejects_by_reason order by source_file, first_line"
    ),
    "unmapped_labels": (
        "select activity_type_label, sessions, approved_sessions, approved_minutes, "
        "first_activity_date, last_activity_date, source_files "
        "from dq_unmapped_activity_labels order by approved_minutes desc, activity_type_label"
    ),
    "unknown_organizations": (
        "select org_code_label, org_name_label, reason, sessions, approved_sessions, "
        "approved_minutes, source_files "
        "from dq_unknown_organizations order by approved_minutes desc, org_code_label"
    ),
    "duplicates": (
        "select source_file, rows_landed, sessions_kept, duplicates_removed "
        "from dq_duplicates_by_file order by source_file"
    ),
    "freshness": (
        "select batch_kind, count(*) as files, max(loaded_at) as last_loaded_at "
        "from dq_file_loads where is_in_effect group by batch_kind order by batch_kind"
    ),
}

_DQ_SCOPED = {
    "missing_from_roster": (
        """
        select missing.org_code, missing.district_code, missing.month, missing.sessions,
            missing.approved_minutes, missing.persons, missing.person_names
        from dq_people_missing_from_roster as missing
        where missing.org_code in (select org_code from orgs_in_view)
    """,
        "month, org_code",
    ),
    "pending": (
        """
        select pending.org_code, pending.district_code, pending.month, pending.status_label,
            pending.is_status_known, pending.sessions, pending.total_minutes
        from dq_pending_sessions as pending
        cross join params
        where
            pending.org_code in (select org_code from orgs_in_view)
            and pending.month between params.month_from and params.month_to
    """,
        "month, org_code, status_label",
    ),
}

DQ_LISTS = (*_DQ_TABLES, *_DQ_SCOPED)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _data_quality(
    snapshot_path: str, digest: str, name: str, filters: Filters, scope: Scope
) -> pd.DataFrame:
    if name in _DQ_TABLES:
        frame = _query(snapshot_path, digest, _DQ_TABLES[name], [])
        return frame if scope.is_bureau else frame.head(0)
    body, order = _DQ_SCOPED[name]
    sql = f"{_with(_PARAMS_CTE)} final as ({body}) select * from final order by {order}"
    return _query(snapshot_path, digest, sql, _params(filters, scope))


def data_quality(snapshot: Snapshot, name: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One data-quality list (``DQ_LISTS``) from the ``dq_*`` marts."""
    if name not in DQ_LISTS:
        raise ValueError(f"no data-quality list {name!r}: one of {', '.join(DQ_LISTS)}")
    return _data_quality(snapshot.path, snapshot.digest, name, filters, scope)
