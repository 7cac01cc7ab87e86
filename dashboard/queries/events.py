"""Activities held (活动场次) and the event summaries' own figures (另据活动汇总表).

An activity is counted once whichever way it was reported: from person-level logs
(``events_logged``: distinct organization, date, type and title of approved
sessions) or as a row of an event summary (``events_reported``); ``events_held`` is
their sum. The summaries also give a headcount (``reported_person_times``) and hours
(``reported_minutes``), shown apart from the person-level figures and never added
into them (DESIGN.md, "event summary"). Everything comes from ``agg_dashboard_events``
(``sql/events.sql``), which adds up over months, organizations and types, under the
same filters and scope as every other figure. Neither an activity nor a summary row
has a person type, so with a person type chosen there is nothing to show: the
functions return None and the pages show "—".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.queries import sqlfiles
from dashboard.queries.figures import CACHE_ENTRIES
from dashboard.queries.reader import Snapshot, run
from dashboard.queries.selection import Filters, Scope, params

EVENT_COLUMNS = (
    "events_held",
    "events_logged",
    "events_reported",
    "reported_person_times",
    "reported_minutes",
)
EVENT_GROUPS = {
    "total": (),
    "unit": ("org_code",),
    "type": ("activity_type_code", "activity_category"),
}


@dataclass(frozen=True)
class EventFigures:
    """Activities held in the selection, and what the event summaries report."""

    events_held: int
    events_logged: int
    events_reported: int
    reported_person_times: int
    reported_minutes: int


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _events(
    snapshot_path: str,
    digest: str,
    filters: Filters,
    scope: Scope,
    group_by: str,
    parent: str | None,
) -> pd.DataFrame:
    values = params(filters, scope) + ([parent] if group_by == "unit" else [])
    return run(snapshot_path, sqlfiles.sql("events", group_by=group_by), values)


def shows_events(filters: Filters) -> bool:
    """Whether activities and summaries can be counted under ``filters``: only when no
    person type is chosen (they have none)."""
    return filters.person_types is None


def event_figures(
    snapshot: Snapshot,
    filters: Filters,
    scope: Scope,
    group_by: str,
    parent: str | None = None,
) -> pd.DataFrame:
    """One row per ``group_by`` value with activities (``EVENT_GROUPS``): its keys, then
    ``EVENT_COLUMNS``. ``unit``: the units directly under ``parent`` (None: the top of
    each tree), each with its whole subtree. Empty when a person type is chosen."""
    if group_by not in EVENT_GROUPS:
        raise ValueError(f"no grouping {group_by!r}: one of {', '.join(EVENT_GROUPS)}")
    frame = _events(snapshot.path, snapshot.digest, filters, scope, group_by, parent)
    return frame[[*EVENT_GROUPS[group_by], *EVENT_COLUMNS]]


def event_totals(snapshot: Snapshot, filters: Filters, scope: Scope) -> EventFigures | None:
    """The selection's activities held and summary figures; None when a person type is
    chosen (neither has one)."""
    if not shows_events(filters):
        return None
    row = event_figures(snapshot, filters, scope, "total").iloc[0]
    return EventFigures(**{name: int(row[name]) for name in EVENT_COLUMNS})
