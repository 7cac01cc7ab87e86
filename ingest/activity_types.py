"""Validation of an activity types file: the seed's columns (``seeds/activity_types.csv``:
code, Chinese and English names, category, aliases) sent through the inbox, so a bureau
adds types and aliases without editing the project's files. The models merge them
with the seed, the inbox winning on the same code (``int_activity_types_merged``).

A row is rejected without its code (``missing_type_code``) or with a category that is
none of the four (``bad_category``): a type counted under a category it does not have
would move its hours out of, or into, the volunteer-service figures without a word.
A category may be written as its code or its name (``志愿服务``); the seed's own header
``category``, which in every other file names the activity type, is read as the
category here. Codes are lower-cased (labels match them ignoring case); aliases may be
separated by ``|`` as in the seed, or by ``、`` ``,`` ``;``; an empty Chinese name is
the English name, else the code.
"""

from __future__ import annotations

from ingest.cell_sql import Formats, Lookup, Rule
from ingest.schema import CATEGORY_WORDS
from kernel.sqltext import quote

# The separators of aliases a person types, each read as the seed's `|`.
_ALIAS_SEPARATORS = r"\s*[|、,，;；]\s*"


def _category_sql(v: str) -> str:
    """SQL of the category code a written category stands for; null for none."""
    whens = " ".join(
        f"when lower({v}) in ({', '.join(quote(w.lower()) for w in words)}) then '{code}'"
        for code, words in CATEGORY_WORDS.items()
    )
    return f"case {whens} end"


Built = tuple[list[Lookup], list[str], list[Rule], list[str]]


def activity_types_builder(columns: dict[str, str], formats: Formats | None = None) -> Built:
    """What ``validating.build_query`` needs for an activity types file: no lookups, the
    parsed columns, the rules in the order of the reasons, and the output columns
    (``formats``: none apply, as a types file holds no date or time)."""
    written = "coalesce(type_category, activity_type)"
    category_header = columns.get("type_category") or columns.get("activity_type", "type_category")
    parsed = [
        "lower(activity_type_code) as code_v",
        f"{_category_sql(written)} as category_v",
        f"nullif(trim(regexp_replace(aliases, '{_ALIAS_SEPARATORS}', '|', 'g'), '|'), '') "
        "as aliases_v",
    ]
    rules = [
        Rule(
            "missing_type_code",
            "activity_type_code is null",
            quote(columns.get("activity_type_code", "activity_type_code")),
        ),
        Rule("bad_category", "category_v is null", quote(category_header), written),
    ]
    output = [
        "code_v as activity_type_code",
        "coalesce(name_zh, name_en, code_v) as name_zh",
        "name_en",
        "category_v as category",
        "aliases_v as aliases",
    ]
    return [], parsed, rules, output
