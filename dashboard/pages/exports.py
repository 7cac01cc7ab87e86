"""导出 (exports): the files of ``make export`` for the current filters and scope, as
download buttons. The files are built by ``export.bundle`` (the same code as the CLI)
from the snapshot the page shows, and cached per snapshot and choice."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import streamlit as st

from dashboard import escape, i18n, layout, queries
from export import ZIP_NAME, ExportError, NoActivity, build_bundle
from kernel import formatting
from kernel.snapshot import SnapshotInfo

SUPPRESS_KEY = "exports.suppress"
REPORT_KEY = "exports.report"
SUPPRESS_CHOICES = (None, 0, 3, 5, 10)  # None: the CLI's default levels
FILES = (
    ("district_monthly.csv", "exports.file.district_monthly", "text/csv"),
    ("organization_monthly.csv", "exports.file.organization_monthly", "text/csv"),
    (
        "district_stats.xlsx",
        "exports.file.workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("manifest.json", "exports.file.manifest", "application/json"),
    (ZIP_NAME, "exports.file.zip", "application/zip"),
)


@st.cache_data(max_entries=16, show_spinner=False)
def _bundle(
    snapshot: queries.Snapshot,
    month_from: str,
    month_to: str,
    districts: tuple[str, ...] | None,
    organizations: tuple[str, ...] | None,
    suppress: int | None,
    district_rows: bool,
    bureau: bool,
) -> dict[str, bytes]:
    con = duckdb.connect(snapshot.path, read_only=True)
    try:
        info = SnapshotInfo(Path(snapshot.path), snapshot.as_of, snapshot.built_at, snapshot.digest)
        return build_bundle(
            con,
            info,
            month_from,
            month_to,
            districts,
            organizations,
            suppress,
            district_rows,
            bureau,
        )
    finally:
        con.close()


def _suppress_label(k: int | None, lang: str) -> str:
    if k is None:
        return i18n.t("exports.suppress.default", lang)
    if k == 0:
        return i18n.t("exports.suppress.off", lang)
    return i18n.t("exports.suppress.k", lang, k=k)


PREPARED_KEY = "exports.prepared"


def render(snapshot: queries.Snapshot, filters: queries.Filters, lang: str) -> None:
    scope = layout.scope()
    st.markdown(i18n.t("exports.intro", lang))
    if filters.person_types or filters.categories:
        st.caption(i18n.t("exports.filters_note", lang))
    suppress = st.selectbox(
        i18n.t("exports.suppress", lang),
        options=list(SUPPRESS_CHOICES),
        format_func=lambda k: _suppress_label(k, lang),
        help=i18n.t("exports.suppress.help", lang),
        key=SUPPRESS_KEY,
    )
    # the files (PDFs, workbook) take a second or more to make: only when asked, once
    # per session, so the page itself opens at once (every page opens within 1 s)
    if not st.session_state.get(PREPARED_KEY):
        if not st.button(i18n.t("exports.prepare", lang), key="exports.prepare"):
            return
        st.session_state[PREPARED_KEY] = True
    try:
        # the reader's scope bounds the files whatever the filters say: the
        # filters offer only codes in scope (an organization's branches included), and
        # with none chosen the scope itself applies; a reader of some units gets their
        # units' rows and no district totals, and only a bureau reader the figures of
        # files (rejected rows) in the PDFs' data-quality notes
        bundle = _bundle(
            snapshot,
            filters.month_from,
            filters.month_to,
            filters.districts if filters.districts is not None else scope.districts,
            filters.organizations if filters.organizations is not None else scope.organizations,
            suppress,
            scope.organizations is None,
            scope.is_bureau,
        )
    except NoActivity:
        st.info(i18n.t("page.no_data", lang))
        return
    except ExportError as error:
        st.error(i18n.t("exports.error", lang, message=escape.markdown(error)))
        return
    quiet = json.loads(bundle["manifest.json"])["months_without_activity"]
    if quiet:  # the same warning as `make export` gives on stderr
        months = i18n.t("filters.list_separator", lang).join(
            formatting.format_month(month, lang) for month in quiet
        )
        st.warning(i18n.t("exports.no_activity", lang, months=months))
    period = f"{filters.month_from}_{filters.month_to}"
    columns = st.columns(len(FILES))
    for column, (name, label, mime) in zip(columns, FILES, strict=True):
        stem, _, suffix = name.rpartition(".")
        column.download_button(
            i18n.t(label, lang),
            data=bundle[name],
            file_name=f"{stem}_{period}.{suffix}",
            mime=mime,
            key=f"exports.download.{name}",
            on_click="ignore",
        )
    reports = sorted(name for name in bundle if name.startswith("reports/"))
    st.subheader(i18n.t("exports.report.district", lang))
    if not reports:
        st.info(i18n.t("exports.no_districts", lang))
        return
    names = queries.districts(snapshot, scope)
    labels = dict(zip(names["district_code"], names["district_name"], strict=True))

    def label(report: str) -> str:
        code = Path(report).stem
        return i18n.district_label(code, labels.get(code), lang)

    chosen = st.selectbox(
        i18n.t("exports.report.district", lang), reports, format_func=label, key=REPORT_KEY
    )
    st.download_button(
        i18n.t("exports.report.download", lang, name=escape.markdown(label(chosen))),
        data=bundle[chosen],
        file_name=f"{Path(chosen).stem}_{filters.month_to}.pdf",
        mime="application/pdf",
        key="exports.download.report",
        on_click="ignore",
    )


layout.run_page(render, "exports.title")
