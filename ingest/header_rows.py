"""Finding the header in the first rows of a file or sheet, of one row or several.

The header row is the first row whose cells map to the columns of a known kind;
rows above it (a title, a date, a note) are skipped. Reports made in Excel often
have a header of several rows: group cells merged across the columns they head,
above the column names, and a column whose name spans every row merged
vertically::

    | 2024年志愿服务活动统计表                                             |
    | 活动信息                         | 志愿者服务人数及时长统计               |
    | 序号 | 年份 | 月份 | 活动日期 | … | 儿童        | 家长        | … | 合计        |
    |      |      |      |          |   | 人数 | 小时 | 人数 | 小时 |   | 人数 | 小时 |

**Names.** Each column is named by the texts above it, top to bottom, joined with
``/``; a level whose text repeats the one above (a cell merged down) is not
repeated, and a blank level adds nothing: ``志愿者服务人数及时长统计/合计/人数``.
A column whose own name (its lowest text) is understood by itself and occurs once
in the header keeps that name alone (``活动日期``, not ``活动信息/活动日期``), so the
aliases of the README hold under a group; so does one whose group and name joined
are understood (``活动信息`` over ``类型`` is ``活动类型``, the group word ``信息``
dropped). A name that repeats (``项目领域`` twice) is told apart by ``#2``, ``#3``
(``项目领域``, ``项目领域#2``), in CSV files too.

**Merged cells.** A merged range holds its text in its top-left cell. When the
reader knows the ranges (an .xlsx's ``<mergeCells>``, an .xls's ``merged_cells``),
each range's text covers every cell of it. When it does not (a CSV saved from
the sheet), they are told from the text alone: a blank cell takes the text to its
left when that text heads a group (the cell below it is not blank), within the
span of the group above it; a cell whose lower cells are blank is a name merged
down.

**Which rows.** The anchor is the first row that names a kind's columns, alone or
joined with the row above it (when flattening the two makes more columns
understood). The header then reaches down over each row that only adds names
under groups of the row above (every cell of it under a group; no number or date
among them), and up over each row of groups: two or more texts, each heading
several columns or merged down over a blank, none a number or a ``label: value``
note. From the text alone (no merged ranges), rows of groups are believed only
above a header of two rows or more: over a header of one row, two texts may as
well be a title beside a date. A title (one text, or one beside a note over a
named column) stays a title. A header has at most ``MAX_HEADER_ROWS`` rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ingest.headers import STANDARD, HeaderRules

HEADER_SEARCH_ROWS = 20
MAX_HEADER_ROWS = 4

# Words that name a group rather than a column: `活动信息` over `类型` is `活动类型`.
GROUP_WORDS = ("信息", "情况", "资料", "详情", "明细", "记录")

# A merged range of a sheet: first row, first column, last row, last column (0-based,
# inclusive).
Range = tuple[int, int, int, int]

# A cell that cannot be a header: a number, a date or a time.
_VALUE = re.compile(r"^[\d\s.,:/+\-eE年月日]+$")


@dataclass(frozen=True)
class HeaderRows:
    """Where the header is (0-based rows), its kind, and its column names."""

    row: int  # the header row the data follow (the lowest header row)
    top: int  # the first header row: ``row``, or a row above it
    kind: str
    headers: list[str]


def cell_texts(row: list[str | None]) -> list[str]:
    """Cells as header text: NFKC, trimmed, empty for a blank cell."""
    return [unicodedata.normalize("NFKC", cell or "").strip() for cell in row]


def flatten_header(upper: list[str], lower: list[str], rules: HeaderRules = STANDARD) -> list[str]:
    """One name per column for a two-row header known by its text alone."""
    return flatten_rows([upper, lower], rules)


def flatten_rows(
    block: list[list[str]],
    rules: HeaderRules = STANDARD,
    merged: list[Range] | None = None,
    top: int = 0,
) -> list[str]:
    """One name per column for the header rows ``block`` (texts), the first of them
    sheet row ``top`` (0-based) for the ``merged`` ranges (the module docstring)."""
    text = _covered(block, merged, top)
    paths = []
    for column in range(len(text[0]) if text else 0):
        parts: list[str] = []
        for level in text:
            own = level[column][0]
            if own and (not parts or parts[-1] != own):
                parts.append(own)
        paths.append(parts)
    leaves = Counter(parts[-1] for parts in paths if parts)
    names = []
    for parts in paths:
        if len(parts) <= 1:
            names.append(parts[0] if parts else "")
        elif leaves[parts[-1]] == 1 and rules.column(parts[-1]):
            names.append(parts[-1])
        else:
            names.append(_joined(parts[-2], parts[-1], rules) or "/".join(parts))
    return names


Cover = tuple[str, tuple[int, int] | None]  # a cell's text and the cell it comes from


def _covered(block: list[list[str]], merged: list[Range] | None, top: int) -> list[list[Cover]]:
    """Each cell of the header rows with the text that covers it."""
    width = max((len(row) for row in block), default=0)
    grid = [row + [""] * (width - len(row)) for row in block]
    text: list[list[Cover]] = [
        [(cell, (level, column) if cell else None) for column, cell in enumerate(row)]
        for level, row in enumerate(grid)
    ]
    if merged is not None:
        for first_row, first_column, last_row, last_column in merged:
            level = first_row - top
            if not 0 <= level < len(grid) or first_column >= width:
                continue
            cover = (grid[level][first_column], (level, first_column))
            for down in range(level, min(last_row - top, len(grid) - 1) + 1):
                for column in range(first_column, min(last_column, width - 1) + 1):
                    text[down][column] = cover
        return text
    for level in range(len(grid) - 1):  # the lowest row names columns, it heads none
        for column in range(1, width):
            left, origin = text[level][column - 1]
            if grid[level][column] or origin is None or not grid[level + 1][origin[1]]:
                continue  # its own text, nothing to its left, or a name merged down
            if level and text[level - 1][column][1] != text[level - 1][column - 1][1]:
                continue  # another group above: the group to the left ends here
            text[level][column] = (left, origin)
    return text


def _joined(group: str, name: str, rules: HeaderRules) -> str | None:
    candidates = [group + name]
    for word in GROUP_WORDS:
        if group.endswith(word) and len(group) > len(word):
            candidates.append(group[: -len(word)] + name)
    return next((c for c in candidates if rules.column(c)), None)


def unique_names(names: list[str]) -> list[str]:
    """The names with a repeated one told apart: ``项目领域``, ``项目领域#2``."""
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(f"{name}#{seen[name]}" if name and seen[name] > 1 else name)
    return unique


def _spans(row: list[str], width: int, merged: list[Range] | None, at: int) -> dict[int, int]:
    """Each text cell of sheet row ``at`` -> the columns it heads: its merged range's
    width, or (ranges unknown) up to the next text of the row."""
    columns = [c for c, cell in enumerate(row) if cell]
    if merged is not None:
        wide = {r[1]: r[3] - r[1] + 1 for r in merged if r[0] <= at <= r[2] and r[1] in columns}
        return {c: wide.get(c, 1) for c in columns}
    ends = [*columns[1:], max(width, len(row))]
    return {c: end - c for c, end in zip(columns, ends, strict=True)}


def _adds_names(upper: list[str], lower: list[str], merged: list[Range] | None, at: int) -> bool:
    """Whether ``lower`` (sheet row ``at`` + 1) names columns under the groups of
    ``upper`` (row ``at``) and nothing else."""
    cells = [c for c, cell in enumerate(lower) if cell]
    if not cells or any(_VALUE.match(lower[c]) for c in cells):
        return False
    spans = _spans(upper, len(lower), merged, at)
    if merged is not None:
        # a column under a merged range that starts above it (a name merged down)
        covered = {c for r in merged if r[0] <= at < r[2] for c in range(r[1], r[3] + 1)}
    else:
        covered = set()
    groups = [(c, c + n) for c, n in spans.items() if n > 1]
    under = set(covered)
    for start, end in groups:
        under.update(range(start, end))
    blanks = {c for c in range(len(lower)) if c >= len(upper) or not upper[c]}
    if merged is None:
        under |= blanks
    return bool(groups) and all(c in under for c in cells)


def _heads_groups(upper: list[str], lower: list[str], merged: list[Range] | None, at: int) -> bool:
    """Whether ``upper`` (sheet row ``at``) is a row of groups over ``lower``."""
    cells = [c for c, cell in enumerate(upper) if cell]
    if len(cells) < 2 or any(_VALUE.match(upper[c]) or ":" in upper[c] for c in cells):
        return False
    spans = _spans(upper, len(lower), merged, at)
    below = lower + [""] * (len(upper) - len(lower))
    return any(n > 1 for n in spans.values()) and all(spans[c] > 1 or not below[c] for c in cells)


def locate_header(
    rows: list[list[str | None]],
    rules: HeaderRules = STANDARD,
    merged: list[Range] | None = None,
) -> HeaderRows | None:
    """The header among the first ``HEADER_SEARCH_ROWS`` rows, or None when there is
    none. ``merged``: the sheet's merged ranges, when the reader knows them."""
    texts = [cell_texts(row) for row in rows[: HEADER_SEARCH_ROWS + MAX_HEADER_ROWS]]
    for index, single in enumerate(texts[:HEADER_SEARCH_ROWS]):
        columns = set(rules.map(single).columns)
        anchor = None
        if index > 0:
            pair = flatten_rows(texts[index - 1 : index + 1], rules, merged, index - 1)
            pair_columns = set(rules.map(pair).columns)
            kind = rules.detect_kind(pair_columns)
            if kind and len(pair_columns) > len(columns):
                anchor = HeaderRows(index, index - 1, kind, pair)
        if anchor is None:
            kind = rules.detect_kind(columns)
            if not kind:
                continue
            anchor = HeaderRows(index, index, kind, single)
        return _extended(texts, anchor, rules, merged)
    return None


def _extended(
    texts: list[list[str]], anchor: HeaderRows, rules: HeaderRules, merged: list[Range] | None
) -> HeaderRows:
    """The anchor's header with the rows of names below it and of groups above it."""
    top, row = anchor.top, anchor.row
    while (
        row + 1 < len(texts)
        and row - top + 1 < MAX_HEADER_ROWS
        and _adds_names(texts[row], texts[row + 1], merged, row)
    ):
        row += 1
    # from the text alone, a row of two texts over a header of one row may as well be
    # a title beside a date or a school: groups are believed above a header that has
    # several rows already, or when the merged ranges show them
    believed = merged is not None or row > anchor.top
    while (
        believed
        and top > 0
        and row - top + 1 < MAX_HEADER_ROWS
        and _heads_groups(texts[top - 1], texts[top], merged, top - 1)
    ):
        top -= 1
    if (top, row) == (anchor.top, anchor.row):
        return HeaderRows(row, top, anchor.kind, unique_names(anchor.headers))
    names = flatten_rows(texts[top : row + 1], rules, merged, top)
    kind = rules.detect_kind(set(rules.map(names).columns))
    if kind is None:
        return HeaderRows(anchor.row, anchor.top, anchor.kind, unique_names(anchor.headers))
    return HeaderRows(row, top, kind, unique_names(names))
