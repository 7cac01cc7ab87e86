"""单位 (units): drill from a district to its schools and offices and on to their
branches, each with its activities held and its event summaries' figures (另据活动汇总表)
beside the person-level ones; a branch x month grid of 党员活动日 and 三会一课
compliance (met / missed); quota attainment per district.

A unit's figures include every unit under it (a school counts its branches), each
counted once from the finest grain; compliance and quotas come from
``agg_branch_compliance`` and ``agg_quota_attainment``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, escape, event_figures, i18n, layout, queries
from kernel import formatting

DISTRICT_KEY = "units.district"
SCHOOL_KEY = "units.school"
ACTIVITY_KEY = "units.activity"


def with_events(
    snapshot: queries.Snapshot,
    filters: queries.Filters,
    scope: queries.Scope,
    frame: pd.DataFrame,
    parent: str | None = None,
) -> pd.DataFrame:
    """The units of ``frame`` with their subtree's activities held and summary figures
    (``queries.EVENT_COLUMNS``, 0 where none; all 0 when a person type is chosen)."""
    events = queries.event_figures(snapshot, filters, scope, "unit", parent)
    return event_figures.joined(frame, events, ["org_code"])


def unit_table(frame: pd.DataFrame, lang: str, events_shown: bool = True) -> pd.DataFrame:
    """The units as the page lists them: formatted exact figures, one row per unit; the
    activities held and the summaries' figures after the person-level ones ("—" when
    not ``events_shown``)."""
    return pd.DataFrame(
        {
            i18n.t("table.unit", lang): [
                i18n.t("org.unknown", lang) if code == "unknown" else str(name)
                for code, name in zip(frame["org_code"], frame["org_name"], strict=True)
            ],
            i18n.t("table.org_type", lang): [
                i18n.org_type_label(str(t), lang) for t in frame["org_type"]
            ],
            i18n.t("table.hours", lang): [
                formatting.table_hours(int(m)) for m in frame["total_minutes"]
            ],
            i18n.t("table.person_times", lang): [
                formatting.table_count(int(v)) for v in frame["person_times"]
            ],
            i18n.t("table.volunteers", lang): [
                formatting.table_count(int(v)) for v in frame["volunteers"]
            ],
            i18n.t("table.participation", lang): [
                formatting.format_percent(int(a), int(r))
                for a, r in zip(frame["active_members"], frame["roster_size"], strict=True)
            ],
            **event_figures.table_columns(frame, events_shown, lang),
        }
    )


def render(snapshot: queries.Snapshot, filters: queries.Filters, lang: str) -> None:
    scope = layout.scope()
    districts = queries.districts(snapshot, scope=scope)
    if filters.districts is not None:
        districts = districts[districts["district_code"].isin(filters.districts)]
    names = dict(zip(districts["district_code"], districts["district_name"], strict=True))
    codes = list(names)
    if not codes:
        st.info(i18n.t("page.no_units", lang))
        return
    if st.session_state.get(DISTRICT_KEY) not in codes:
        st.session_state.pop(DISTRICT_KEY, None)
    district = st.selectbox(
        i18n.t("units.district", lang),
        options=codes,
        format_func=lambda code: i18n.district_label(code, names[code], lang),
        key=DISTRICT_KEY,
    )
    in_district = queries.Filters(
        filters.month_from,
        filters.month_to,
        (district,),
        filters.organizations,
        filters.person_types,
        filters.categories,
    )
    shown = queries.shows_events(in_district)
    top = with_events(
        snapshot, in_district, scope, queries.units(snapshot, in_district, scope=scope)
    )
    st.subheader(i18n.t("units.top_level", lang))
    layout.table(unit_table(top, lang, shown), "units.top_table", lang)
    if not shown:
        st.caption(i18n.t("events.person_type_note", lang))

    parents = top[top["child_units"] > 0]
    if not parents.empty:
        school_names = dict(zip(parents["org_code"], parents["org_name"], strict=True))
        if st.session_state.get(SCHOOL_KEY) not in school_names:
            st.session_state.pop(SCHOOL_KEY, None)
        school = st.selectbox(
            i18n.t("units.school", lang),
            options=list(school_names),
            format_func=lambda code: str(school_names[code]),
            key=SCHOOL_KEY,
        )
        branches = with_events(
            snapshot,
            in_district,
            scope,
            queries.units(snapshot, in_district, parent=school, scope=scope),
            school,
        )
        st.subheader(i18n.t("units.branches", lang, school=escape.markdown(school_names[school])))
        layout.table(unit_table(branches, lang, shown), "units.branch_table", lang)

    compliance = queries.compliance(snapshot, in_district, scope=scope)
    activity = st.radio(
        i18n.t("units.activity", lang),
        options=list(queries.ORGANIZATIONAL_LIFE_TYPES),
        format_func=lambda code: i18n.t(f"activity.{code}", lang),
        key=ACTIVITY_KEY,
        horizontal=True,
    )
    layout.chart(
        charts.compliance_grid(compliance, activity, lang),
        "units.compliance",
        snapshot,
        lang,
    )
    layout.chart(
        charts.quota_attainment(queries.quota(snapshot, in_district, scope=scope), lang),
        "units.quota",
        snapshot,
        lang,
    )


layout.run_page(render, "units.title")
