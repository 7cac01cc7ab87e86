"""What the filters offer: months, districts, organizations, person types,
activity categories and types, each within the reader's scope where it has one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import sqlfiles
from dashboard.queries.figures import CACHE_ENTRIES
from dashboard.queries.reader import Snapshot, run
from dashboard.queries.selection import BUREAU, Scope, scope_params


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _available_months(snapshot_path: str, digest: str) -> list[str]:
    frame = run(snapshot_path, sqlfiles.sql("available_months"), [])
    return [str(month) for month in frame["month"]]


def available_months(snapshot: Snapshot) -> list[str]:
    """Every month from the first to the last with an approved session, in order."""
    return _available_months(snapshot.path, snapshot.digest)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _districts(snapshot_path: str, digest: str, scope: Scope) -> pd.DataFrame:
    values = [
        None if scope.districts is None else list(scope.districts),
        None if scope.organizations is None else list(scope.organizations),
    ]
    return run(snapshot_path, sqlfiles.sql("districts"), values)


def districts(snapshot: Snapshot, scope: Scope) -> pd.DataFrame:
    """``district_code, district_name`` of every district in scope, ``unknown`` last."""
    return _districts(snapshot.path, snapshot.digest, scope)


def district_codes(snapshot: Snapshot) -> list[str]:
    """Every district's code, whatever the reader's scope, in the order that gives each
    district its colour (``charts.district_colors``): the codes only, never figures."""
    frame = _districts(snapshot.path, snapshot.digest, BUREAU)
    return [str(code) for code in frame["district_code"]]


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _organizations(snapshot_path: str, digest: str, scope: Scope) -> pd.DataFrame:
    return run(snapshot_path, sqlfiles.sql("organizations"), scope_params(scope))


def organizations(snapshot: Snapshot, scope: Scope) -> pd.DataFrame:
    """Every organization in scope (``org_code, org_name, org_type, parent_org_code,
    district_code, org_path``), in tree order, ``unknown`` last."""
    return _organizations(snapshot.path, snapshot.digest, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _person_types(snapshot_path: str, digest: str) -> list[str]:
    frame = run(snapshot_path, sqlfiles.sql("person_types"), [])
    return [str(code) for code in frame["person_type"]]


def person_types(snapshot: Snapshot) -> list[str]:
    """The person types in the snapshot (``unknown``, people off the roster, last)."""
    return _person_types(snapshot.path, snapshot.digest)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _categories(snapshot_path: str, digest: str) -> list[str]:
    frame = run(snapshot_path, sqlfiles.sql("categories"), [])
    return [str(code) for code in frame["activity_category"]]


def categories(snapshot: Snapshot) -> list[str]:
    """The activity categories (``other``, unmapped labels, last)."""
    return _categories(snapshot.path, snapshot.digest)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _activity_types(snapshot_path: str, digest: str) -> pd.DataFrame:
    return run(snapshot_path, sqlfiles.sql("activity_types"), [])


def activity_types(snapshot: Snapshot) -> pd.DataFrame:
    """``activity_type_code, name_zh, name_en, activity_category`` of every type."""
    return _activity_types(snapshot.path, snapshot.digest)
