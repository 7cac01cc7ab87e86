"""The sidebar filters every page shares, kept in the URL so a link reproduces the view.

``current_filters(snapshot, lang)`` draws the filters in the sidebar (period, district,
organization, person type, activity category) and returns them as a
``queries.Filters``. Every page calls it (the exports page too), so one choice applies
on every page.

The choice lives in three places, each with one job:

- the URL's query parameters (``from``, ``to``, ``district``, ``org``, ``ptype``,
  ``cat``; repeated for several values): read once when a session starts, so a link
  opens the view it was copied from, and rewritten on every run, so the address bar
  always holds the current view. Values are checked against what the snapshot offers
  and the scope allows; anything else (a hostile or stale value) is ignored and never
  reaches SQL except as a bound parameter of a known code;
- ``st.session_state[CHOICE_KEY]``, a plain value that survives a change of page
  (Streamlit forgets the state of a widget its page no longer draws);
- the widgets' own keys, seeded from that value on every run (the months slider: as
  its default, see ``current_filters``) and copied back to it by their ``on_change``
  callbacks (the pattern Streamlit documents for keeping widget values across pages).

The pure parts (``choice_from_params``, ``params_of``) take plain values, so tests call
them without Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from dashboard import escape, i18n, queries
from kernel import formatting

CHOICE_KEY = "filters.choice"
MONTHS_KEY = "filters.months"
DISTRICTS_KEY = "filters.districts"
ORGANIZATIONS_KEY = "filters.organizations"
PERSON_TYPES_KEY = "filters.person_types"
CATEGORIES_KEY = "filters.categories"
IGNORED_KEY = "filters.ignored"  # what the link that opened the session could not use
DEFAULT_MONTHS = 12  # a new session opens on the last 12 months with data (or all)

# query-parameter names, and the widget each one feeds
PARAM_FROM = "from"
PARAM_TO = "to"
PARAM_DISTRICT = "district"
PARAM_ORG = "org"
PARAM_PERSON_TYPE = "ptype"
PARAM_CATEGORY = "cat"
PARAM_LANGUAGE = "lang"
FILTER_PARAMS = (
    PARAM_FROM,
    PARAM_TO,
    PARAM_DISTRICT,
    PARAM_ORG,
    PARAM_PERSON_TYPE,
    PARAM_CATEGORY,
)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_MAX_VALUES = 200  # more values than any widget offers is not a link anyone copied


@dataclass(frozen=True)
class Offer:
    """What the filters can choose from: the snapshot's months and codes in scope."""

    months: tuple[str, ...]
    districts: tuple[str, ...]
    organizations: tuple[str, ...]
    person_types: tuple[str, ...]
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    """What is chosen: a range of months and, per dimension, codes (empty: all)."""

    month_from: str
    month_to: str
    districts: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    person_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def filters(self) -> queries.Filters:
        return queries.Filters(
            self.month_from,
            self.month_to,
            self.districts or None,
            self.organizations or None,
            self.person_types or None,
            self.categories or None,
        )


def default_choice(offer: Offer) -> Choice:
    """The last ``DEFAULT_MONTHS`` months with data, everything else open."""
    months = offer.months
    return Choice(months[max(0, len(months) - DEFAULT_MONTHS)], months[-1])


def _values(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    raw = params.get(name) or []
    if isinstance(raw, str):
        raw = [raw]
    return [value for value in list(raw)[:_MAX_VALUES] if isinstance(value, str)]


def _known(values: Sequence[str], offered: Sequence[str]) -> tuple[str, ...]:
    allowed = set(offered)
    return tuple(dict.fromkeys(value for value in values if value in allowed))


def valid_choice(choice: Choice, offer: Offer) -> Choice:
    """``choice`` with every value the offer does not hold dropped; a range outside the
    months on offer falls back to the default range."""
    months = offer.months
    month_from, month_to = choice.month_from, choice.month_to
    if month_from not in months or month_to not in months or month_from > month_to:
        fallback = default_choice(offer)
        month_from, month_to = fallback.month_from, fallback.month_to
    return Choice(
        month_from,
        month_to,
        _known(choice.districts, offer.districts),
        _known(choice.organizations, offer.organizations),
        _known(choice.person_types, offer.person_types),
        _known(choice.categories, offer.categories),
    )


@dataclass(frozen=True)
class Ignored:
    """A URL value the view did not use, for the note the page shows: the parameter,
    its values as given, and why (``IGNORED_REASONS``)."""

    param: str
    values: tuple[str, ...]
    reason: str


IGNORED_REASONS = ("reversed", "month", "unknown", "language")
_CODE_PARAMS = (  # parameter, Choice field, Offer field
    (PARAM_DISTRICT, "districts"),
    (PARAM_ORG, "organizations"),
    (PARAM_PERSON_TYPE, "person_types"),
    (PARAM_CATEGORY, "categories"),
)


def read_params(
    params: Mapping[str, Sequence[str]], offer: Offer
) -> tuple[Choice, tuple[Ignored, ...]]:
    """The choice a URL's query parameters describe, checked against ``offer``, and
    every value it did not use.

    ``params`` maps a name to its values (``st.query_params.to_dict()`` keeps only the
    last of a repeated key, so pages pass ``{name: st.query_params.get_all(name)}``).
    A month that is not ``YYYY-MM`` or not on offer makes the period the default one;
    a period whose ``from`` comes after its ``to`` is read the right way round
    (``from=2025-03&to=2025-01`` is January to March); a code the snapshot does not
    hold (or the scope does not allow) is dropped, and with no code left that filter
    is open. Each of these is an ``Ignored``, so the page can say what it did.
    """
    default = default_choice(offer)
    ignored: list[Ignored] = []
    months: dict[str, str] = {}
    for name, fallback in ((PARAM_FROM, default.month_from), (PARAM_TO, default.month_to)):
        given = _values(params, name)
        if given and not (_MONTH.match(given[0]) and given[0] in offer.months):
            ignored.append(Ignored(name, (given[0],), "month"))
        months[name] = given[0] if given else fallback
    month_from, month_to = months[PARAM_FROM], months[PARAM_TO]
    if not _values(params, PARAM_FROM):  # only `to`: the default start, or `to` itself
        month_from = min(month_from, month_to)
    if ignored:
        month_from, month_to = default.month_from, default.month_to
    elif month_from > month_to:
        ignored.append(Ignored(f"{PARAM_FROM}/{PARAM_TO}", (month_from, month_to), "reversed"))
        month_from, month_to = month_to, month_from
    codes: dict[str, tuple[str, ...]] = {}
    for name, field in _CODE_PARAMS:
        asked = tuple(dict.fromkeys(_values(params, name)))
        codes[field] = _known(asked, getattr(offer, field))
        dropped = tuple(value for value in asked if value not in codes[field])
        if dropped:
            ignored.append(Ignored(name, dropped, "unknown"))
    return Choice(month_from, month_to, **codes), tuple(ignored)


def choice_from_params(params: Mapping[str, Sequence[str]], offer: Offer) -> Choice:
    """The choice of ``read_params``, without what it ignored."""
    return read_params(params, offer)[0]


def params_of(choice: Choice) -> dict[str, list[str]]:
    """The query parameters that reproduce ``choice`` (empty selections left out)."""
    params = {PARAM_FROM: [choice.month_from], PARAM_TO: [choice.month_to]}
    for name, values in (
        (PARAM_DISTRICT, choice.districts),
        (PARAM_ORG, choice.organizations),
        (PARAM_PERSON_TYPE, choice.person_types),
        (PARAM_CATEGORY, choice.categories),
    ):
        if values:
            params[name] = list(values)
    return params


# -- Streamlit ----------------------------------------------------------------------


def _offer(snapshot: queries.Snapshot, scope: queries.Scope) -> tuple[Offer, pd.DataFrame]:
    months = queries.available_months(snapshot) or [snapshot.as_of[:7]]
    organizations = queries.organizations(snapshot, scope)
    offer = Offer(
        months=tuple(months),
        districts=tuple(str(code) for code in queries.districts(snapshot, scope)["district_code"]),
        organizations=tuple(str(code) for code in organizations["org_code"]),
        person_types=tuple(queries.person_types(snapshot)),
        categories=tuple(queries.categories(snapshot)),
    )
    return offer, organizations


def _url_params() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in FILTER_PARAMS}


def _write_url(choice: Choice) -> None:
    wanted = params_of(choice)
    for name in FILTER_PARAMS:
        values = wanted.get(name)
        if values is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get_all(name) != values:
            st.query_params[name] = values if len(values) > 1 else values[0]


def _store(widget_key: str, field: str) -> None:
    """An ``on_change`` callback: copy a widget's new value into the stored choice."""
    value = st.session_state[widget_key]
    choice: Choice = st.session_state[CHOICE_KEY]
    st.session_state.pop(IGNORED_KEY, None)  # the reader chose: the link's note is done
    if field == "months":
        first, last = value
        st.session_state[CHOICE_KEY] = replace(choice, month_from=first, month_to=last)
    else:
        st.session_state[CHOICE_KEY] = replace(choice, **{field: tuple(value)})


def _multiselect(
    label: str,
    widget_key: str,
    field: str,
    options: Sequence[str],
    chosen: tuple[str, ...],
    format_func,
    placeholder: str,
) -> None:
    st.session_state[widget_key] = [code for code in chosen if code in options]
    st.multiselect(
        label,
        options=list(options),
        format_func=format_func,
        placeholder=placeholder,
        # no "Select all" entry: Streamlit writes it in English only, and choosing
        # nothing already means all
        select_all=False,
        key=widget_key,
        on_change=_store,
        args=(widget_key, field),
    )


def org_label(code: str, name: str | None, lang: str) -> str:
    """An organization as the filters list it: its name and code."""
    if code == "unknown":
        return i18n.t("org.unknown", lang)
    return i18n.t("filters.org_option", lang, name=name or code, code=code)


def current_filters(snapshot: queries.Snapshot, lang: str, scope: queries.Scope) -> queries.Filters:
    """Draw the sidebar filters and return what they choose (see the module docstring).

    When the snapshot holds no approved session the period is the month of its data
    cut-off, so every figure reads zero.
    """
    offer, organizations = _offer(snapshot, scope)
    fresh = CHOICE_KEY not in st.session_state
    ignored: tuple[Ignored, ...] = ()
    if fresh:
        st.session_state[CHOICE_KEY], ignored = read_params(_url_params(), offer)
    choice = valid_choice(st.session_state[CHOICE_KEY], offer)
    # organizations on offer follow the districts chosen
    if choice.districts:
        in_districts = organizations["district_code"].isin(choice.districts)
        organizations = organizations[in_districts]
        narrowed = _known(choice.organizations, list(organizations["org_code"]))
        outside = tuple(code for code in choice.organizations if code not in narrowed)
        if fresh and outside:  # a link's organization outside its districts
            ignored += (Ignored(PARAM_ORG, outside, "unknown"),)
        choice = replace(choice, organizations=narrowed)
    if ignored:
        note_ignored(ignored)
    st.session_state[CHOICE_KEY] = choice

    names = dict(zip(organizations["org_code"], organizations["org_name"], strict=True))
    district_frame = queries.districts(snapshot, scope)
    district_names = dict(
        zip(district_frame["district_code"], district_frame["district_name"], strict=True)
    )
    with st.sidebar:
        st.header(i18n.t("filters.title", lang))
        if len(offer.months) == 1:
            st.caption(
                i18n.t(
                    "filters.single_month",
                    lang,
                    month=formatting.format_month(offer.months[0], lang),
                )
            )
        else:
            # The stored choice is the widget's default, never written into its key:
            # a widget created with a default and a value set through st.session_state
            # makes Streamlit log a warning with a stack trace. Each page's slider is
            # a widget of its own (its id holds the page), dropped when another page
            # runs, so on each page it starts again from the stored choice; while it
            # lives, its value is the choice (only its on_change changes the months).
            st.select_slider(
                i18n.t("filters.months", lang),
                options=list(offer.months),
                value=(choice.month_from, choice.month_to),  # a pair: a range slider
                format_func=lambda month: formatting.format_month(month, lang),
                key=MONTHS_KEY,
                on_change=_store,
                args=(MONTHS_KEY, "months"),
            )
        _multiselect(
            i18n.t("filters.districts", lang),
            DISTRICTS_KEY,
            "districts",
            offer.districts,
            choice.districts,
            lambda code: i18n.district_label(code, district_names.get(code), lang),
            i18n.t("filters.districts.placeholder", lang),
        )
        _multiselect(
            i18n.t("filters.organizations", lang),
            ORGANIZATIONS_KEY,
            "organizations",
            list(organizations["org_code"]),
            choice.organizations,
            lambda code: org_label(code, names.get(code), lang),
            i18n.t("filters.all", lang),
        )
        _multiselect(
            i18n.t("filters.person_types", lang),
            PERSON_TYPES_KEY,
            "person_types",
            offer.person_types,
            choice.person_types,
            lambda code: i18n.person_type_label(code, lang),
            i18n.t("filters.all", lang),
        )
        _multiselect(
            i18n.t("filters.categories", lang),
            CATEGORIES_KEY,
            "categories",
            offer.categories,
            choice.categories,
            lambda code: i18n.category_label(code, lang),
            i18n.t("filters.all", lang),
        )
    _write_url(choice)
    return choice.filters()


def note_ignored(ignored: Sequence[Ignored]) -> None:
    """Keep what a link could not use for the page's note (``layout.run_page``), after
    what is already kept (the language switch notes a bad ``lang`` first)."""
    st.session_state[IGNORED_KEY] = [*st.session_state.get(IGNORED_KEY, []), *ignored]


def labels(
    field: str,
    codes: Sequence[str],
    snapshot: queries.Snapshot,
    lang: str,
    scope: queries.Scope,
    text: Callable[[object], str] = escape.markdown,
) -> str:
    """``codes`` of one filter (a ``Choice`` field) as the reader reads them, joined:
    Markdown, every name from data escaped (``escape.markdown``); ``text=str`` gives
    plain text."""
    if field == "districts":
        frame = queries.districts(snapshot, scope)
        names = dict(zip(frame["district_code"], frame["district_name"], strict=True))
        words = [i18n.district_label(code, names.get(code), lang) for code in codes]
    elif field == "organizations":
        frame = queries.organizations(snapshot, scope)
        names = dict(zip(frame["org_code"], frame["org_name"], strict=True))
        words = [org_label(code, names.get(code), lang) for code in codes]
    elif field == "person_types":
        words = [i18n.person_type_label(code, lang) for code in codes]
    else:
        words = [i18n.category_label(code, lang) for code in codes]
    return i18n.t("filters.list_separator", lang).join(text(word) for word in words)


def describe(
    filters: queries.Filters,
    snapshot: queries.Snapshot,
    lang: str,
    scope: queries.Scope,
    text: Callable[[object], str] = escape.markdown,
) -> str:
    """One line naming the period and every filter in force, for captions and print:
    Markdown, with every name from data escaped (``escape.markdown``); ``text=str``
    gives it as plain text (the printed sheets' header, ``layout.print_header``).

    With no district or organization chosen, the line names the reader's scope: a
    district reader's districts, a unit reader's units (no district: a unit reader
    sees no district whole); "all districts" only for the bureau."""
    period = formatting.format_period(filters.month_from, filters.month_to, lang)
    parts = [i18n.t("filters.describe.period", lang, period=period)]
    districts = filters.districts or scope.districts
    organizations = filters.organizations or scope.organizations
    if districts:
        value = labels("districts", districts, snapshot, lang, scope, text)
        parts.append(i18n.t("filters.describe.districts", lang, value=value))
    elif scope.organizations is None:
        value = i18n.t("filters.all_districts", lang)
        parts.append(i18n.t("filters.describe.districts", lang, value=value))
    if organizations:
        value = labels("organizations", organizations, snapshot, lang, scope, text)
        parts.append(i18n.t("filters.describe.organizations", lang, value=value))
    for field in ("person_types", "categories"):
        codes = getattr(filters, field)
        if codes is not None:
            value = labels(field, codes, snapshot, lang, scope, text)
            parts.append(i18n.t(f"filters.describe.{field}", lang, value=value))
    return i18n.t("filters.describe.joiner", lang).join(parts)
