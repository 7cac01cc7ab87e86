"""Finding the header in the first rows of a file or sheet, one row or two.

The header row is the first row whose cells map to the columns of a known kind;
rows above it (a title, a date, a note) are skipped. Exports made from Excel
reports often have a two-row header: group cells merged across several columns
above the column names, and a column whose name spans both rows merged
vertically::

    | 学校 | 人员信息           | 活动信息                  |
    |      | 姓名 | 工号 | 身份证号 | 日期 | 类型 | 时长 | 状态 |

A merged range keeps its text in its top-left cell only, and neither a CSV nor
openpyxl's read-only mode says where a range ends, so the two rows are flattened
from their text alone:

- a blank cell of the upper row takes the text to its left (the group it lies in);
- a column whose lower cell is blank is named by its upper cell (merged down);
- otherwise the lower text names the column when it maps to a canonical column
  by itself (``日期``); else the group text and the lower text joined, when that
  maps (``活动`` + ``类型``, after dropping a group word such as ``信息``), else
  the two joined as they are (``人员信息备注``, listed as unmapped).

The row above the header row is read as the upper half of a two-row header only
when flattening the two makes more columns understood than the header row alone
(a title row above a header adds none, so it stays a title). When a row is a
header by itself but the row below it adds two or more columns (``工号 | 姓名 |
性别`` over the group ``活动信息``, whose names are in the next row), the two rows
are the header. Headers of three rows or more are not recognised.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ingest.headers import STANDARD, HeaderRules

HEADER_SEARCH_ROWS = 20

# Words that name a group rather than a column: `活动信息` over `类型` is `活动类型`.
GROUP_WORDS = ("信息", "情况", "资料", "详情", "明细", "记录")


@dataclass(frozen=True)
class HeaderRows:
    """Where the header is (0-based rows), its kind, and its column names."""

    row: int  # the header row the data follow (the lower row of a two-row header)
    top: int  # the first header row: ``row``, or the row above it when there are two
    kind: str
    headers: list[str]


def cell_texts(row: list[str | None]) -> list[str]:
    """Cells as header text: NFKC, trimmed, empty for a blank cell."""
    return [unicodedata.normalize("NFKC", cell or "").strip() for cell in row]


def flatten_header(upper: list[str], lower: list[str], rules: HeaderRules = STANDARD) -> list[str]:
    """One name per column for a two-row header (the rules are in the module docstring)."""
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    names = []
    group = ""
    for own, name in zip(upper, lower, strict=True):
        group = own or group
        if not name:
            names.append(own)
        elif not group or rules.column(name):
            names.append(name)
        else:
            names.append(_joined(group, name, rules))
    return names


def _joined(group: str, name: str, rules: HeaderRules) -> str:
    candidates = [group + name]
    for word in GROUP_WORDS:
        if group.endswith(word) and len(group) > len(word):
            candidates.append(group[: -len(word)] + name)
    return next((c for c in candidates if rules.column(c)), group + name)


def locate_header(rows: list[list[str | None]], rules: HeaderRules = STANDARD) -> HeaderRows | None:
    """The header among the first ``HEADER_SEARCH_ROWS`` rows, or None when there is none."""
    texts = [cell_texts(row) for row in rows[: HEADER_SEARCH_ROWS + 1]]
    for index, single in enumerate(texts[:HEADER_SEARCH_ROWS]):
        columns = set(rules.map(single).columns)
        if index > 0:
            pair = flatten_header(texts[index - 1], single, rules)
            pair_columns = set(rules.map(pair).columns)
            kind = rules.detect_kind(pair_columns)
            if kind and len(pair_columns) > len(columns):
                return HeaderRows(index, index - 1, kind, pair)
        kind = rules.detect_kind(columns)
        if not kind:
            continue
        if index + 1 < len(texts):
            pair = flatten_header(single, texts[index + 1], rules)
            pair_columns = set(rules.map(pair).columns)
            pair_kind = rules.detect_kind(pair_columns)
            if pair_kind and len(pair_columns - columns) >= 2:
                return HeaderRows(index + 1, index, pair_kind, pair)
        return HeaderRows(index, index, kind, single)
    return None
