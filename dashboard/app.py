"""Entry script: page configuration and routing only (``streamlit run dashboard/app.py``).

Pages are grouped by section; a new page is one more ``st.Page`` in its section (a new
file under ``pages/`` and its labels in ``i18n.py``). Each page reads its own data.
Pages carry no ``:material/...:`` icon: Streamlit would fetch the tab's icon from
fonts.gstatic.com, which an offline intranet cannot reach.
Run it with the repository root importable, e.g. ``python -m streamlit run ...`` from
the root, as ``make dashboard`` does.
"""

from __future__ import annotations

import streamlit as st

from dashboard import i18n

lang = i18n.session_language(st.session_state)

st.set_page_config(page_title=i18n.t("app.title", lang), layout="wide")

sections = {
    i18n.t("nav.section.overview", lang): [
        st.Page(
            "pages/overview.py",
            title=i18n.t("nav.overview", lang),
            url_path="overview",
            default=True,
        ),
    ],
}

st.navigation(sections).run()
