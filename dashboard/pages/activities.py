"""活动 (activities): hours by activity category and by activity type over the months,
person-times, activities held and the event summaries' figures (另据活动汇总表) per
type, and the communities served through 双报到 (report-and-serve).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, event_figures, i18n, layout, queries
from kernel import formatting


def type_names(types: pd.DataFrame, lang: str) -> dict[str, str]:
    """Each activity type's name in ``lang`` (the seed carries both languages)."""
    column = "name_zh" if lang == "zh" else "name_en"
    return dict(zip(types["activity_type_code"], types[column], strict=True))


TYPE_KEYS = ["activity_type_code", "activity_category"]


def type_table(
    frame: pd.DataFrame,
    names: dict[str, str],
    lang: str,
    events: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per activity type: the person-level hours and person-times, then its activities
    held and the summaries' figures (``events``, by type; None: a person type is chosen,
    "—"). A type that only summaries report is listed too, with 0 person-level figures."""
    totals = frame.groupby(TYPE_KEYS, as_index=False)[["person_times", "total_minutes"]].sum()
    if events is not None:
        totals = event_figures.joined(totals, events, TYPE_KEYS, how="outer")
    totals = totals.sort_values(["total_minutes", "activity_type_code"], ascending=[False, True])
    return pd.DataFrame(
        {
            i18n.t("table.activity_type", lang): [
                names.get(str(c), str(c)) for c in totals["activity_type_code"]
            ],
            i18n.t("table.category", lang): [
                i18n.category_label(str(c), lang) for c in totals["activity_category"]
            ],
            i18n.t("table.hours", lang): [
                formatting.table_hours(int(m)) for m in totals["total_minutes"]
            ],
            i18n.t("table.person_times", lang): [
                formatting.table_count(int(v)) for v in totals["person_times"]
            ],
            **event_figures.table_columns(totals, events is not None, lang),
        }
    )


def community_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            i18n.t("table.community", lang): [str(c) for c in frame["community"]],
            i18n.t("table.units", lang): [
                formatting.table_count(int(v)) for v in frame["organizations"]
            ],
            i18n.t("table.hours", lang): [
                formatting.table_hours(int(m)) for m in frame["total_minutes"]
            ],
            i18n.t("table.person_times", lang): [
                formatting.table_count(int(v)) for v in frame["person_times"]
            ],
        }
    )


def render(snapshot: queries.Snapshot, filters: queries.Filters, lang: str) -> None:
    scope = layout.scope()
    names = type_names(queries.activity_types(snapshot), lang)
    months = queries.type_months(snapshot, filters, scope=scope)
    period = charts.month_grid(filters.month_from, filters.month_to)  # 0 in a quiet month
    layout.chart(
        charts.category_trend(months, lang, period), "activities.categories", snapshot, lang
    )
    layout.chart(charts.type_trend(months, names, lang, period), "activities.types", snapshot, lang)
    st.subheader(i18n.t("activities.by_type", lang))
    shown = queries.shows_events(filters)
    events = queries.event_figures(snapshot, filters, scope, "type") if shown else None
    table = type_table(months, names, lang, events)
    layout.table(table, "activities.type_table", lang)
    if not shown:
        st.caption(i18n.t("events.person_type_note", lang))

    st.subheader(i18n.t("activities.communities", lang))
    served = queries.communities(snapshot, filters, scope=scope)
    if served.empty:
        st.info(i18n.t("activities.no_communities", lang))
        return
    layout.chart(charts.communities(served, lang), "activities.communities", snapshot, lang)
    layout.table(community_table(served, lang), "activities.community_table", lang)


layout.run_page(render, "activities.title")
