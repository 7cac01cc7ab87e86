"""What every page shares: the language switch, the print stylesheet, the "data as of"
note, how a chart is drawn (PNG download with the page's fonts) and how a page runs
(no snapshot yet, a snapshot replaced mid-run).

A page file is ``layout.run_page(render)`` with ``render(snapshot, filters, lang)``;
``streamlit.testing.v1.AppTest.from_file("dashboard/pages/<page>.py")`` runs it alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import auth, charts, escape, filters, i18n, link_notes, queries
from kernel.snapshot import NoSnapshot

# Browser print of a page (Ctrl+P; Chromium): a report on A4 landscape sheets, without
# the sidebar, the toolbar or the charts' buttons. Every sheet carries the period and
# filters (top left), the "data as of" line (top right), the page's title (bottom left)
# and its number (bottom right) in the page margins (``print_header``). Charts are
# scaled to the sheet (``chart``: two full-width ones per sheet where they fit, a tall
# one on a sheet of its own) and never split; a table prints whole, from its plain
# HTML copy (``table``: every row and column, the header repeated on each sheet), the
# interactive grid (a canvas in a scroll box) hidden. No "<" in the style sheet:
# st.html's sanitizer drops a <style> whose text holds one.
PRINT_CSS = """
<style>
.print-only, [data-testid="stElementContainer"]:has(.print-only) { display: none; }
@media print {
  @page { size: A4 landscape; margin: 12mm 10mm 10mm 10mm; }
  html, body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stExpandSidebarButton"],
  .modebar-container, .stDeployButton { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { margin: 0 !important; }
  [data-testid="stMainBlockContainer"] {
    max-width: 100% !important; padding: 0 !important;
  }
  h1 { font-size: 1.3rem !important; padding: 0 !important; }
  /* a choice prints as one line, "label value"; the radios' choices are named in the
     titles of the charts they drive */
  [data-testid="stSelectbox"] { display: flex; align-items: center; gap: 0.5rem; }
  [data-testid="stSelectbox"] [data-baseweb="select"] > div {
    border: none !important; background: none !important; min-height: 0 !important;
  }
  [data-testid="stSelectbox"] svg,
  [data-testid="stElementContainer"]:has([data-testid="stRadio"]) { display: none !important; }
  /* the filters line under the title: every sheet's margin carries it */
  [data-testid="stElementContainer"]:has(h1)
    + [data-testid="stElementContainer"]:has([data-testid="stCaptionContainer"]) {
    display: none !important;
  }
  /* the "data as of" line is in every sheet's margin; buttons, toggles and the
     people page's person picker (its choice is named in the caption) do nothing on
     paper, nor does the data-quality page's download of a return */
  .st-key-page-end, [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stElementContainer"]:has([data-testid="stCheckbox"]),
  .st-key-people-person, .st-key-dq-returns { display: none !important; }
  [data-testid="stMetric"], [data-testid="stTable"],
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) {
    break-inside: avoid; page-break-inside: avoid;
  }
  [data-testid="stElementContainer"]:has(h2, h3) { break-after: avoid; }
  /* a chart scaled to its column's width and to the height its kind gets
     (--print-chart-height, set by the container layout.chart draws it in) */
  /* Streamlit prints every block as display: block: columns side by side again */
  [data-testid="stHorizontalBlock"] {
    display: flex !important; flex-flow: row nowrap !important; gap: 1rem !important;
  }
  [data-testid="stColumn"] {
    width: auto !important; flex: 1 1 0 !important; min-width: 0 !important;
  }
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]),
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) > div {
    height: auto !important;
  }
  [data-testid="stPlotlyChart"] {
    container-type: inline-size; height: auto !important; --print-chart-height: 640px;
  }
  [class*="st-key-print-half-"] [data-testid="stPlotlyChart"] { --print-chart-height: 290px; }
  [class*="st-key-print-pair-"] [data-testid="stPlotlyChart"] { --print-chart-height: 420px; }
  .js-plotly-plot .plot-container { display: flex !important; justify-content: center; }
  .js-plotly-plot .svg-container {
    flex: none; width: fit-content !important; height: auto !important;
  }
  .js-plotly-plot .svg-container > .main-svg:first-child { position: relative !important; }
  .js-plotly-plot .main-svg {
    zoom: min(
      1, 100cqw / attr(width px, 100px), var(--print-chart-height) / attr(height px, 100px)
    );
  }
  /* tables: the plain copy instead of the grid */
  [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) { display: none !important; }
  [data-testid="stElementContainer"]:has(.print-only) { display: block !important; }
  .print-only { display: block; }
  table.print-table {
    width: 100%; border-collapse: collapse; font-size: 9pt; line-height: 1.3;
  }
  table.print-table thead { display: table-header-group; }
  table.print-table tr { break-inside: avoid; page-break-inside: avoid; }
  table.print-table th, table.print-table td {
    border-bottom: 1px solid #d0d4d9; padding: 2px 6px; text-align: left;
    vertical-align: top; overflow-wrap: anywhere;
  }
  table.print-table th { border-bottom: 1.5px solid #555; font-weight: 600; }
  table.print-table .number { text-align: right; white-space: nowrap; }
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


# a figure taller than this (pixels) prints on a sheet of its own; a lower one shares
# its sheet with another (``PRINT_CSS``)
PRINT_HALF_SHEET = 520


def chart(
    figure: go.Figure,
    key: str,
    snapshot: queries.Snapshot,
    lang: str,
    container=None,
) -> None:
    """Draw ``figure`` with the "data as of" note under it (added to ``figure`` itself:
    pass a figure built for this drawing). In print it is scaled to the sheet: in a
    column (``container``) to the column, else to half a sheet, or to a whole one when
    the figure is taller than ``PRINT_HALF_SHEET``."""
    target = container if container is not None else st
    height = figure.layout.height or 450  # plotly's default height
    kind = "pair" if container is not None else "half"
    if height > PRINT_HALF_SHEET:
        kind = "sheet"
    target.container(key=f"print-{kind}-{key}").plotly_chart(
        charts.add_note(figure, as_of_note(snapshot, lang)),
        key=key,
        config=plotly_config(key.replace(".", "-")),
    )


NUMBER = re.compile(r"[-+]?\d[\d,.]*[^\d\s]{0,4}|—")  # 1,234.50  75.0%  1.2万  —


def print_table(frame: pd.DataFrame) -> str:
    """``frame`` as a plain HTML table for print (``PRINT_CSS`` shows it only there):
    every row and column, the header repeated on each sheet, every cell and header
    escaped (``escape.html``) so a name from data is text; columns whose every value is
    a number (or "—") are aligned right."""
    columns = [[str(value) for value in frame[name]] for name in frame.columns]
    numeric = [bool(values) and all(NUMBER.fullmatch(v) for v in values) for values in columns]

    def cell(tag: str, text: object, number: bool) -> str:
        kind = ' class="number"' if number else ""
        return f"<{tag}{kind}>{escape.html(text)}</{tag}>"

    head = "".join(cell("th", name, n) for name, n in zip(frame.columns, numeric, strict=True))
    rows = "".join(
        "<tr>" + "".join(cell("td", v, n) for v, n in zip(row, numeric, strict=True)) + "</tr>"
        for row in zip(*columns, strict=True)
    )
    return (
        f'<div class="print-only"><table class="print-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


# A table longer than this prints its first PRINT_ROWS rows and says so, unless the
# reader turns on the print version (``print_all_switch``): the print copy of the data
# quality lists (thousands of rows on a bureau's data) cost the page a third of its
# load time in the browser, on every load, for a print few readers make.
PRINT_ROWS = 200
PRINT_ALL_KEY = "print.all"
_LONG_TABLE_KEY = "print.long_table"  # this run drew a table longer than PRINT_ROWS


def table(frame: pd.DataFrame, key: str, lang: str, container=None, style=None) -> None:
    """A table of the page (in ``container``, else the page): the interactive grid on
    screen, its plain copy in print (``print_table``): whole, or its first
    ``PRINT_ROWS`` rows and a line saying how to print all of them. One with no row is
    a sentence in the page's language instead (Streamlit writes an empty table's only
    cell as "empty", in English). ``style(frame, lang)``, when given, styles the grid on
    screen (a pandas Styler: colours); the print copy is the plain text."""
    target = container if container is not None else st
    if frame.empty:
        target.info(i18n.t("table.empty", lang))
        return
    shown = frame if style is None else style(frame, lang)
    target.dataframe(shown, hide_index=True, key=key)
    if len(frame) <= PRINT_ROWS or st.session_state.get(PRINT_ALL_KEY):
        target.html(print_table(frame))
    else:
        cut = i18n.t("print.cut", lang, total=f"{len(frame):,}", shown=f"{PRINT_ROWS:,}")
        target.html(
            print_table(frame.head(PRINT_ROWS)) + f'<p class="print-only">{escape.html(cut)}</p>'
        )
    if len(frame) > PRINT_ROWS:
        st.session_state[_LONG_TABLE_KEY] = True


def print_all_switch(lang: str) -> None:
    """The sidebar's "print version" switch, on a page that drew a table longer than
    ``PRINT_ROWS`` in this run (``table``): on, every row of every table prints."""
    if st.session_state.pop(_LONG_TABLE_KEY, False):
        st.sidebar.toggle(i18n.t("print.all", lang), key=PRINT_ALL_KEY)


def print_header(filters_text: str, snapshot: queries.Snapshot, title_key: str, lang: str) -> None:
    """What every printed sheet carries in its margins: the period and filters
    (``filters_text``, plain text), the "data as of" line, the page's title and the
    sheet's number; every text as a CSS string (``escape.css_string``)."""
    boxes = {
        "top-left": escape.css_string(filters_text),
        "top-right": escape.css_string(as_of_note(snapshot, lang)),
        "bottom-left": escape.css_string(i18n.t(title_key, lang)),
        "bottom-right": 'counter(page) " / " counter(pages)',
    }
    rules = " ".join(
        f"@{box} {{ content: {content}; font-size: 8pt; color: #555; }}"
        for box, content in boxes.items()
    )
    st.html(f"<style>@media print {{ @page {{ {rules} }} }}</style>")


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
        print_header(
            filters.describe(chosen, snapshot, lang, scope(), str), snapshot, title_key, lang
        )
        if not queries.available_months(snapshot):
            st.info(i18n.t("page.no_data", lang))
            return
        render(snapshot, chosen, lang)
        # the page's last element, in a container whose key gives it the CSS class
        # st-key-page-end: once it is in the page, so is every element above it (the
        # browser test and bench/browser.py wait for it, then for the charts' SVG)
        print_all_switch(lang)
        with st.container(key=PAGE_END_KEY):
            st.caption(as_of_note(snapshot, lang))
    except NoSnapshot:
        st.warning(i18n.t("snapshot.missing", lang), icon=":material/database:")
    except queries.SnapshotChanged:
        st.rerun()  # `make build` published a new snapshot mid-run: start again on it
