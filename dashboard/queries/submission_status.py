"""Submission status (报送情况) from the ``dq_submissions`` mart: one row per school or
office in view and month of the period, non-reporters of the last complete month
first. The units follow the scope and the district and organization filters
(``orgs_in_view``); person types and categories do not apply (a row is not a person's).
A snapshot built before the mart existed has none: ``has_submissions`` says so.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import sqlfiles
from dashboard.queries.figures import CACHE_ENTRIES
from dashboard.queries.reader import Snapshot, run
from dashboard.queries.selection import Filters, Scope, params
from kernel.formatting import previous_month


def last_complete_month(snapshot: Snapshot) -> str:
    """The month before the data cut-off's month (``as_of``, YYYY-MM-DD...)."""
    return previous_month(snapshot.as_of[:7])


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _available(snapshot_path: str, digest: str) -> bool:
    return bool(run(snapshot_path, sqlfiles.sql("submissions_available"), [])["found"].iloc[0])


def has_submissions(snapshot: Snapshot) -> bool:
    return _available(snapshot.path, snapshot.digest)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _submissions(
    snapshot_path: str, digest: str, filters: Filters, scope: Scope, last_complete: str
) -> pd.DataFrame:
    values = [*params(filters, scope), last_complete]
    return run(snapshot_path, sqlfiles.sql("submissions"), values)


def submissions(
    snapshot: Snapshot, filters: Filters, scope: Scope, last_complete: str
) -> pd.DataFrame:
    """The units in view x months of the period, the units with no row in
    ``last_complete`` (``last_complete_month``; not a break) first, then by district,
    unit and month."""
    return _submissions(snapshot.path, snapshot.digest, filters, scope, last_complete)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _unplaced(snapshot_path: str, digest: str) -> int:
    frame = run(snapshot_path, sqlfiles.sql("submissions_unplaced"), [])
    return int(frame["rows_unplaced"].iloc[0])


def unplaced_rejects(snapshot: Snapshot, scope: Scope) -> int | None:
    """Rejected rows no unit and month holds, bureau-wide; None for a narrower scope
    (such a row has no district to show it in)."""
    return _unplaced(snapshot.path, snapshot.digest) if scope.is_bureau else None
