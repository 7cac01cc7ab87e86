"""The note a page shows when the link that opened it held values the view could not
use (``filters.read_params``, ``layout.language_switch``): a reversed period (read the
right way round), a month the snapshot does not hold, a code not in the data or the
reader's scope, a language the dashboard does not speak. Each line names the
parameter, the value as given (as text: escaped, and cut short when long) and what the
page shows instead, in the page's language. The note stays until the reader changes a
filter (``filters._store``).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard import escape, filters, i18n, queries
from kernel import formatting

MAX_SHOWN_VALUES = 5
MAX_VALUE_CHARS = 40
_FIELDS = {  # the parameter of each code filter, and its Filters field
    filters.PARAM_DISTRICT: "districts",
    filters.PARAM_ORG: "organizations",
    filters.PARAM_PERSON_TYPE: "person_types",
    filters.PARAM_CATEGORY: "categories",
}


def shown_value(value: str) -> str:
    """A value from the URL as the note shows it: cut to ``MAX_VALUE_CHARS``, escaped
    for Markdown, in quotation marks."""
    cut = value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"
    return f"“{escape.markdown(cut)}”"


def shown_values(values: Sequence[str], lang: str) -> str:
    words = [shown_value(value) for value in values[:MAX_SHOWN_VALUES]]
    if len(values) > MAX_SHOWN_VALUES:
        words.append(i18n.t("filters.ignored.more", lang, count=len(values) - MAX_SHOWN_VALUES))
    return i18n.t("filters.list_separator", lang).join(words)


def note(
    ignored: filters.Ignored,
    chosen: queries.Filters,
    snapshot: queries.Snapshot,
    lang: str,
    scope: queries.Scope,
) -> str:
    """One line of the note (Markdown)."""
    period = formatting.format_period(chosen.month_from, chosen.month_to, lang)
    if ignored.reason == "reversed":
        first, last = ignored.values
        return i18n.t(
            "filters.ignored.reversed",
            lang,
            first=shown_value(first),
            last=shown_value(last),
            used=period,
        )
    if ignored.reason == "month":
        return i18n.t(
            "filters.ignored.month",
            lang,
            param=ignored.param,
            value=shown_values(ignored.values, lang),
            used=period,
        )
    if ignored.reason == "language":
        return i18n.t(
            "filters.ignored.language",
            lang,
            value=shown_values(ignored.values, lang),
            used=i18n.t(f"language.{i18n.DEFAULT_LANGUAGE}", lang),
        )
    field = _FIELDS[ignored.param]
    # what is shown instead: the codes left, else the reader's scope, else all
    codes = getattr(chosen, field) or getattr(scope, field, None)
    if codes:
        used = filters.labels(field, codes, snapshot, lang, scope)
    elif field == "districts" and scope.is_bureau:
        used = i18n.t("filters.all_districts", lang)
    else:
        used = i18n.t("filters.all", lang)
    return i18n.t(
        "filters.ignored.unknown",
        lang,
        param=ignored.param,
        value=shown_values(ignored.values, lang),
        used=used,
    )


def show(
    chosen: queries.Filters, snapshot: queries.Snapshot, lang: str, scope: queries.Scope
) -> None:
    """The note, when the session's link held anything the view did not use."""
    ignored = st.session_state.get(filters.IGNORED_KEY) or []
    if ignored:
        lines = [note(item, chosen, snapshot, lang, scope) for item in ignored]
        st.warning("  \n".join(lines), icon=":material/link_off:")
