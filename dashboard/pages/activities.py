"""活动 (activities): hours by activity category and by activity type over the months,
person-times per type, and the communities served through 双报到 (report-and-serve).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, i18n, layout, queries
from kernel import formatting


def type_names(types: pd.DataFrame, lang: str) -> dict[str, str]:
    """Each activity type's name in ``lang`` (the seed carries both languages)."""
    column = "name_zh" if lang == "zh" else "name_en"
    return dict(zip(types["activity_type_code"], types[column], strict=True))


def type_table(frame: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    totals = (
        frame.groupby(["activity_type_code", "activity_category"], as_index=False)[
            ["person_times", "total_minutes"]
        ]
        .sum()
        .sort_values(["total_minutes", "activity_type_code"], ascending=[False, True])
    )
    return pd.DataFrame(
        {
            i18n.t("table.activity_type", lang): [
                names.get(str(c), str(c)) for c in totals["activity_type_code"]
            ],
            i18n.t("table.category", lang): [
                i18n.category_label(str(c), lang) for c in totals["activity_category"]
            ],
            i18n.t("table.hours", lang): [
                formatting.format_hours(int(m), lang) for m in totals["total_minutes"]
            ],
            i18n.t("table.person_times", lang): [
                formatting.format_count(int(v), lang) for v in totals["person_times"]
            ],
        }
    )


def community_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            i18n.t("table.community", lang): [str(c) for c in frame["community"]],
            i18n.t("table.units", lang): [
                formatting.format_count(int(v), lang) for v in frame["organizations"]
            ],
            i18n.t("table.hours", lang): [
                formatting.format_hours(int(m), lang) for m in frame["total_minutes"]
            ],
            i18n.t("table.person_times", lang): [
                formatting.format_count(int(v), lang) for v in frame["person_times"]
            ],
        }
    )


def render(snapshot: queries.Snapshot, filters: queries.Filters, lang: str) -> None:
    scope = layout.scope()
    names = type_names(queries.activity_types(snapshot), lang)
    months = queries.type_months(snapshot, filters, scope=scope)
    layout.chart(charts.category_trend(months, lang), "activities.categories", snapshot, lang)
    layout.chart(charts.type_trend(months, names, lang), "activities.types", snapshot, lang)
    st.subheader(i18n.t("activities.by_type", lang))
    st.dataframe(type_table(months, names, lang), hide_index=True, key="activities.type_table")

    st.subheader(i18n.t("activities.communities", lang))
    served = queries.communities(snapshot, filters, scope=scope)
    if served.empty:
        st.info(i18n.t("activities.no_communities", lang))
        return
    layout.chart(charts.communities(served, lang), "activities.communities", snapshot, lang)
    st.dataframe(community_table(served, lang), hide_index=True, key="activities.community_table")


layout.run_page(render, "activities.title")
