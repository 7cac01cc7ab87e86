"""What every page shares: the language switch, the print stylesheet, the "data as of"
note, how a chart is drawn (PNG download with the page's fonts) and how a page runs
(no snapshot yet, a snapshot replaced mid-run).

A page file is ``layout.run_page(render)`` with ``render(snapshot, filters, lang)``;
``streamlit.testing.v1.AppTest.from_file("dashboard/pages/<page>.py")`` runs it alone.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import auth, charts, filters, i18n, link_notes, queries
from kernel.snapshot import NoSnapshot

# Browser print of a page: one clean A4 landscape sheet, without the sidebar, the
# toolbar or the charts' buttons; charts and tiles are not split across pages.
PRINT_CSS = """
<style>
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  html, body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stExpandSidebarButton"],
  .modebar-container, .stDeployButton { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { margin: 0 !important; }
  [data-testid="stMainBlockContainer"] {
    max-width: 100% !important; padding: 0 !important;
  }
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stTable"],
  [data-testid="stDataFrame"] { break-inside: avoid; page-break-inside: avoid; }
}
</style>
"""


def language_switch() -> str:
    """The language radio in the sidebar (``?lang=en`` opens in English); returns it."""
    if i18n.LANGUAGE_KEY not in st.session_state:
        asked = st.query_params.get(filters.PARAM_LANGUAGE)
        known = asked in i18n.LANGUAGES
        st.session_state[i18n.LANGUAGE_KEY] = asked if known else i18n.DEFAULT_LANGUAGE
        if asked is not None and not known:  # said on the page (link_notes.py)
            filters.note_ignored([filters.Ignored(filters.PARAM_LANGUAGE, (asked,), "language")])
    lang = st.sidebar.radio(
        i18n.t("language.label"),
        options=list(i18n.LANGUAGES),
        format_func=lambda code: i18n.t(f"language.{code}"),
        key=i18n.LANGUAGE_KEY,
        horizontal=True,
    )
    if lang == i18n.DEFAULT_LANGUAGE:
        if filters.PARAM_LANGUAGE in st.query_params:
            del st.query_params[filters.PARAM_LANGUAGE]
    elif st.query_params.get(filters.PARAM_LANGUAGE) != lang:
        st.query_params[filters.PARAM_LANGUAGE] = lang
    return lang


def timestamp(value: str) -> str:
    """``2026-11-27T14:01:16.051170`` as ``2026-11-27 14:01``."""
    return value[:16].replace("T", " ")


def as_of_note(snapshot: queries.Snapshot, lang: str) -> str:
    """The "data as of" line every chart and page carries."""
    return i18n.t(
        "note.as_of",
        lang,
        as_of=timestamp(snapshot.as_of),
        built_at=timestamp(snapshot.built_at),
        digest=snapshot.digest[:12],
    )


def plotly_config(name: str) -> dict:
    """The chart toolbar: PNG download rendered by the browser with the page's fonts
    (so Chinese text is drawn by the CJK fonts Debian installs), twice the size."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def chart(
    figure: go.Figure,
    key: str,
    snapshot: queries.Snapshot,
    lang: str,
    container=None,
) -> None:
    """Draw ``figure`` with the "data as of" note under it (added to ``figure`` itself:
    pass a figure built for this drawing)."""
    target = container if container is not None else st
    target.plotly_chart(
        charts.add_note(figure, as_of_note(snapshot, lang)),
        key=key,
        config=plotly_config(key.replace(".", "-")),
    )


def page_top(title_key: str, lang: str) -> None:
    st.html(PRINT_CSS)
    st.title(i18n.t(title_key, lang))


SCOPE_KEY = "reader.scope"
PAGE_END_KEY = "page-end"


def scope() -> queries.Scope:
    """What the reader may see, for every query of the page: the scope ``run_page``
    got from the sign-in at the start of this run (``dashboard/auth.py``)."""
    chosen = st.session_state.get(SCOPE_KEY)
    if not isinstance(chosen, queries.Scope):  # a page that did not start with run_page
        chosen = auth.current_scope(i18n.session_language(st.session_state))
        st.session_state[SCOPE_KEY] = chosen
    return chosen


def run_page(render: Callable[[queries.Snapshot, queries.Filters, str], None], title_key: str):
    """Run one page: title, snapshot, sidebar filters, then ``render``; the snapshot's
    note at the bottom. No snapshot yet: say how to make one. ``render`` passes
    ``scope()`` to every query."""
    lang = i18n.session_language(st.session_state)
    page_top(title_key, lang)
    # who reads decides what every query may see: signed in (or open demo mode) on
    # every run, so a user removed from the users file loses access on the next one
    st.session_state[SCOPE_KEY] = auth.current_scope(lang)
    try:
        snapshot = queries.current_snapshot()
        chosen = filters.current_filters(snapshot, lang, scope())
        st.caption(filters.describe(chosen, snapshot, lang, scope()))
        link_notes.show(chosen, snapshot, lang, scope())
        if not queries.available_months(snapshot):
            st.info(i18n.t("page.no_data", lang))
            return
        render(snapshot, chosen, lang)
        # the page's last element, in a container whose key gives it the CSS class
        # st-key-page-end: once it is in the page, so is every element above it (the
        # browser test and bench/browser.py wait for it, then for the charts' SVG)
        with st.container(key=PAGE_END_KEY):
            st.caption(as_of_note(snapshot, lang))
    except NoSnapshot:
        st.warning(i18n.t("snapshot.missing", lang), icon=":material/database:")
    except queries.SnapshotChanged:
        st.rerun()  # `make build` published a new snapshot mid-run: start again on it


def table(frame: pd.DataFrame, key: str, lang: str, container=None) -> None:
    """A table of the page (in ``container``, else the page); one with no row is a
    sentence in the page's language instead (Streamlit writes an empty table's only
    cell as "empty", in English)."""
    target = container if container is not None else st
    if frame.empty:
        target.info(i18n.t("table.empty", lang))
    else:
        target.dataframe(frame, hide_index=True, key=key)
