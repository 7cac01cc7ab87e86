"""The published snapshot, read through ``kernel.snapshot`` (the one reader the exports
and the certificates use too).

Opening a DuckDB file costs 40-100 ms, a cursor on an open one well under 1 ms: each
process keeps one read-only connection per snapshot file (``st.cache_resource`` keyed
on the file ``snapshots/CURRENT`` names, so a new publish gives a new reader on the
next rerun, with no restart) and gives every query its own cursor (connections are
not shared between threads; cursors are). Which file a query reads is still decided
per query, from CURRENT: a page that started on another snapshot gets
``SnapshotChanged`` and reruns on the new one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from kernel.paths import warehouse_paths
from kernel.snapshot import current_path, open_snapshot

KEEP_OPEN = 2  # snapshot files kept open per process (a cursor keeps an evicted one)


class SnapshotChanged(Exception):
    """CURRENT now names another snapshot than the one the page started with."""


@dataclass(frozen=True)
class Snapshot:
    """What a page needs to know of the snapshot it reads (and the cache key)."""

    path: str
    digest: str
    as_of: str
    built_at: str


class Reader:
    """One open snapshot file: what it is, and cursors on it."""

    def __init__(self, path: Path) -> None:
        self._con, info = open_snapshot(path)
        self._lock = threading.Lock()
        self.snapshot = Snapshot(str(path), info.digest, info.as_of, info.built_at)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._con.cursor()


@st.cache_resource(max_entries=KEEP_OPEN, show_spinner=False)
def _reader(path: str) -> Reader:
    return Reader(Path(path))


def current_snapshot() -> Snapshot:
    """The snapshot CURRENT names now; ``NoSnapshot`` when nothing was published."""
    return _reader(str(current_path(warehouse_paths()))).snapshot


def run(snapshot_path: str, sql: str, params: list[Any]) -> pd.DataFrame:
    """Run one statement on the current snapshot, which must be ``snapshot_path`` (a
    snapshot's file name carries its build time and digest, so a new build is a new
    path)."""
    path = str(current_path(warehouse_paths()))
    if path != snapshot_path:
        raise SnapshotChanged(f"{snapshot_path} was replaced by {path}")
    cursor = _reader(path).cursor()
    try:
        return cursor.execute(sql, params).df()
    finally:
        cursor.close()
