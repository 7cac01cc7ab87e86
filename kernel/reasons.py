"""The reject reasons: one list (``seeds/reject_reasons.csv``), and their messages.

DESIGN.md ("Validation") keeps the reason codes in one place that ingest, the dbt
models and the tests all read: the seed ``reject_reasons`` holds every code in the
order that decides which reason a row with several faults gets, its name and its
message in Chinese and English. dbt loads it as a seed (the data-quality marts are
tested against it); ingest's rules are checked against its order
(``tests/ingest/test_reasons.py``).

A reject is stored as its code, the column it concerns and that column's value,
masked (``lake/rejects/``); its message is written here, when it is shown, in the
reader's language: never stored, so a message can never carry a number the mask
did not see, and a reader gets it in their own language.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "reject_reasons.csv"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


@dataclass(frozen=True)
class Reason:
    """One reason code: its rank among the reasons, names and message templates."""

    code: str
    precedence: int
    name_en: str
    name_zh: str
    message_en: str
    message_zh: str
    # how to correct a row rejected for it, for the returns to schools (退回清单)
    fix_zh: str = ""

    def name(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.name_zh if lang == "zh" else self.name_en


@cache
def catalog() -> dict[str, Reason]:
    """Every reason of the seed, in precedence order."""
    with SEED.open(encoding="utf-8", newline="") as handle:
        rows = [
            Reason(
                row["reason_code"],
                int(row["precedence"]),
                row["name_en"],
                row["name_zh"],
                row["message_en"],
                row["message_zh"],
                row.get("fix_zh") or "",
            )
            for row in csv.DictReader(handle)
        ]
    return {reason.code: reason for reason in sorted(rows, key=lambda r: r.precedence)}


def codes() -> tuple[str, ...]:
    """The reason codes, in precedence order."""
    return tuple(catalog())


def reason_name(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A reason's short name; a code the list does not hold is shown as itself."""
    reason = catalog().get(code)
    return reason.name(lang) if reason else code


_UNNAMED = re.compile(r"^column (\d+)$")
# a column a message cannot name: the message still reads as a sentence
UNNAMED_COLUMN = {"zh": "某一列", "en": "a column"}


def fix(code: str) -> str:
    """How to correct a row rejected for ``code``, in Chinese (the returns to schools);
    empty for a code the list does not hold."""
    reason = catalog().get(code)
    return reason.fix_zh if reason else ""


def column_label(column: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """How a message names the column(s) of a reject: ``活动日期`` is ``column 活动日期``
    or “活动日期”列; several (``人员编号/身份证号/手机号``) are alternatives; a cell
    without a header (``column 8``) is 第 8 列."""
    names = [name for name in (column or "").split("/") if name]
    if not names:  # a reject migrated from a lake that no longer holds its batch
        return UNNAMED_COLUMN["zh" if lang == "zh" else "en"]

    def one(name: str) -> str:
        unnamed = _UNNAMED.match(name)
        if lang == "zh":
            return f"第 {unnamed.group(1)} 列" if unnamed else f"“{name}”"
        return name

    parts = [one(name) for name in names]
    joined, last = ("", "或") if lang == "zh" else (", ", " or ")
    text = parts[0] if len(parts) == 1 else joined.join(parts[:-1]) + last + parts[-1]
    if _UNNAMED.match(names[-1] if lang == "zh" else names[0]):
        return text  # 第 8 列, column 8
    return f"{text}列" if lang == "zh" else f"column {text}"


def message(
    code: str,
    column: str | None,
    value: str | None,
    lang: str = DEFAULT_LANGUAGE,
) -> str:
    """The message of a reject, in ``lang``: what is wrong with the row and what to do.
    ``value`` is the stored value, already masked by ingest."""
    reason = catalog().get(code)
    if reason is None:  # a code from a newer release: say at least what it is
        return f"{code}: {column_label(column, lang)}"
    template = reason.message_zh if lang == "zh" else reason.message_en
    # a value unknown (a reject migrated from a lake that stored none) reads as …
    text = template.format(column=column_label(column, lang), value=value or "…")
    hint = date_hint(value, lang) if code == "bad_date" else ""
    return f"{text}{hint}"


# A date written month first or day first with slashes (``01/31/2023``, ``1/5/2023``):
# no order of day and month is guessed, but a mapping can declare it (``formats:``).
_SLASHED_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_DATE_HINTS = {
    "en": '; looks like {shape}: add `formats: {{activity_date: "{format}"}}` to the mapping',
    "zh": '；看起来是 {shape} 格式：请在映射文件中加上 `formats: {{activity_date: "{format}"}}`',
}


def date_hint(value: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """What a ``bad_date`` message adds for a date with slashes and the year last: the
    ``formats:`` line that reads it. Month first (``MM/DD/YYYY``, the US order) when
    that is a real date, else day first (``31/01/2023``: ``DD/MM/YYYY``) when that is;
    empty for any other value."""
    if _SLASHED_DATE.match(value or "") is None:
        return ""
    for shape, fmt in (("MM/DD/YYYY", "%m/%d/%Y"), ("DD/MM/YYYY", "%d/%m/%Y")):
        try:
            dt.datetime.strptime(value or "", fmt)
        except ValueError:
            continue
        return _DATE_HINTS["zh" if lang == "zh" else "en"].format(shape=shape, format=fmt)
    return ""
