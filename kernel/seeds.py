"""The names of codes, read from the reference seeds (``seeds/*.csv``) that dbt loads:
organization types, activity types and the 三会一课 cadences, so a page or a file never
spells a type's name itself.

Each seed row has a code and its ``name_zh`` and ``name_en``; the files are small and
read once.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# The district of organizations that cannot be placed (code ``unknown``): one name in
# each language on every page, file and report (dim_districts writes the Chinese one).
UNKNOWN_DISTRICT = {"zh": "未归属区域", "en": "Unassigned"}

# Organization types the models give that are not rows of ``organization_types``:
# ``other`` is int_organizations_attributed's type for a label no seed term matches,
# and ``unknown`` the type of the organization that collects unmatched codes. They
# stay here rather than in the seed because each seed row's names become terms a
# label is matched against: an ``unknown`` row would turn an organization labelled
# 未知 into type ``unknown`` (today ``other``), changing the marts.
ORGANIZATION_TYPE_FALLBACKS = {
    "other": {"zh": "其他", "en": "Other"},
    "unknown": {"zh": "未知", "en": "Unknown"},
}


@cache
def rows(seed: str) -> tuple[dict[str, str], ...]:
    """The rows of ``seeds/<seed>.csv``, in the file's order."""
    with (SEEDS / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def names(seed: str, code_column: str, lang: str = "zh") -> dict[str, str]:
    """Each code of a seed with its name in ``lang`` (``zh`` or ``en``), in file order."""
    column = "name_zh" if lang == "zh" else "name_en"
    return {row[code_column]: row[column] for row in rows(seed)}


def organization_type_names(lang: str = "zh") -> dict[str, str]:
    """Every organization type the marts carry, with its name in ``lang`` (the seed's
    name wins over a fallback, should the seed ever list the type)."""
    fallbacks = {code: pair[lang] for code, pair in ORGANIZATION_TYPE_FALLBACKS.items()}
    return fallbacks | names("organization_types", "org_type_code", lang)


def activity_type_names(lang: str = "zh") -> dict[str, str]:
    """Every activity type with its name in ``lang``."""
    return names("activity_types", "activity_type_code", lang)


def cadences() -> dict[str, str]:
    """The 三会一课 activity types with their cadence (``monthly``, ``quarterly``), in
    the seed's order."""
    return {row["activity_type_code"]: row["cadence"] for row in rows("cadence_targets")}
