"""The data-quality lists from the ``dq_*`` marts.

File-level lists (loads, rejects, duplicates, freshness, and the unmapped labels and
unknown organizations they report) belong to the bureau's analysts: bureau-wide, they
follow no filter, and a narrower scope sees none of them (``BUREAU_WIDE_LISTS``). Lists
with an organization and a month follow the scope and the period, district and
organization filters.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from dashboard.queries import sqlfiles
from dashboard.queries.figures import CACHE_ENTRIES
from dashboard.queries.reader import Snapshot, run
from dashboard.queries.selection import Filters, Scope, params
from export import return_bytes, returned_files

_BUREAU_ONLY = (
    "file_loads",
    "rejects",
    "unmapped_labels",
    "unknown_organizations",
    "duplicates",
    "freshness",
)
_SCOPED = ("missing_from_roster", "pending")
DQ_LISTS = (*_BUREAU_ONLY, *_SCOPED)
BUREAU_WIDE_LISTS = _BUREAU_ONLY


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _data_quality(
    snapshot_path: str, digest: str, name: str, filters: Filters, scope: Scope
) -> pd.DataFrame:
    sql = sqlfiles.sql(f"dq_{name}")
    if name in _BUREAU_ONLY:
        frame = run(snapshot_path, sql, [])
        return frame if scope.is_bureau else frame.head(0)
    return run(snapshot_path, sql, params(filters, scope))


def data_quality(snapshot: Snapshot, name: str, filters: Filters, scope: Scope) -> pd.DataFrame:
    """One data-quality list (``DQ_LISTS``) from the ``dq_*`` marts."""
    if name not in DQ_LISTS:
        raise ValueError(f"no data-quality list {name!r}: one of {', '.join(DQ_LISTS)}")
    return _data_quality(snapshot.path, snapshot.digest, name, filters, scope)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _returned_files(snapshot_path: str, digest: str) -> list[str]:
    con = duckdb.connect(snapshot_path, read_only=True)
    try:
        return returned_files(con)
    finally:
        con.close()


def return_files(snapshot: Snapshot, scope: Scope) -> list[str]:
    """The files in effect with a return to their sender (退回清单); the bureau's only:
    a file spans districts, so a narrower reader gets none."""
    return _returned_files(snapshot.path, snapshot.digest) if scope.is_bureau else []


def return_workbook(snapshot: Snapshot, source_file: str, scope: Scope) -> bytes | None:
    """The return of one file as .xlsx bytes, the same workbook ``make export`` writes
    (export.returns); None for a narrower reader or a file with nothing to fix."""
    if not scope.is_bureau:
        return None
    con = duckdb.connect(snapshot.path, read_only=True)
    try:
        return return_bytes(con, source_file)
    finally:
        con.close()
