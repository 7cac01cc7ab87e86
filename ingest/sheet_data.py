"""Which rows and columns of a sheet are data: what a workbook holds besides its table.

Sheets made for people to fill in carry more than their table (``ingest.excel`` reads
them; a CSV is read as it is):

- **Padding rows**: rows prepared for data to come, whose only values are zeros
  produced by formulas (``=SUM(C5:D5)`` on an empty row). A formula cell whose cached
  value is 0, or none at all (a workbook saved by a program that does not compute
  formulas, such as openpyxl), counts as such a zero. A row of them is not data, and
  is counted in ``detected["padding_rows"]``. A legacy .xls does not say which cells
  are formulas (xlrd reads cached values only), so there a row whose only values are
  zeros is taken for padding.
- **Lookup lists**: the lists a drop-down takes its values from, kept in columns right
  of the table, after one or more empty columns. The table ends at the first column
  that is empty in every row (padding and stray rows aside) after a used one; the
  columns right of it are not data, and are listed by letter in
  ``detected["lookup_columns"]``.
- **Stray numbers**: a row of one or two numbers alone, after ``GAP_ROWS`` or more empty
  (or padding) rows below the data: a sum left far below, a figure typed by mistake.
  Each is not loaded, and the load reports it (``detected["warnings"]``), naming the
  sheet, the cell and the number.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ingest.header_rows import Range
from ingest.headers import column_letter
from ingest.messages import Text

GAP_ROWS = 5
RATIO_GRACE_BYTES = 1 << 20  # an .xlsx's part up to this size unpacked may pack better

BLANK, PADDING, STRAY, DATA = "blank", "padding", "stray", "data"

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:E[+-]?\d+)?$", re.IGNORECASE)

Rows = list[list[str | None]]
Formulas = dict[int, set[int]]  # row -> the columns of its formula cells (0-based)


@dataclass
class SheetData:
    """What each row of a sheet is, and where its table ends on the right."""

    kinds: list[str]
    width: int  # the table's columns: the columns right of it are lookup lists
    lookup_columns: list[str] = field(default_factory=list)  # their letters


def _is_zero(cell: str | None) -> bool:
    return cell is not None and _NUMBER.match(cell.strip()) is not None and float(cell) == 0


def padding_candidates(rows: Rows) -> list[int]:
    """Rows that are padding if their zeros come from formulas: rows with cells, each
    empty or zero (a reader asks which of their cells are formulas)."""
    return [
        index
        for index, row in enumerate(rows)
        if row and all(cell is None or not cell.strip() or _is_zero(cell) for cell in row)
    ]


def row_kinds(rows: Rows, formulas: Formulas | None) -> list[str]:
    """Each row's kind: ``BLANK``, ``PADDING`` (its values are formula zeros;
    ``formulas`` None: zeros of any origin), ``STRAY`` (one or two numbers alone after
    ``GAP_ROWS`` empty rows) or ``DATA``."""
    padding = set()
    for index in padding_candidates(rows):
        row = rows[index]
        if formulas is None:
            if any(_is_zero(cell) for cell in row):
                padding.add(index)
            continue
        filled = {c for c, cell in enumerate(row) if cell is not None and cell.strip()}
        formula = formulas.get(index, set())
        if formula and filled <= formula:
            padding.add(index)
    kinds = []
    empty_run = 0
    for index, row in enumerate(rows):
        values = [cell for cell in row if cell is not None and cell.strip()]
        if index in padding:
            kinds.append(PADDING)
            empty_run += 1
        elif not values:
            kinds.append(BLANK)
            empty_run += 1
        elif empty_run >= GAP_ROWS and len(values) <= 2 and all(_NUMBER.match(v) for v in values):
            kinds.append(STRAY)  # the run is not reset: the rows below are far too
        else:
            kinds.append(DATA)
            empty_run = 0
    return kinds


def sheet_data(rows: Rows, formulas: Formulas | None) -> SheetData:
    """Row kinds (``row_kinds``) and the table's width (lookup lists cut off)."""
    kinds = row_kinds(rows, formulas)
    used: set[int] = set()
    for row, kind in zip(rows, kinds, strict=True):
        if kind == DATA:
            used.update(c for c, cell in enumerate(row) if cell is not None and cell.strip())
    if not used:
        return SheetData(kinds, 0)
    last = max(used)
    width = next((c for c in range(min(used), last + 1) if c not in used), last + 1)
    lookups = [column_letter(c) for c in sorted(used) if c >= width]
    return SheetData(kinds, width, lookups)


def stray_warning(title: str, row: int, column: int, value: str) -> Text:
    """The load's warning for a stray number (``row`` and ``column`` 0-based)."""
    return Text("stray_number", sheet=title, cell=f"{column_letter(column)}{row + 1}", value=value)


# -- what an .xlsx says besides its cached values --------------------------------------------


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet title, read from the workbook's own two small parts
    (none when they are missing, too large to be what Excel writes, or damaged)."""
    try:
        names = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
        if any(archive.getinfo(name).file_size > RATIO_GRACE_BYTES for name in names):
            return {}
        workbook, relations = (ElementTree.fromstring(archive.read(name)) for name in names)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return {}
    targets = {relation.get("Id"): relation.get("Target") or "" for relation in relations}
    titles = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_RELATIONSHIP), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            titles[posixpath.normpath(part)] = sheet.get("name", "")
    return titles


def xlsx_formulas(handle: Any, title: str, candidates: list[int]) -> Formulas:
    """The formula cells of the sheet's ``candidates`` rows (0-based; the rows that
    are padding if their zeros come from formulas): the cells a second read, of
    formulas instead of cached values, gives otherwise. Only a sheet with such rows
    is read twice."""
    if not candidates:
        return {}
    from openpyxl import load_workbook

    wanted = set(candidates)
    formulas: Formulas = {}
    workbook = load_workbook(handle, read_only=True, data_only=False)
    try:
        sheet = workbook[title]
        sheet.reset_dimensions()
        for index, row in enumerate(sheet.iter_rows(values_only=True)):
            if index > candidates[-1]:
                break
            if index in wanted:
                cells = {c for c, value in enumerate(row) if _is_formula(value)}
                if cells:
                    formulas[index] = cells
    finally:
        workbook.close()
    return formulas


def _is_formula(value: Any) -> bool:
    """Whether openpyxl read a cell as a formula (``=SUM(…)``, an array formula)."""
    if isinstance(value, str):
        return value.startswith("=")
    return value is not None and not isinstance(value, int | float | bool | dt.date | dt.time)


def xlsx_merged(path: Path) -> dict[str, list[Range]]:
    """Each sheet's merged ranges, read from its part's ``<mergeCells>``, which follows
    its rows: the part is scanned in chunks for it, and only what follows is parsed
    (openpyxl's read-only mode does not read them)."""
    found: dict[str, list[Range]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for part, title in sheet_titles(archive).items():
                with archive.open(part) as stream:
                    found[title] = _merged_ranges(stream)
    except (KeyError, zipfile.BadZipFile, OSError):
        return found  # a sheet not listed is flattened from its text alone
    return found


def _merged_ranges(stream: Any) -> list[Range]:
    from openpyxl.utils.cell import range_boundaries

    collected: list[bytes] = []
    carry = b""
    while chunk := stream.read(1 << 20):
        if collected:
            collected.append(chunk)
            continue
        window = carry + chunk
        at = window.find(b"mergeCell")
        if at >= 0:
            collected.append(window[max(0, at - 32) :])
        else:
            carry = window[-32:]
    ranges = []
    for ref in _MERGE_CELL.findall(b"".join(collected)):
        try:
            first_column, first_row, last_column, last_row = range_boundaries(ref.decode("ascii"))
        except (ValueError, TypeError):
            continue
        ranges.append((first_row - 1, first_column - 1, last_row - 1, last_column - 1))
    return ranges


_MERGE_CELL = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref="([A-Za-z]+\d+:[A-Za-z]+\d+)"')
