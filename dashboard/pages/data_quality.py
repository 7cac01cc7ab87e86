"""数据质量 (data quality): what the last loads did, for the analyst who fixes a file and
loads it again: loads per file, rejects by reason with examples (personal numbers
masked at ingest), unmapped activity labels, unknown organizations, people missing from
the roster, pending rows, and how fresh each kind of source is.

The tiles come in two rows, each with a caption that says what it counts: the
file-level figures (files, rows rejected, unmapped labels, unknown organizations) are
bureau-wide, every file loaded, and follow no filter (a file can span districts and
months, a rejected row may have no valid date or unit); the figures of sessions with a
unit and a month (pending, off the roster) follow the period, district and organization
filters, as their lists do. File-level lists are the bureau's: a narrower scope sees
none, and the page says so instead of "nothing to fix".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from dashboard import charts, i18n, layout, queries
from dashboard import filters as filter_bar
from export import return_name
from kernel import formatting, reasons

Formatter = Callable[[object, str], str]


def _text(value: object, lang: str) -> str:
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return i18n.t("value.empty", lang)
    return str(value)


def _count(value: object, lang: str) -> str:
    return formatting.table_count(int(value))


def _hours(value: object, lang: str) -> str:
    return formatting.table_hours(int(value))


def _time(value: object, lang: str) -> str:
    return layout.timestamp(pd.Timestamp(value).isoformat()) if not pd.isna(value) else "—"


def _date(value: object, lang: str) -> str:
    return str(pd.Timestamp(value).date()) if not pd.isna(value) else "—"


def _joined(value: object, lang: str) -> str:
    items = [] if value is None else list(value)
    return i18n.t("filters.list_separator", lang).join(str(item) for item in items)


def _messages(value: object, lang: str) -> str:
    items = [] if value is None else list(value)
    return i18n.t("dq.examples_separator", lang).join(str(item) for item in items)


def _lines(value: object, lang: str) -> str:
    return ", ".join(str(int(item)) for item in ([] if value is None else list(value)))


def _month(value: object, lang: str) -> str:
    return formatting.format_month(str(value), lang)


def _kind(value: object, lang: str) -> str:
    return i18n.t(f"dq.kind.{value}", lang)


def _reason(value: object, lang: str) -> str:
    return i18n.reason_label(str(value), lang)


def _status(value: object, lang: str) -> str:
    return i18n.t(f"dq.load_status.{value}", lang)


# For each list, the columns shown: (column, header key, formatter).
COLUMNS: dict[str, list[tuple[str, str, Formatter]]] = {
    "freshness": [
        ("batch_kind", "dq.col.kind", _kind),
        ("files", "dq.col.files", _count),
        ("last_loaded_at", "dq.col.last_loaded_at", _time),
    ],
    "file_loads": [
        ("source_file", "dq.col.file", _text),
        ("batch_kind", "dq.col.kind", _kind),
        ("loaded_at", "dq.col.loaded_at", _time),
        ("rows_read", "dq.col.rows_read", _count),
        ("rows_loaded", "dq.col.rows_loaded", _count),
        ("rows_rejected", "dq.col.rows_rejected", _count),
        ("load_status", "dq.col.load_status", _status),
    ],
    "rejects": [
        ("source_file", "dq.col.file", _text),
        ("reason_code", "dq.col.reason", _reason),
        ("rejected_rows", "dq.col.rows", _count),
        ("example_lines", "dq.col.lines", _lines),
        ("example_messages", "dq.col.examples", _messages),
    ],
    "duplicates": [
        ("source_file", "dq.col.file", _text),
        ("rows_landed", "dq.col.rows_loaded", _count),
        ("sessions_kept", "dq.col.sessions_kept", _count),
        ("duplicates_removed", "dq.col.duplicates_removed", _count),
    ],
    "unmapped_labels": [
        ("activity_type_label", "dq.col.label", _text),
        ("sessions", "dq.col.sessions", _count),
        ("approved_minutes", "dq.col.approved_hours", _hours),
        ("first_activity_date", "dq.col.first_date", _date),
        ("last_activity_date", "dq.col.last_date", _date),
        ("source_files", "dq.col.files_list", _joined),
    ],
    "unknown_organizations": [
        ("org_code_label", "dq.col.org_code", _text),
        ("org_name_label", "dq.col.org_name", _text),
        ("reason", "dq.col.why", lambda v, lang: i18n.t(f"dq.unknown_reason.{v}", lang)),
        ("sessions", "dq.col.sessions", _count),
        ("approved_minutes", "dq.col.approved_hours", _hours),
        ("source_files", "dq.col.files_list", _joined),
    ],
    "missing_from_roster": [
        ("org_code", "dq.col.org_code", _text),
        ("month", "dq.col.month", _month),
        ("sessions", "dq.col.sessions", _count),
        ("approved_minutes", "dq.col.approved_hours", _hours),
        ("persons", "dq.col.persons", _count),
        ("person_names", "dq.col.names", _joined),
    ],
    "pending": [
        ("org_code", "dq.col.org_code", _text),
        ("month", "dq.col.month", _month),
        ("status_label", "dq.col.status_word", _text),
        ("sessions", "dq.col.sessions", _count),
        ("total_minutes", "dq.col.hours", _hours),
    ],
}


def reject_examples(frame: pd.DataFrame, lang: str) -> list[list[str]]:
    """The messages of each rejects row's examples, written in ``lang`` from the reason,
    the column and the masked value the snapshot holds (it stores no message)."""
    rows = zip(frame["reason_code"], frame["example_columns"], frame["example_values"], strict=True)
    return [
        [reasons.message(code, col, value, lang) for col, value in zip(cols, values, strict=True)]
        for code, cols, values in rows
    ]


def dq_table(frame: pd.DataFrame, name: str, lang: str) -> pd.DataFrame:
    """One data-quality list with translated headers and formatted values."""
    if name == "rejects":
        frame = frame.assign(example_messages=reject_examples(frame, lang))
    return pd.DataFrame(
        {
            i18n.t(header, lang): [fmt(value, lang) for value in frame[column]]
            for column, header, fmt in COLUMNS[name]
        }
    )


@st.cache_data(max_entries=queries.CACHE_ENTRIES, show_spinner=False)
def shown_table(
    snapshot: queries.Snapshot, name: str, filters: queries.Filters, scope: queries.Scope, lang: str
) -> pd.DataFrame:
    """``dq_table`` of one list, kept as the queries keep theirs (snapshot, filters,
    scope; and language): the lists run to thousands of rows, and writing their every
    value again on each load was a third of the page's script run."""
    return dq_table(queries.data_quality(snapshot, name, filters, scope=scope), name, lang)


def _tiles(tiles: Sequence[tuple[str, int]], lang: str) -> None:
    for column, (key, value) in zip(st.columns(len(tiles)), tiles, strict=True):
        column.metric(i18n.t(key, lang), formatting.format_count(value, lang), border=True)


def filtered_caption(
    snapshot: queries.Snapshot, filters: queries.Filters, lang: str, scope: queries.Scope
) -> str:
    """What the filtered tiles follow: the period, and the districts and organizations
    chosen (or the reader's scope), as the page's caption names them."""
    shown = queries.Filters(
        filters.month_from, filters.month_to, filters.districts, filters.organizations
    )
    return i18n.t("dq.filtered", lang, filters=filter_bar.describe(shown, snapshot, lang, scope))


def render(snapshot: queries.Snapshot, filters: queries.Filters, lang: str) -> None:
    scope = layout.scope()
    lists = {name: queries.data_quality(snapshot, name, filters, scope=scope) for name in COLUMNS}
    if scope.is_bureau:
        # the files in effect (the freshness list) and their rejected rows (the rejects
        # list, the mart the reasons chart and the PDF report read): a corrected file's
        # first load, listed under loads, counts neither again nor its rejects
        st.caption(i18n.t("dq.bureau_wide", lang))
        _tiles(
            (
                ("dq.tile.files", int(lists["freshness"]["files"].sum())),
                ("dq.tile.rows_rejected", int(lists["rejects"]["rejected_rows"].sum())),
                ("dq.tile.unmapped", len(lists["unmapped_labels"])),
                ("dq.tile.unknown_orgs", len(lists["unknown_organizations"])),
            ),
            lang,
        )
    else:
        st.info(i18n.t("dq.bureau_only", lang))
    st.caption(filtered_caption(snapshot, filters, lang, scope))
    _tiles(
        (
            ("dq.tile.pending", int(lists["pending"]["sessions"].sum())),
            ("dq.tile.missing_from_roster", int(lists["missing_from_roster"]["sessions"].sum())),
        ),
        lang,
    )
    if len(lists["rejects"]) != 0:
        layout.chart(charts.rejects_by_reason(lists["rejects"], lang), "dq.rejects", snapshot, lang)
    for name in COLUMNS:
        if name in queries.BUREAU_WIDE_LISTS and not scope.is_bureau:
            continue  # the bureau's lists: the note above says so
        st.subheader(i18n.t(f"dq.section.{name}", lang))
        help_text = i18n.t(f"dq.section.{name}.help", lang)
        if name in queries.BUREAU_WIDE_LISTS:
            help_text += i18n.t("dq.list_bureau_wide", lang)
        st.caption(help_text)
        if lists[name].empty:
            st.success(i18n.t("dq.none", lang))
        else:
            table = shown_table(snapshot, name, filters, scope, lang)
            layout.table(table, f"dq.{name}", lang)
    if scope.is_bureau:
        with st.container(key="dq-returns"):  # not printed (layout.py)
            returns_section(snapshot, lang)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def returns_section(snapshot: queries.Snapshot, lang: str) -> None:
    """退回清单: a bureau reader picks a file and downloads its return, the workbook
    ``make export`` writes (export.returns)."""
    st.subheader(i18n.t("dq.section.returns", lang))
    st.caption(i18n.t("dq.section.returns.help", lang))
    scope = layout.scope()
    files = queries.return_files(snapshot, scope)
    if not files:
        st.success(i18n.t("dq.returns.none", lang))
        return
    chosen = st.selectbox(i18n.t("dq.returns.file", lang), files, key="dq.returns.file")
    if chosen:
        # written when the reader clicks, not on every load of the page: a return is
        # an openpyxl workbook of the file's every rejected row (0.03-0.09 s a file
        # on the 1M-row demo, more on a bureau's larger files), and most loads of this
        # page download none. Every file listed has a return (queries.return_files).
        st.download_button(
            i18n.t("dq.returns.download", lang),
            functools.partial(_return_workbook, snapshot, chosen, scope),
            file_name=return_name(chosen),
            mime=XLSX,
            key="dq.returns.download",
            on_click="ignore",
        )


def _return_workbook(snapshot: queries.Snapshot, source_file: str, scope: queries.Scope) -> bytes:
    """The download button's bytes, built on the reader's click (in a thread of
    Streamlit's own). ``return_files`` lists only files that have a return, so None
    (nothing to fix, or a narrower reader) is a fault, which Streamlit reports as a
    failed download rather than sending an empty file."""
    data = queries.return_workbook(snapshot, source_file, scope)
    if data is None:
        raise LookupError(f"no return for {source_file}")
    return data


layout.run_page(render, "dq.title")
