"""Every query the dashboard runs, over the published snapshot only.

Each query reads ``snapshots/CURRENT`` (``kernel.snapshot``), runs one statement from
``sql/*.sql`` with its values bound as ``?`` parameters (user input is never formatted
into SQL) on a read-only cursor of that snapshot file (``reader``), and closes the
cursor, so ``make build`` can switch ``snapshots/CURRENT`` at any time (snapshot files
are never written once published). Results are cached with ``st.cache_data`` keyed by
the snapshot's path and digest, the filters and the scope: after a rebuild the next
rerun sees the new snapshot, with no restart, and a leader of one district never reads
another's cached figures.

A page resolves the snapshot once per run (``current_snapshot``) and passes it to every
query, so one page shows one snapshot. If CURRENT moves between the two, the query
raises ``SnapshotChanged`` and the page reruns on the new snapshot.

Pages never scan the session fact: additive figures (person-times, minutes, pending
sessions) are summed from ``agg_dashboard_cells`` (organization x month x person type x
activity type); distinct people over any range of months are counted from the finest
grain, ``agg_dashboard_person_months`` (person x organization x month x category x
person type), and the roster from ``fct_person_months`` (person x month, with the
person's type in that month); never by adding up monthly distinct counts or rates
(DESIGN.md, "Metric definitions"). One builder (``figures``) does this for every
grouping the pages show, with the metrics named as the catalog names them.

Activities held (活动场次) and the event summaries' figures (另据活动汇总表) come from
``agg_dashboard_events`` (``events``), kept apart from the person-level figures.

Filters and scope meet in one place: ``orgs_in_view`` (``macros/filters.sql``), the
reporting organizations of the chosen districts and organizations (an organization
brings the ones under it) that the scope allows. Person types and activity categories
filter the marts' own columns. Participation (roster, active members) follows the
district, organization and person-type filters; a person is active with an approved
session anywhere, so the activity-category filter does not apply to it.
"""

from __future__ import annotations

from dashboard.queries.data_quality import (
    BUREAU_WIDE_LISTS,
    DQ_LISTS,
    data_quality,
    return_files,
    return_workbook,
)
from dashboard.queries.events import (
    EVENT_COLUMNS,
    EventFigures,
    event_figures,
    event_totals,
    shows_events,
)
from dashboard.queries.figures import (
    ACTIVITY,
    CACHE_ENTRIES,
    GROUPS,
    Kpis,
    by_category,
    by_district,
    district_months,
    figures,
    kpis,
    monthly,
    served,
    type_months,
    units,
)
from dashboard.queries.lists import (
    activity_types,
    available_months,
    categories,
    district_codes,
    districts,
    organizations,
    person_types,
)
from dashboard.queries.people import (
    Turnover,
    leaderboard,
    person_history,
    person_hours,
    turnover,
)
from dashboard.queries.reader import Snapshot, SnapshotChanged, current_snapshot
from dashboard.queries.selection import BUREAU, FIRST_MONTH, Filters, Scope
from dashboard.queries.submission_status import (
    has_submissions,
    last_complete_month,
    submissions,
    unplaced_rejects,
)
from dashboard.queries.unit_lists import ORGANIZATIONAL_LIFE_TYPES, communities, compliance, quota

__all__ = [
    "ACTIVITY",
    "BUREAU",
    "BUREAU_WIDE_LISTS",
    "CACHE_ENTRIES",
    "DQ_LISTS",
    "EVENT_COLUMNS",
    "FIRST_MONTH",
    "GROUPS",
    "ORGANIZATIONAL_LIFE_TYPES",
    "EventFigures",
    "Filters",
    "Kpis",
    "Scope",
    "Snapshot",
    "SnapshotChanged",
    "Turnover",
    "activity_types",
    "available_months",
    "by_category",
    "by_district",
    "categories",
    "communities",
    "compliance",
    "current_snapshot",
    "data_quality",
    "district_codes",
    "district_months",
    "districts",
    "event_figures",
    "event_totals",
    "figures",
    "has_submissions",
    "kpis",
    "last_complete_month",
    "leaderboard",
    "monthly",
    "organizations",
    "person_history",
    "person_hours",
    "person_types",
    "quota",
    "return_files",
    "return_workbook",
    "served",
    "shows_events",
    "submissions",
    "turnover",
    "type_months",
    "units",
    "unplaced_rejects",
]
