"""The dashboard's translation table, and how numbers, months and rates are written.

Every label a page or chart shows is a key of ``TRANSLATIONS``; Chinese is the default
and English is complete, so the language switch can arrive without touching a page.
The words are ``texts.TEXTS``, with each metric's name taken from the metric catalog
(``kernel.catalog``) and the type names from the seeds (``seeds/*_types.csv``), so a
name is written in one place. Pages read the language from Streamlit's session state
under ``LANGUAGE_KEY`` (``session_language``); everything else takes ``lang`` as a
parameter.

Numbers are rounded half up (as the exports are), from exact values: hours are given
as whole minutes, rates as a numerator and a denominator. In Chinese a large figure
reads in 万 or 亿 (12,345 -> 1.2万), a month reads 2025年3月.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from dashboard import texts, texts_submissions
from kernel import catalog, formatting, reasons, seeds

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_KEY = "lang"

# key prefix: the seed that names the codes, and its code column
SEEDED_NAMES = {
    "person_type": ("person_types", "person_type_code"),
    "org_type": ("organization_types", "org_type_code"),
    "activity": ("activity_types", "activity_type_code"),
}
_METRIC = re.compile(r"\{metric:(\w+)\}")


def _seed_names() -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for prefix, (seed, code) in SEEDED_NAMES.items():
        for lang in LANGUAGES:
            names = (
                seeds.organization_type_names(lang)  # with the types no seed row names
                if seed == "organization_types"
                else seeds.names(seed, code, lang)
            )
            for value, name in names.items():
                entries.setdefault(f"{prefix}.{value}", {})[lang] = name
    return entries


def _named(text: str, lang: str) -> str:
    """``text`` with each ``{metric:<key>}`` replaced by the metric's catalog name."""
    return _METRIC.sub(lambda match: catalog.label(match[1], lang), text)


@functools.cache
def translations() -> dict[str, dict[str, str]]:
    """The whole table (built on first use): ``texts.TEXTS`` with the catalog's metric
    names filled in, and the seeds' type names."""
    table = {
        key: {lang: _named(text, lang) for lang, text in entry.items()}
        for key, entry in {**texts.TEXTS, **texts_submissions.TEXTS}.items()
    }
    for key, entry in _seed_names().items():
        if key in table:
            raise ValueError(f"{key} is named by its seed: remove it from dashboard/texts.py")
        table[key] = entry
    return table


def __getattr__(name: str) -> Any:
    if name == "TRANSLATIONS":  # the table, read when first asked for
        return translations()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def session_language(state: Mapping[str, Any]) -> str:
    """The language a session chose (``state[LANGUAGE_KEY]``), else the default."""
    chosen = state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    try:
        entry = translations()[key]
    except KeyError:
        raise KeyError(
            f"no translation for {key!r} in dashboard/i18n.py's table: add it to dashboard/texts.py"
        ) from None
    text = entry[lang] if lang in entry else entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def category_label(category: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """An activity category's label; an unlisted category shows its code."""
    key = f"category.{category}"
    return t(key, lang) if key in translations() else category


def person_type_label(person_type: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A person type's label; an unlisted type shows its code."""
    key = f"person_type.{person_type}"
    return t(key, lang) if key in translations() else person_type


def district_label(code: str, name: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A district's name from the data; the ``unknown`` district gets a translated label."""
    if code == "unknown":
        return t("district.unknown", lang)
    return name or code


def format_points(
    current: tuple[int, int], previous: tuple[int, int], lang: str = DEFAULT_LANGUAGE
) -> str | None:
    """The change of a rate (numerator, denominator) in percentage points, one decimal,
    from the exact rates; None when either rate is empty."""
    change = formatting.points_change(current, previous)
    return None if change is None else t("change.points", lang, value=change)


_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def format_period_code(period: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A compliance period: a month (``2025-03``) or a quarter (``2025-Q2``)."""
    match = _QUARTER.match(period)
    if match is not None:
        return t("period.quarter", lang, year=int(match[1]), quarter=int(match[2]))
    return formatting.format_month(period, lang)


def _labelled(prefix: str, code: str, lang: str) -> str:
    key = f"{prefix}.{code}"
    return t(key, lang) if key in translations() else code


def org_type_label(org_type: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """An organization type's label; an unlisted type shows its code."""
    return _labelled("org_type", org_type, lang)


def quota_label(quota_code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A quota's short label; an unlisted quota shows its code."""
    return _labelled("quota", quota_code, lang)


def reason_label(reason_code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A reject reason's name, from the one list of reasons (seeds/reject_reasons.csv);
    an unlisted reason shows its code."""
    return reasons.reason_name(reason_code, lang)
