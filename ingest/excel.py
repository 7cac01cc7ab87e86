"""Reading Excel workbooks (.xlsx and legacy .xls): one table per sheet that holds data.

Design, for the manifest and the loader:

- **Every sheet is a candidate.** ``read_workbook`` returns one ``RawTable`` per
  sheet whose first rows hold a recognisable header, in workbook order, each with
  ``detected["sheet"]``. Hidden sheets are candidates too (a school hides its raw
  data under a summary as often as a helper list, and a helper list has no
  recognisable header). A sheet that is empty or has no recognisable header is
  not a fault: it is listed in ``detected["skipped_sheets"]`` of every table of
  the workbook, as ``{"sheet": name, "reason": "empty" | "no recognisable header"}``.
  Only a workbook where no sheet has a header fails, and its message names every
  sheet. Each table is meant to land as its own batch, named ``<file>#<sheet>``
  when the workbook has several (``reading.read_tables``; ``reading.read_file``
  refuses a workbook with several data sheets rather than silently read one).
- **Which format** is decided by the file's first bytes, not its name: a zip
  package is read by openpyxl (read-only, cached values), an OLE2 compound file by
  xlrd. A ``.xls`` that is really an ``.xlsx`` (or the reverse) loads; a ``.xls``
  that is HTML or XML text (what some web systems export) fails with a message
  saying to save it as ``.xlsx``.
- **Cells become the text a person would have typed** (``_cell_text``): native
  dates as ISO dates, date-times as ``YYYY-MM-DD HH:MM:SS``, times as
  ``HH:MM:SS``, integral numbers without ``.0``, and floats of 15 or more digits in
  the scientific form Excel left them in (``1.10105E+17``), so damaged ID numbers
  are flagged downstream. A legacy ``.xls`` date cell is converted by the same
  function openpyxl applies to ``.xlsx`` cells (``openpyxl.utils.datetime
  .from_excel``, with the workbook's 1900 or 1904 epoch, and a duration format
  such as ``[h]:mm`` as a duration), so both formats give the same text.
- **The header** is found by ``ingest.header_rows``: title rows are skipped, and
  a two-row header with merged group cells is flattened from the cell text alone.
  openpyxl's read-only mode cannot see merged ranges (and a CSV saved from the
  same sheet has none), so one rule serves every format: the row above the header
  row is its upper half when flattening the two makes more columns understood.
  ``detected["header_row"]`` is the sheet row the data follow;
  ``detected["merged_header_row"]`` the upper row of a two-row header, when there
  is one.
- **Not data:** blank rows, and total rows (``合计``, ``总计``, ``小计``, ``Total``,
  ``Sum``… as the first non-empty cell or one of the first three cells), counted in
  ``detected["total_rows"]``. Line numbers are sheet rows.

openpyxl and xlrd hand out cells one by one, so this path is per-cell Python;
workbooks are rosters and lists, small next to the CSV activity logs, which take
the vectorized path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from ingest.errors import excerpt, mask_secrets
from ingest.header_rows import HEADER_SEARCH_ROWS, locate_header
from ingest.headers import STANDARD, HeaderRules
from ingest.reading import (
    FileFault,
    RawTable,
    data_rows,
    normalize_batch,
)

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

EMPTY = "empty"
NO_HEADER = "no recognisable header"

Rows = list[list[str | None]]


def read_workbook(path: Path, rules: HeaderRules = STANDARD) -> list[RawTable]:
    """One table per sheet with a recognisable header; FileFault when there is none."""
    tables: list[RawTable] = []
    skipped: list[dict[str, str]] = []
    first_rows: dict[str, str] = {}
    for title, rows in _sheets(path):
        table = _sheet_table(title, rows, rules)
        if isinstance(table, RawTable):
            tables.append(table)
            continue
        skipped.append({"sheet": title, "reason": table})
        if table == NO_HEADER:
            first_rows[title] = _first_row_text(rows)
    if not tables:
        raise FileFault(_no_table_message(skipped, first_rows))
    for table in tables:
        table.detected["skipped_sheets"] = [dict(s) for s in skipped]
    return tables


def _sheet_table(title: str, rows: Rows, rules: HeaderRules) -> RawTable | str:
    """A sheet's table, or why the sheet holds none (``EMPTY``, ``NO_HEADER``)."""
    if not any(cell is not None and cell.strip() for row in rows for cell in row):
        return EMPTY
    found = locate_header(rows, rules)
    if found is None:
        return NO_HEADER
    data = rows[found.row + 1 :]
    # every column that has a header or a value; columns after those are dropped
    width = max([_used_width(found.headers), *(_used_width(row) for row in data)])
    headers = (found.headers + [""] * width)[:width]
    columns = [pa.array([_cell(row, i) for row in data], pa.string()) for i in range(width)]
    batch = pa.RecordBatch.from_arrays(columns, names=[f"c{i}" for i in range(width)])
    # rows[i] is sheet row i + 1, so the first data row is found.row + 2
    numbers = pa.array(range(found.row + 2, found.row + 2 + len(data)), pa.int64())
    table, total_rows = data_rows(normalize_batch(batch, numbers))
    detected: dict[str, Any] = {"sheet": title, "header_row": found.row + 1}
    if found.top != found.row:
        detected["merged_header_row"] = found.top + 1
    detected["total_rows"] = total_rows
    return RawTable(
        headers=headers,
        header_line=found.row + 1,
        batches=pa.RecordBatchReader.from_batches(table.schema, [table]),
        detected=detected,
        kind=found.kind,
        counter=[table.num_rows],
    )


def _used_width(row: list[Any]) -> int:
    """Cells up to the last that is not blank."""
    width = len(row)
    while width and (row[width - 1] is None or row[width - 1] == ""):
        width -= 1
    return width


def _cell(row: list[str | None], index: int) -> str | None:
    return row[index] if index < len(row) else None


def _first_row_text(rows: Rows) -> str:
    """The first non-blank row, its cells joined, masked and shortened for a message."""
    for row in rows:
        if any(cell is not None and cell.strip() for cell in row):
            return excerpt(", ".join(cell or "" for cell in row[: _used_width(row)]))
    return ""


def _no_table_message(skipped: list[dict[str, str]], first_rows: dict[str, str]) -> str:
    empty = [s["sheet"] for s in skipped if s["reason"] == EMPTY]
    if not first_rows:
        return "the workbook has no sheet with data (" + _sheet_list(empty) + ")"
    described = " or ".join(
        f"sheet {title!r} (first row: {first!r})" for title, first in first_rows.items()
    )
    message = (
        f"no sheet has a recognisable header row: none of the first {HEADER_SEARCH_ROWS} "
        f"rows of {described} names the columns of an activity log, roster, organization "
        "or district file"
    )
    if empty:
        message += f" ({_sheet_list(empty)})"
    return message + "; rename the headers as in the README or add a mapping"


def _sheet_list(names: list[str]) -> str:
    if len(names) == 1:
        return f"sheet {names[0]!r} is empty"
    return "sheets " + ", ".join(repr(n) for n in names) + " are empty"


# -- formats -------------------------------------------------------------------------------


def _sheets(path: Path) -> Iterator[tuple[str, Rows]]:
    """(title, rows of cell text) for every worksheet, whichever the format."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise FileFault("the file is empty")
    if head.startswith(ZIP_MAGIC):
        return _xlsx_sheets(path)
    if head.startswith(OLE2_MAGIC):
        return _xls_sheets(path)
    if head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        raise FileFault(
            "the workbook cannot be opened: it is HTML or XML text saved under an Excel "
            "name (as some web systems export); open it in Excel and save it as .xlsx"
        )
    raise FileFault(
        "the workbook cannot be opened: it is neither an .xlsx nor an .xls file; "
        "open it in Excel and save it as .xlsx"
    )


def _xlsx_sheets(path: Path) -> Iterator[tuple[str, Rows]]:
    from openpyxl import load_workbook

    with path.open("rb") as handle:
        try:
            # a file object: openpyxl refuses a name that does not end in .xlsx
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged file
            raise FileFault(
                f"the workbook cannot be opened: {mask_secrets(_first_line(error))}"
            ) from None
        try:
            for sheet in workbook.worksheets:
                # the stored dimensions can be wrong (some exporters write A1): without
                # them openpyxl reads every row and every cell that is there
                sheet.reset_dimensions()
                rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
                yield sheet.title, rows
        finally:
            workbook.close()


def _xls_sheets(path: Path) -> Iterator[tuple[str, Rows]]:
    import xlrd
    from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

    try:
        # xlrd writes warnings to stdout by default; library code stays quiet
        book = xlrd.open_workbook(
            str(path), logfile=_Discard(), on_demand=True, formatting_info=True
        )
    except Exception as error:  # xlrd raises many types for a damaged or encrypted file
        raise FileFault(
            f"the workbook cannot be opened: {mask_secrets(_first_line(error))}; if it has "
            "a password, save it without one"
        ) from None
    epoch = MAC_EPOCH if book.datemode == 1 else WINDOWS_EPOCH
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows: Rows = []
            for r in range(sheet.nrows):
                row: list[str | None] = []
                for c, (kind, value) in enumerate(
                    zip(sheet.row_types(r), sheet.row_values(r), strict=True)
                ):
                    if kind == xlrd.XL_CELL_DATE:
                        value = _xls_date(value, epoch, _is_duration(book, sheet, r, c))
                    elif kind == xlrd.XL_CELL_BOOLEAN:
                        value = bool(value)
                    elif kind == xlrd.XL_CELL_ERROR:
                        value = xlrd.error_text_from_code.get(value, "#VALUE!")
                    elif kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        value = None
                    row.append(_cell_text(value))
                rows.append(row)
            yield sheet.name, rows
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _is_duration(book: Any, sheet: Any, row: int, column: int) -> bool:
    """Whether an .xls date cell has a duration format (``[h]:mm``), as openpyxl decides."""
    from openpyxl.styles.numbers import is_timedelta_format

    xf = book.xf_list[sheet.cell_xf_index(row, column)]
    number_format = book.format_map.get(xf.format_key)
    return number_format is not None and is_timedelta_format(number_format.format_str)


def _xls_date(value: float, epoch: dt.datetime, duration: bool) -> Any:
    """A date cell's serial as openpyxl turns an .xlsx cell's (the same function)."""
    from openpyxl.utils.datetime import from_excel

    try:
        return from_excel(value, epoch, timedelta=duration)
    except (OverflowError, ValueError):
        return "#VALUE!"  # what openpyxl gives for a date serial out of range


class _Discard:
    """A log file that drops what is written to it."""

    def write(self, text: str) -> int:
        return len(text)


def _cell_text(value: Any) -> str | None:
    """An Excel cell as the text a person would have typed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        # Integers Excel can hold exactly read as integers; beyond 15 digits Excel
        # has already lost digits, so the scientific form is kept for the checks.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).upper() if "e" in repr(value) else repr(value)
    return str(value)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
