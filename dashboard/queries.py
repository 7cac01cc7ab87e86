"""Every query the dashboard runs, over the published snapshot only.

Each query opens the current snapshot read-only (``publish.snapshot.connect_current``),
runs one parameterized statement (``?``; user input is never formatted into SQL) and
closes the connection, so ``make build`` can switch ``snapshots/CURRENT`` at any time.
Results are cached with ``st.cache_data`` keyed by the snapshot's path and digest plus
the filters: after a rebuild the next rerun sees the new snapshot, with no restart.

A page resolves the snapshot once per run (``current_snapshot``) and passes it to every
query, so one page shows one snapshot. If CURRENT moves between the two, the query
raises ``SnapshotChanged`` and the page reruns on the new snapshot.

Figures over several months are computed from the finest grain (DESIGN.md, "Metric
definitions"): sessions from ``fct_volunteer_sessions`` and roster people from
``dim_people``, never by adding up ``agg_district_monthly``'s distinct counts or rates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from ingest.config import warehouse_paths
from publish.snapshot import NoSnapshot, SnapshotInfo, connect_current

CACHE_ENTRIES = 512
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class SnapshotChanged(Exception):
    """CURRENT now names another snapshot than the one the page started with."""


@dataclass(frozen=True)
class Snapshot:
    """What a page needs to know of the snapshot it reads (and the cache key)."""

    path: str
    digest: str
    as_of: str
    built_at: str

    @classmethod
    def of(cls, info: SnapshotInfo) -> Snapshot:
        return cls(str(info.path), info.digest, info.as_of, info.built_at)


@dataclass(frozen=True)
class Filters:
    """A range of months (``YYYY-MM``, inclusive) and the districts (None: all)."""

    month_from: str
    month_to: str
    districts: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for month in (self.month_from, self.month_to):
            if not _MONTH.match(month):
                raise ValueError(f"not a month in YYYY-MM form: {month!r}")
        if self.month_from > self.month_to:
            raise ValueError(f"the range starts after it ends: {self.month_from}..{self.month_to}")
        if self.districts is not None and not self.districts:
            raise ValueError("an empty district selection: pass None for all districts")

    @property
    def district_list(self) -> list[str] | None:
        """The districts as DuckDB binds a ``varchar[]`` parameter."""
        return None if self.districts is None else list(self.districts)


@dataclass(frozen=True)
class Kpis:
    """The overview's figures for one filter, from approved sessions only."""

    total_minutes: int
    person_times: int
    volunteers: int
    roster_size: int
    active_members: int
    pending_sessions: int


def _connect() -> tuple[duckdb.DuckDBPyConnection, SnapshotInfo]:
    paths = warehouse_paths()
    try:
        return connect_current(paths)
    except duckdb.IOException as error:
        # CURRENT names a file that cannot be opened (deleted by hand, say)
        raise NoSnapshot(
            f"the published snapshot in {paths.root} cannot be opened: run `make build` ({error})"
        ) from None


def current_snapshot() -> Snapshot:
    """The snapshot CURRENT names now; ``NoSnapshot`` when nothing was published."""
    con, info = _connect()
    con.close()
    return Snapshot.of(info)


def _query(snapshot_path: str, digest: str, sql: str, params: list[Any]) -> pd.DataFrame:
    """Run one statement on the current snapshot, which must be ``snapshot_path``."""
    con, info = _connect()
    try:
        if (str(info.path), info.digest) != (snapshot_path, digest):
            raise SnapshotChanged(f"{snapshot_path} was replaced by {info.path}")
        return con.execute(sql, params).df()
    finally:
        con.close()


# The filter parameters, bound once and cross-joined where needed. The period of a
# range of months runs from the first day of the first month to the last day of the
# last one; `districts` null means every district. The statements below splice in
# this constant text with an f-string; every value a user chooses is a `?` parameter.
_FILTER_CTE = """
    params as (
        select
            ?::varchar as month_from,
            ?::varchar as month_to,
            ?::varchar[] as districts
    ),

    period as (
        select
            month_from,
            month_to,
            districts,
            strptime(month_from, '%Y-%m')::date as period_start,
            (
                strptime(month_to, '%Y-%m') + interval 1 month - interval 1 day
            )::date as period_end
        from params
    ),

    sessions_in_scope as (
        select sessions.*
        from fct_volunteer_sessions as sessions
        cross join period
        where
            sessions.month between period.month_from and period.month_to
            and (
                period.districts is null
                or list_contains(period.districts, sessions.district_code)
            )
    ),

    approved_in_scope as (
        select * from sessions_in_scope
        where status = 'approved'
    )
"""


def _filter_params(filters: Filters) -> list[Any]:
    return [filters.month_from, filters.month_to, filters.district_list]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _available_months(snapshot_path: str, digest: str) -> list[str]:
    sql = """
        with

        approved as (
            select activity_date from fct_volunteer_sessions
            where status = 'approved'
        ),

        bounds as (
            select
                date_trunc('month', min(activity_date)) as first_month,
                date_trunc('month', max(activity_date)) as last_month
            from approved
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
def _districts(snapshot_path: str, digest: str) -> pd.DataFrame:
    sql = """
        select district_code, district_name
        from dim_districts
        order by district_code = 'unknown', district_code
    """
    return _query(snapshot_path, digest, sql, [])


def districts(snapshot: Snapshot) -> pd.DataFrame:
    """``district_code, district_name`` of every district, ``unknown`` last."""
    return _districts(snapshot.path, snapshot.digest)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _kpis(snapshot_path: str, digest: str, filters: Filters) -> Kpis:
    # Roster people of the selected districts who were on the roster at some time in
    # the period, and of those the ones with an approved session anywhere in it.
    sql = f"""
        with
        {_FILTER_CTE},

        session_figures as (
            select
                coalesce(sum(session_minutes), 0) as total_minutes,
                count(*) as person_times,
                count(distinct person_key) as volunteers
            from approved_in_scope
        ),

        pending_figures as (
            select count(*) as pending_sessions
            from sessions_in_scope
            where status = 'pending'
        ),

        roster_months as (
            -- fct_person_months: a roster person's months on the roster, in the
            -- district of their roster organization, with is_active for a month
            -- with an approved session anywhere
            select person_months.*
            from fct_person_months as person_months
            cross join period
            where
                person_months.month between period.month_from and period.month_to
                and (
                    period.districts is null
                    or list_contains(period.districts, person_months.district_code)
                )
        ),

        roster_figures as (
            select
                count(distinct person_key) as roster_size,
                count(distinct person_key) filter (where is_active) as active_members
            from roster_months
        )

        select *
        from session_figures
        cross join pending_figures
        cross join roster_figures
    """
    row = _query(snapshot_path, digest, sql, _filter_params(filters)).iloc[0]
    return Kpis(
        total_minutes=int(row["total_minutes"]),
        person_times=int(row["person_times"]),
        volunteers=int(row["volunteers"]),
        roster_size=int(row["roster_size"]),
        active_members=int(row["active_members"]),
        pending_sessions=int(row["pending_sessions"]),
    )


def kpis(snapshot: Snapshot, filters: Filters) -> Kpis:
    """Total minutes, person-times, volunteers and participation for the filters."""
    return _kpis(snapshot.path, snapshot.digest, filters)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _monthly(snapshot_path: str, digest: str, filters: Filters) -> pd.DataFrame:
    # One row per month of the range, zeros where nothing happened; volunteers are
    # distinct per month over the selected districts together.
    sql = f"""
        with
        {_FILTER_CTE},

        months as (
            select
                strftime(
                    unnest(
                        generate_series(
                            period_start,
                            strptime(month_to, '%Y-%m')::date,
                            interval 1 month
                        )
                    ),
                    '%Y-%m'
                ) as month
            from period
        ),

        monthly as (
            select
                month,
                sum(session_minutes) as total_minutes,
                count(*) as person_times,
                count(distinct person_key) as volunteers
            from approved_in_scope
            group by month
        ),

        final as (
            select
                months.month,
                coalesce(monthly.total_minutes, 0)::bigint as total_minutes,
                coalesce(monthly.total_minutes, 0)::double / 60 as hours,
                coalesce(monthly.person_times, 0) as person_times,
                coalesce(monthly.volunteers, 0) as volunteers
            from months
            left join monthly on months.month = monthly.month
        )

        select * from final order by month
    """
    return _query(snapshot_path, digest, sql, _filter_params(filters))


def monthly(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """``month, total_minutes, hours, person_times, volunteers`` for each month."""
    return _monthly(snapshot.path, snapshot.digest, filters)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _hours_by_district(snapshot_path: str, digest: str, filters: Filters) -> pd.DataFrame:
    # Every selected district, 0 where nothing happened; `unknown` only when it has
    # sessions in the range (as in the exports).
    sql = f"""
        with
        {_FILTER_CTE},

        by_district as (
            select
                district_code,
                sum(session_minutes) as total_minutes
            from approved_in_scope
            group by district_code
        ),

        final as (
            select
                districts.district_code,
                districts.district_name,
                coalesce(by_district.total_minutes, 0)::bigint as total_minutes,
                coalesce(by_district.total_minutes, 0)::double / 60 as hours
            from dim_districts as districts
            cross join period
            left join by_district
                on districts.district_code = by_district.district_code
            where
                (
                    period.districts is null
                    or list_contains(period.districts, districts.district_code)
                )
                and (
                    districts.district_code <> 'unknown'
                    or by_district.total_minutes is not null
                )
        )

        select * from final order by district_code
    """
    return _query(snapshot_path, digest, sql, _filter_params(filters))


def hours_by_district(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """``district_code, district_name, total_minutes, hours`` per selected district."""
    return _hours_by_district(snapshot.path, snapshot.digest, filters)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _hours_by_category(snapshot_path: str, digest: str, filters: Filters) -> pd.DataFrame:
    # Every category of the activity types, 0 where nothing happened; `other`
    # (unmapped labels) only when it has sessions in the range.
    sql = f"""
        with
        {_FILTER_CTE},

        categories as (
            select distinct activity_category from dim_activity_types
        ),

        by_category as (
            select
                activity_category,
                sum(session_minutes) as total_minutes
            from approved_in_scope
            group by activity_category
        ),

        final as (
            select
                categories.activity_category,
                coalesce(by_category.total_minutes, 0)::bigint as total_minutes,
                coalesce(by_category.total_minutes, 0)::double / 60 as hours
            from categories
            left join by_category
                on categories.activity_category = by_category.activity_category
            where
                categories.activity_category <> 'other'
                or by_category.total_minutes is not null
        )

        select * from final order by activity_category
    """
    return _query(snapshot_path, digest, sql, _filter_params(filters))


def hours_by_category(snapshot: Snapshot, filters: Filters) -> pd.DataFrame:
    """``activity_category, total_minutes, hours`` per activity category."""
    return _hours_by_category(snapshot.path, snapshot.digest, filters)
