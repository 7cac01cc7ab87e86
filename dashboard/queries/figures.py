"""The figures builder: every metric the pages show, per any grouping, in one
statement (``sql/figures.sql``), and the page-shaped queries built on it.

``figures(snapshot, filters, scope, group_by, metrics)`` takes metric keys from the
catalog (``kernel.catalog``: ``total_hours``, ``person_times``, ``volunteers``,
``participation_rate``...) and turns each into the exact columns its value is made
from (``Metric.inputs``: a ratio brings its numerator and denominator). Each exact
column is counted from its finest grain (``COLUMN_SOURCES``); the grouping decides
which rows there are (``GROUPS``), zeros included, and the scope and the filters
narrow every source the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.queries import sqlfiles
from dashboard.queries.reader import Snapshot, run
from dashboard.queries.selection import Filters, Scope, params
from kernel import catalog
from kernel.catalog import Metric

CACHE_ENTRIES = 512

# Which filtered source each exact column is counted from: additive figures from
# agg_dashboard_cells, distinct volunteers from agg_dashboard_person_months, the roster
# (and who of it was active) from fct_person_months.
COLUMN_SOURCES = {
    "total_minutes": "cells",
    "person_times": "cells",
    "pending_sessions": "cells",
    "volunteers": "person_months",
    "roster_size": "roster_months",
    "active_members": "roster_months",
}
# The groupings and the columns that name a row of each.
GROUPS = {
    "total": (),
    "month": ("month",),
    "district": ("district_code", "district_name"),
    "district_month": ("district_code", "district_name", "month"),
    "unit": ("org_code", "org_name", "org_type", "district_code", "child_units"),
    "category": ("activity_category",),
    "type_month": ("month", "activity_type_code", "activity_category"),
}
ACTIVITY = ("total_hours", "person_times", "volunteers")
PARTICIPATION = ("participation_rate",)


def served(among: Sequence[Metric] | None = None) -> tuple[Metric, ...]:
    """The metrics of the catalog (or of ``among``), in its order, that the dashboard's
    marts can serve: every input column is one of ``COLUMN_SOURCES``."""
    listed = catalog.metrics() if among is None else tuple(among)
    return tuple(m for m in listed if all(c in COLUMN_SOURCES for c in m.inputs))


def columns(metrics: Iterable[str]) -> tuple[str, ...]:
    """The exact columns of ``metrics`` (catalog keys, or an exact column such as
    ``pending_sessions``), in order, each once."""
    found: list[str] = []
    for key in metrics:
        inputs = (key,) if key in COLUMN_SOURCES else catalog.metric(key).inputs
        for column in inputs:
            if column not in COLUMN_SOURCES:
                raise ValueError(f"metric {key}: the dashboard's marts do not hold {column}")
            if column not in found:
                found.append(column)
    return tuple(found)


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _figures(
    snapshot_path: str,
    digest: str,
    filters: Filters,
    scope: Scope,
    group_by: str,
    exact: tuple[str, ...],
    parent: str | None,
) -> pd.DataFrame:
    sql = sqlfiles.sql("figures", group_by=group_by, columns=exact, column_sources=COLUMN_SOURCES)
    values = params(filters, scope) + ([parent] if group_by == "unit" else [])
    frame = run(snapshot_path, sql, values)
    return frame.drop(columns=["is_total"]) if group_by == "total" else frame


def figures(
    snapshot: Snapshot,
    filters: Filters,
    scope: Scope,
    group_by: str = "total",
    metrics: Iterable[str] = ACTIVITY,
    parent: str | None = None,
) -> pd.DataFrame:
    """One row per ``group_by`` value in view (``GROUPS``; ``total``: one row) with the
    exact columns of ``metrics`` (``total_minutes`` also as ``hours``), 0 where nothing
    happened. ``parent``: for ``unit``, the organization whose units to list (None: the
    top of each tree), each with its whole subtree's figures."""
    if group_by not in GROUPS:
        raise ValueError(f"no grouping {group_by!r}: one of {', '.join(GROUPS)}")
    exact = columns(metrics)
    return _figures(snapshot.path, snapshot.digest, filters, scope, group_by, exact, parent)


def _shaped(frame: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    return frame[list(names)]


def _with_hours(exact: Iterable[str]) -> list[str]:
    shown: list[str] = []
    for column in exact:
        shown += [column, "hours"] if column == "total_minutes" else [column]
    return shown


@dataclass(frozen=True)
class Kpis:
    """The overview's figures for one filter, from approved sessions only."""

    total_minutes: int
    person_times: int
    volunteers: int
    roster_size: int
    active_members: int
    pending_sessions: int

    @property
    def has_activity(self) -> bool:
        """Whether an approved session falls under the filters: a period without one has
        nothing a change could be measured against (the tiles show "—")."""
        return self.person_times > 0


def kpis(snapshot: Snapshot, filters: Filters, scope: Scope) -> Kpis:
    """Total minutes, person-times, volunteers and participation for the filters."""
    metrics = (*ACTIVITY, *PARTICIPATION, "pending_sessions")
    row = figures(snapshot, filters, scope, "total", metrics).iloc[0]
    return Kpis(**{name: int(row[name]) for name in Kpis.__dataclass_fields__})


def monthly(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """``month, total_minutes, hours, person_times, volunteers`` for each month."""
    frame = figures(snapshot, filters, scope, "month", ACTIVITY)
    return _shaped(frame, ["month", *_with_hours(columns(ACTIVITY))])


def by_district(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Per district in view: ``district_code, district_name, total_minutes, hours,
    person_times, volunteers, roster_size, active_members`` and the inputs of every other
    metric the marts serve (``served``), by district code; ``unknown`` only when it has
    sessions in the range (as in the exports)."""
    metrics = (*ACTIVITY, "roster_size", "active_members", *(m.key for m in served()))
    frame = figures(snapshot, filters, scope, "district", metrics)
    return _shaped(frame, [*GROUPS["district"], *_with_hours(columns(metrics))])


def district_months(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """District x month (the heatmap): ``district_code, district_name, month,
    total_minutes, hours, person_times, volunteers``; every district with units in view
    for every month of the range, ``unknown`` only when it has sessions."""
    frame = figures(snapshot, filters, scope, "district_month", ACTIVITY)
    return _shaped(frame, [*GROUPS["district_month"], *_with_hours(columns(ACTIVITY))])


def units(
    snapshot: Snapshot, filters: Filters, scope: Scope, parent: str | None = None
) -> pd.DataFrame:
    """The units directly under ``parent`` (None: schools, offices and other top-level
    units) in view, each with its whole subtree's ``total_minutes, hours, person_times,
    volunteers, roster_size, active_members`` and ``child_units``."""
    metrics = (*ACTIVITY, "roster_size", "active_members")
    frame = figures(snapshot, filters, scope, "unit", metrics, parent)
    return _shaped(frame, [*GROUPS["unit"], *_with_hours(columns(metrics))])


def by_category(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """``activity_category, total_minutes, hours, person_times`` per category on offer
    (after the category filter); ``other`` (unmapped labels) only with sessions."""
    metrics = ("total_hours", "person_times")
    frame = figures(snapshot, filters, scope, "category", metrics)
    return _shaped(frame, [*GROUPS["category"], *_with_hours(columns(metrics))])


def type_months(snapshot: Snapshot, filters: Filters, scope: Scope) -> pd.DataFrame:
    """Activity type x month with approved sessions: ``month, activity_type_code,
    activity_category, person_times, total_minutes, hours``."""
    metrics = ("person_times", "total_hours")
    frame = figures(snapshot, filters, scope, "type_month", metrics)
    return _shaped(frame, [*GROUPS["type_month"], *_with_hours(columns(metrics))])
