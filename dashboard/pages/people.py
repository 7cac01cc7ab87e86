"""人员 (people): how many hours volunteers give, new and retained volunteers, and a
leaderboard. Students' names are hidden unless the reader shows them; picking a person
shows that person's own history (all months, in scope).

New volunteers had their first approved session ever in the period; retained ones were
volunteers (under the same filters) in the previous period of the same length too.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, escape, i18n, layout, queries
from kernel import formatting

SHOW_STUDENTS_KEY = "people.show_students"
PERSON_KEY = "people.person"
LEADERBOARD_SIZE = 20


def display_name(name: object, is_student: object, show_students: bool, lang: str) -> str:
    """The name a leaderboard shows: a student's is hidden unless asked for."""
    if bool(is_student) and not show_students:
        return i18n.t("people.hidden_student", lang)
    if name is None or pd.isna(name) or not str(name).strip():
        return i18n.t("value.empty", lang)
    return str(name)


def leaderboard_table(frame: pd.DataFrame, show_students: bool, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            i18n.t("table.rank", lang): [int(r) for r in frame["rank"]],
            i18n.t("table.name", lang): [
                display_name(n, s, show_students, lang)
                for n, s in zip(frame["person_name"], frame["is_student"], strict=True)
            ],
            i18n.t("table.person_type", lang): [
                i18n.person_type_label(str(t), lang) for t in frame["person_type"]
            ],
            i18n.t("table.unit", lang): [
                org_name if isinstance(org_name, str) else i18n.t("org.unknown", lang)
                for org_name in frame["main_org_name"]
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
    flow = queries.turnover(snapshot, filters, scope=scope)
    previous = filters.previous()
    tiles = (
        ("people.volunteers", flow.volunteers),
        ("people.new", flow.new_volunteers),
        ("people.retained", flow.retained_volunteers),
        ("people.previous", flow.previous_volunteers),
    )
    for column, (key, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(
            i18n.t(key, lang),
            formatting.format_count(value, lang),
            help=i18n.t(
                f"{key}.help",
                lang,
                period=formatting.format_period(previous.month_from, previous.month_to, lang),
            ),
            border=True,
        )
    layout.chart(
        charts.hours_distribution(queries.person_hours(snapshot, filters, scope=scope), lang),
        "people.distribution",
        snapshot,
        lang,
    )

    st.subheader(i18n.t("people.leaderboard", lang, count=LEADERBOARD_SIZE))
    show_students = st.toggle(i18n.t("people.show_students", lang), key=SHOW_STUDENTS_KEY)
    board = queries.leaderboard(snapshot, filters, limit=LEADERBOARD_SIZE, scope=scope)
    layout.table(leaderboard_table(board, show_students, lang), "people.board", lang)
    if board.empty:
        return
    labels = {
        str(key): i18n.t(
            "people.pick_option",
            lang,
            rank=int(rank),
            name=display_name(name, is_student, show_students, lang),
        )
        for key, rank, name, is_student in zip(
            board["person_key"],
            board["rank"],
            board["person_name"],
            board["is_student"],
            strict=True,
        )
    }
    if st.session_state.get(PERSON_KEY) not in labels:
        st.session_state.pop(PERSON_KEY, None)
    person = st.selectbox(
        i18n.t("people.pick", lang),
        options=list(labels),
        format_func=lambda key: labels[key],
        index=None,
        placeholder=i18n.t("people.pick_placeholder", lang),
        key=PERSON_KEY,
    )
    if person is not None:
        history = queries.person_history(snapshot, person, scope=scope)
        st.caption(
            i18n.t(
                "people.history_total",
                lang,
                name=escape.markdown(labels[person]),
                hours=formatting.format_hours(int(history["total_minutes"].sum()), lang),
                sessions=formatting.format_count(int(history["person_times"].sum()), lang),
            )
        )
        layout.chart(charts.person_history(history, lang), "people.history", snapshot, lang)


layout.run_page(render, "people.title")
