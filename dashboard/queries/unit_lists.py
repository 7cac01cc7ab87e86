"""The lists the units and activities pages show besides the figures: branch
compliance, quota attainment and the 双报到 communities served, within the scope and
the filters."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import sqlfiles
from dashboard.queries.figures import CACHE_ENTRIES
from dashboard.queries.reader import Snapshot, run
from dashboard.queries.selection import Filters, Scope, params

ORGANIZATIONAL_LIFE_TYPES = (  # 三会一课 and the member activity day
    "activity_day",
    "member_meeting",
    "committee_meeting",
    "group_meeting",
    "party_lecture",
)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _compliance(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    return run(snapshot_path, sqlfiles.sql("compliance"), params(filters, scope))


def compliance(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Branch compliance (党员活动日 and 三会一课) per unit and period overlapping the
    range: ``org_code, org_name, district_code, activity_type_code, cadence, period,
    meetings_held, min_meetings_held, compliance_status``."""
    return _compliance(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _quota(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    return run(snapshot_path, sqlfiles.sql("quota"), params(filters, scope))


def quota(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Quota attainment per district, year (of the range) and quota: ``district_code,
    district_name, year, quota_code, person_type_code, people_in_scope, people_meeting,
    is_year_complete``."""
    return _quota(snapshot.path, snapshot.digest, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _communities(snapshot_path: str, digest: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    return run(snapshot_path, sqlfiles.sql("communities"), params(filters, scope))


def communities(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """双报到 communities served: ``community, organizations, person_times,
    total_minutes, hours``, most minutes first."""
    return _communities(snapshot.path, snapshot.digest, filters, scope)
