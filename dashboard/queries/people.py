"""The people page's queries: hours per volunteer, turnover, the leaderboard and one
person's history, all counted from ``agg_dashboard_person_months``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.queries import sqlfiles
from dashboard.queries.figures import CACHE_ENTRIES
from dashboard.queries.reader import Snapshot, run
from dashboard.queries.selection import FIRST_MONTH, Filters, Scope, params


@dataclass(frozen=True)
class Turnover:
    """Volunteers of a period, the new ones (first session ever in it) and the retained
    ones (volunteers of the previous period of the same length too)."""

    volunteers: int
    new_volunteers: int
    retained_volunteers: int
    previous_volunteers: int


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _person_hours(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    return run(snapshot_path, sqlfiles.sql("person_hours"), params(filters, scope))


def person_hours(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Each volunteer of the period: ``person_key, total_minutes, person_times`` (the
    hours distribution), most minutes first."""
    return _person_hours(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _turnover(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> Turnover:
    previous = filters.previous()
    values = [*params(filters, scope), previous.month_from, previous.month_to]
    row = run(snapshot_path, sqlfiles.sql("turnover"), values).iloc[0]
    return Turnover(**{name: int(row[name]) for name in Turnover.__dataclass_fields__})


def turnover(snapshot: Snapshot, filters: Filters, scope: Scope) -> Turnover:
    """Volunteers, new volunteers (first session ever in the period) and retained
    volunteers (also volunteers, under the same filters, in the previous period)."""
    return _turnover(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _leaderboard(
    snapshot_path: str, digest: str, filters: Filters, scope: Scope, limit: int
) -> pd.DataFrame:
    return run(snapshot_path, sqlfiles.sql("leaderboard"), [*params(filters, scope), limit])


def leaderboard(
    snapshot: Snapshot, filters: Filters, scope: Scope, limit: int = 20
) -> pd.DataFrame:
    """The ``limit`` volunteers with the most hours: ``rank, person_key, person_name,
    person_type (current), main_org_code, main_org_name, total_minutes, hours,
    person_times, is_student`` (a student now or in any session of the period)."""
    return _leaderboard(snapshot.path, snapshot.digest, filters, scope, limit)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _person_history(snapshot_path: str, digest: str, person_key: str, scope: Scope) -> pd.DataFrame:
    values = [*params(Filters(FIRST_MONTH, "9999-12"), scope), person_key]
    return run(snapshot_path, sqlfiles.sql("person_history"), values)


def person_history(snapshot: Snapshot, person_key: str, scope: Scope) -> pd.DataFrame:
    """One person's approved sessions over all time, in scope: ``month, org_code,
    org_name, activity_category, person_times, total_minutes, hours``."""
    return _person_history(snapshot.path, snapshot.digest, person_key, scope)
