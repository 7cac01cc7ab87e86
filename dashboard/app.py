"""Entry script: page configuration, the language switch and routing only
(``streamlit run dashboard/app.py``; ``make dashboard`` serves it through
``dashboard/server.py``, which mends deep links).

Pages are grouped by section; a new page is one more ``st.Page`` in its section (a new
file under ``pages/`` and its labels in ``i18n.py``). Each page reads its own data and
draws the shared sidebar filters (``dashboard/filters.py``). The exports page
(``pages/exports.py``) is listed only when its file is there.
Pages carry no ``:material/...:`` icon: Streamlit would fetch the tab's icon from
fonts.gstatic.com, which an offline intranet cannot reach.
Run it with the repository root importable, e.g. ``python -m streamlit run ...`` from
the root, as ``make dashboard`` does.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import i18n, layout

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title=i18n.t("app.title"), layout="wide")
lang = layout.language_switch()


def page(file: str, title_key: str, url_path: str, default: bool = False) -> st.Page:
    return st.Page(
        f"pages/{file}", title=i18n.t(title_key, lang), url_path=url_path, default=default
    )


sections = {
    i18n.t("nav.section.overview", lang): [
        page("overview.py", "nav.overview", "overview", default=True),
    ],
    i18n.t("nav.section.analysis", lang): [
        page("districts.py", "nav.districts", "districts"),
        page("units.py", "nav.units", "units"),
        page("people.py", "nav.people", "people"),
        page("activities.py", "nav.activities", "activities"),
    ],
    i18n.t("nav.section.data", lang): [
        page("data_quality.py", "nav.data_quality", "data-quality"),
        page("submissions.py", "nav.submissions", "submissions"),
    ],
}
if (PAGES / "exports.py").exists():
    sections[i18n.t("nav.section.exports", lang)] = [page("exports.py", "nav.exports", "exports")]

st.navigation(sections).run()
