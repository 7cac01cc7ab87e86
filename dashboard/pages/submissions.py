"""报送情况 (submissions): which schools and offices sent their activity files, month by
month, for the analyst who chases those that sent nothing.

A grid of units x months of the period, each cell the unit's status in that activity
month (已报送, 有退回, 未报送, 假期) as text on a colour; the units that have not
reported in the last complete month (the month before the data cut-off's month) come
first. Below it, the counts behind each cell: rows loaded, rejected and pending, and
when the batches that brought them were loaded. Branches count with their school. A
district reader sees the units of their district only (the scope, ``orgs_in_view``);
the bureau also reads how many rejected rows could be placed in no unit and month.
"""

from __future__ import annotations

import streamlit as st

from dashboard import i18n, layout, queries
from dashboard.submission_tables import colour_cells, counts_table, status_grid
from kernel import formatting


def render(snapshot: queries.Snapshot, filters: queries.Filters, lang: str) -> None:
    if not queries.has_submissions(snapshot):
        st.info(i18n.t("submissions.rebuild", lang))
        return
    scope = layout.scope()
    last = queries.last_complete_month(snapshot)
    frame = queries.submissions(snapshot, filters, scope, last)
    missing = frame.drop_duplicates("org_code")["missing_last_complete"].sum() if len(frame) else 0
    st.caption(
        i18n.t(
            "submissions.last_complete",
            lang,
            month=formatting.format_month(last, lang),
            count=formatting.format_count(int(missing), lang),
        )
    )
    unplaced = queries.unplaced_rejects(snapshot, scope)
    if unplaced:
        st.caption(
            i18n.t("submissions.unplaced", lang, count=formatting.format_count(unplaced, lang))
        )
    if frame.empty:
        st.info(i18n.t("submissions.none", lang))
        return
    st.subheader(i18n.t("submissions.grid", lang))
    st.caption(i18n.t("submissions.grid.help", lang))
    layout.table(status_grid(frame, lang), "submissions.grid", lang, style=colour_cells)
    st.subheader(i18n.t("submissions.counts", lang))
    st.caption(i18n.t("submissions.counts.help", lang))
    layout.table(counts_table(frame, lang), "submissions.counts", lang)


layout.run_page(render, "submissions.title")
