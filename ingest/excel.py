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
- **The header** is found by ``ingest.header_rows``: title rows are skipped, and a
  header of up to four rows with merged group cells is flattened to ``group/sub/leaf``
  names (``志愿者服务人数及时长统计/合计/人数``). The choice made for a column under a
  group whose own name is understood (``活动日期`` under ``活动信息``): it is named
  ``活动日期`` alone when that name occurs once in the header, so the standard
  aliases still map it; otherwise (``人数`` under each of six groups) by every level.
  A repeated name gets ``#2``, ``#3``. The merged ranges are read where the format
  gives them: an .xlsx's ``<mergeCells>`` (openpyxl's read-only mode skips them, so
  ``sheet_data.xlsx_merged`` scans the sheet's part for them, which follow its rows), an
  .xls's ``sheet.merged_cells`` (xlrd, opened with ``formatting_info=True``).
  Without them (a CSV saved from the sheet) the groups are told by their blank
  cells, to the same names on a sheet drawn as Excel draws one.
  ``detected["header_row"]`` is the sheet row the data follow;
  ``detected["merged_header_row"]`` the first header row, when there are several.
- **Not data:** blank rows, total rows (a total word, ``合计``, ``总合计``, ``总计``,
  ``小计``, ``累计``, ``Total``, ``Sum``, ``Grand total`` …, in one of the first three
  cells or of the first three non-empty cells), counted in ``detected["total_rows"]``;
  and what ``ingest.sheet_data`` tells apart from the table: padding rows of formula
  zeros (``detected["padding_rows"]``; a formula cell whose cached value is 0 or none,
  as openpyxl writes formulas, is such a zero; the .xlsx is read a second time, for
  its formulas, only when the sheet has rows that could be padding), lookup-list
  columns right of the table after an empty column (``detected["lookup_columns"]``),
  and stray numbers far below the data, each reported in ``detected["warnings"]``
  (which the load result shows) and not loaded. xlrd does not say which cells of an
  .xls are formulas: a row of zeros alone is padding there. None of them counts as a
  row read, so rows read = loaded + rejected. Line numbers are sheet rows.

- **Limits** keep a workbook's memory bounded, whatever the file claims:
  an .xlsx is a zip of XML parts, and a 1 MB file can unpack to a 1 GiB cell. Before
  openpyxl opens it, the parts' unpacked sizes (``ZipInfo.file_size``, which also caps
  what ``zipfile`` will inflate) may add up to ``MAX_UNPACKED_BYTES``, and a part over
  ``RATIO_GRACE_BYTES`` may unpack to at most ``MAX_PACKING_RATIO`` times its packed
  size. A sheet may reach row ``MAX_SHEET_ROWS`` (Excel's limit), checked on its
  ``<dimension>`` before it is read and on its rows as they stream, since the
  dimension can lie; a cell may hold ``MAX_CELL_CHARS`` characters (Excel's limit);
  and the workbook's sheets may hold ``MAX_CELLS`` cells (rows times the widest row:
  the table built from them is that wide) and ``MAX_TEXT_CHARS`` characters, counted
  as rows are read (one text shared by many cells is copied into each when the table
  is built). Past a limit the file fails with a message naming the sheet, and the
  other files still load. The row checks are a few C-level calls per row, no Python
  per cell. A legacy .xls is not packed and its format caps a sheet at 65,536 rows
  of 256 columns; the cell and workbook limits apply to it the same way.

openpyxl and xlrd hand out cells one by one, so this path is per-cell Python;
workbooks are rosters and lists, small next to the CSV activity logs, which take
the vectorized path.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ingest.header_rows import HEADER_SEARCH_ROWS, MAX_HEADER_ROWS, Range, locate_header
from ingest.headers import STANDARD, HeaderRules
from ingest.messages import Text, joined
from ingest.raw_table import (
    FileFault,
    RawTable,
    data_rows,
    first_line,
    keyed_columns,
    normalize_batch,
)
from ingest.sheet_data import (
    DATA,
    PADDING,
    RATIO_GRACE_BYTES,
    STRAY,
    Formulas,
    padding_candidates,
    sheet_data,
    sheet_titles,
    stray_warning,
    xlsx_formulas,
    xlsx_merged,
)
from kernel.errors import excerpt, mask_secrets

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

EMPTY = "empty"
NO_HEADER = "no recognisable header"

Rows = list[list[str | None]]

# What a workbook may hold (see the module docstring): beyond these its memory is not
# bounded by anything the file says truthfully.
MAX_UNPACKED_BYTES = 1 << 30  # an .xlsx's parts unpacked, in all
MAX_PACKING_RATIO = 100  # a part's unpacked over packed size (Excel's sheets: 5 to 20)
MAX_SHEET_ROWS = 1_048_576  # Excel's rows per sheet
MAX_CELL_CHARS = 32_767  # Excel's characters per cell
MAX_CELLS = 1 << 25  # the workbook's sheets, rows times widest row, in all
MAX_TEXT_CHARS = 1 << 28  # characters in all the workbook's cells


def read_workbook(path: Path, rules: HeaderRules = STANDARD) -> list[RawTable]:
    """One table per sheet with a recognisable header; FileFault when there is none."""
    tables: list[RawTable] = []
    skipped: list[dict[str, str]] = []
    first_rows: dict[str, str] = {}
    for sheet in _sheets(path):
        table = _sheet_table(sheet, rules)
        if isinstance(table, RawTable):
            tables.append(table)
            continue
        skipped.append({"sheet": sheet.title, "reason": table})
        if table == NO_HEADER:
            first_rows[sheet.title] = _first_row_text(sheet.rows)
    if not tables:
        raise FileFault(_no_table_message(skipped, first_rows))
    for table in tables:
        table.detected["skipped_sheets"] = [dict(s) for s in skipped]
    return tables


@dataclass
class _Sheet:
    """A worksheet as read: its rows of cell text, its merged ranges (None when the
    reader cannot tell) and its formula cells (row -> columns; None when the format
    does not say)."""

    title: str
    rows: Rows
    merged: list[Range] | None = None
    formulas: Formulas | None = None


def _sheet_table(sheet: _Sheet, rules: HeaderRules) -> RawTable | str:
    """A sheet's table, or why the sheet holds none (``EMPTY``, ``NO_HEADER``): its
    padding rows, lookup lists and stray numbers left out (``ingest.sheet_data``)."""
    title, rows = sheet.title, sheet.rows
    if not any(cell is not None and cell.strip() for row in rows for cell in row):
        return EMPTY
    layout = sheet_data(rows, sheet.formulas)
    # the header is looked for in the table's columns, its rows of data only
    table_rows = [
        row[: layout.width] if kind == DATA else []
        for row, kind in zip(rows, layout.kinds, strict=True)
    ]
    merged = None
    if sheet.merged is not None:
        # the ranges the header can lie in: its first rows, the table's columns
        last = HEADER_SEARCH_ROWS + MAX_HEADER_ROWS
        merged = [r for r in sheet.merged if r[1] < layout.width and r[0] < last]
    found = locate_header(table_rows, rules, merged)
    if found is None:
        return NO_HEADER
    below = range(found.row + 1, len(rows))
    data = [table_rows[i] for i in below if layout.kinds[i] == DATA]
    # every column that has a header or a value; columns after those are dropped
    width = max([_used_width(found.headers), *(_used_width(row) for row in data)])
    headers = (found.headers + [""] * width)[:width]
    columns = [pa.array([_cell(row, i) for row in data], pa.string()) for i in range(width)]
    batch = pa.RecordBatch.from_arrays(columns, names=[f"c{i}" for i in range(width)])
    # rows[i] is sheet row i + 1
    numbers = pa.array([i + 1 for i in below if layout.kinds[i] == DATA], pa.int64())
    table, total_rows = data_rows(normalize_batch(batch, numbers, keyed_columns(headers, rules)))
    detected: dict[str, Any] = {"sheet": title, "header_row": found.row + 1}
    if found.top != found.row:
        detected["merged_header_row"] = found.top + 1
    detected["total_rows"] = total_rows
    padding = sum(layout.kinds[i] == PADDING for i in below)
    if padding:
        detected["padding_rows"] = padding
    if layout.lookup_columns:
        detected["lookup_columns"] = layout.lookup_columns
    # kept as code and parameters (``ingest.messages``), written when shown
    warnings = [
        stray_warning(title, i, c, cell).stored()
        for i in below
        if layout.kinds[i] == STRAY
        for c, cell in enumerate(rows[i])
        if cell is not None and cell.strip()
    ]
    if warnings:
        detected["warnings"] = warnings
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


def _no_table_message(skipped: list[dict[str, str]], first_rows: dict[str, str]) -> Text:
    empty = [s["sheet"] for s in skipped if s["reason"] == EMPTY]
    if not first_rows:
        return Text("no_sheet_with_data", empty=_sheet_list(empty))
    described = joined(
        [Text("sheet_first_row", sheet=title, first=first) for title, first in first_rows.items()]
    )
    listed = [Text("in_parentheses", text=_sheet_list(empty))] if empty else []
    return Text("no_sheet_header", rows=HEADER_SEARCH_ROWS, described=described, empty=listed)


def _sheet_list(names: list[str]) -> Text:
    if len(names) == 1:
        return Text("sheet_empty", sheet=names[0])
    return Text("sheets_empty", sheets=", ".join(repr(n) for n in names))


# -- formats -------------------------------------------------------------------------------


def _sheets(path: Path) -> Iterator[_Sheet]:
    """Every worksheet, whichever the format."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise FileFault(Text("empty_file"))
    if head.startswith(ZIP_MAGIC):
        return _xlsx_sheets(path)
    if head.startswith(OLE2_MAGIC):
        return _xls_sheets(path)
    if head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")):
        raise FileFault(Text("workbook_html"))
    raise FileFault(Text("not_a_workbook"))


def _xlsx_sheets(path: Path) -> Iterator[_Sheet]:
    from openpyxl import load_workbook

    _check_package(path)
    merged = xlsx_merged(path)
    with path.open("rb") as handle:
        try:
            # a file object: openpyxl refuses a name that does not end in .xlsx
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged file
            detail = mask_secrets(first_line(error))
            raise FileFault(Text("workbook_unopenable", detail=detail)) from None
        budget = _Budget()
        try:
            for sheet in workbook.worksheets:
                # its <dimension>, when it has one, says how far down it reaches
                if sheet.max_row is not None and sheet.max_row > MAX_SHEET_ROWS:
                    raise FileFault(_too_many_rows(sheet.title, sheet.max_row))
                # the stored dimensions can be wrong (some exporters write A1): without
                # them openpyxl reads every row and every cell that is there
                sheet.reset_dimensions()
                cells = ([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
                rows = _collect(sheet.title, cells, budget)
                formulas = xlsx_formulas(handle, sheet.title, padding_candidates(rows))
                yield _Sheet(sheet.title, rows, merged.get(sheet.title), formulas)
        except zipfile.BadZipFile as error:  # a part that does not unpack as it says
            detail = mask_secrets(first_line(error))
            raise FileFault(Text("workbook_damaged", detail=detail)) from None
        finally:
            workbook.close()


def _check_package(path: Path) -> None:
    """FileFault when the .xlsx's parts would unpack to more than a workbook may hold,
    judged on the sizes its zip directory declares, before anything is unpacked."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # openpyxl says what is wrong with it
    with archive:
        parts = archive.infolist()
        total = sum(part.file_size for part in parts)
        if total > MAX_UNPACKED_BYTES:
            largest = max(parts, key=lambda part: part.file_size)
            raise FileFault(
                Text(
                    "workbook_unpacks_too_large",
                    total=total,
                    limit=MAX_UNPACKED_BYTES,
                    part=_part(archive, largest),
                    size=largest.file_size,
                )
            )
        for part in parts:
            packed = max(part.compress_size, 1)
            if part.file_size > RATIO_GRACE_BYTES and part.file_size > MAX_PACKING_RATIO * packed:
                raise FileFault(
                    Text(
                        "workbook_packing_ratio",
                        part=_part(archive, part),
                        size=part.file_size,
                        packed=part.compress_size,
                        ratio=MAX_PACKING_RATIO,
                    )
                )


def _part(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> Text:
    """A part of an .xlsx as a message names it: its sheet's title when it is a sheet."""
    if part.filename == "xl/sharedStrings.xml":
        return Text("part_shared_text")
    title = sheet_titles(archive).get(part.filename)
    return Text("part_sheet", sheet=title) if title else Text("part_other", part=part.filename)


@dataclass
class _Budget:
    """What the workbook's sheets read so far hold (``MAX_CELLS``, ``MAX_TEXT_CHARS``)."""

    cells: int = 0
    chars: int = 0


def _collect(title: str, rows: Iterable[list[str | None]], budget: _Budget) -> Rows:
    """A sheet's rows of cell text, read while they keep within the limits; FileFault
    naming the sheet (and the row, the cell) past one. Per row, a few calls that run
    in C: no Python per cell is added to reading a workbook."""
    collected: Rows = []
    width = 0
    cells_before = budget.cells
    for row in rows:
        if len(collected) == MAX_SHEET_ROWS:
            raise FileFault(_too_many_rows(title, MAX_SHEET_ROWS + 1))
        width = max(width, len(row))
        if cells_before + (len(collected) + 1) * width > MAX_CELLS:
            raise FileFault(
                Text(
                    "sheet_too_many_cells",
                    sheet=title,
                    rows=len(collected) + 1,
                    width=width,
                    limit=MAX_CELLS,
                )
            )
        lengths = list(map(len, filter(None, row)))
        if lengths:
            if max(lengths) > MAX_CELL_CHARS:
                raise FileFault(_long_cell(title, len(collected) + 1, row))
            budget.chars += sum(lengths)
            if budget.chars > MAX_TEXT_CHARS:
                raise FileFault(
                    Text(
                        "sheet_too_much_text",
                        sheet=title,
                        row=len(collected) + 1,
                        limit=MAX_TEXT_CHARS,
                    )
                )
        collected.append(row)
    budget.cells = cells_before + len(collected) * width
    return collected


def _too_many_rows(title: str, row: int) -> Text:
    return Text("sheet_too_many_rows", sheet=title, row=row, limit=MAX_SHEET_ROWS)


def _long_cell(title: str, row_number: int, row: list[str | None]) -> Text:
    from openpyxl.utils import get_column_letter

    column, length = next(
        (i, len(cell)) for i, cell in enumerate(row) if cell and len(cell) > MAX_CELL_CHARS
    )
    return Text(
        "long_cell",
        sheet=title,
        row=row_number,
        column=get_column_letter(column + 1),
        length=length,
        limit=MAX_CELL_CHARS,
    )


def _xls_sheets(path: Path) -> Iterator[_Sheet]:
    import xlrd
    from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

    try:
        # xlrd writes warnings to stdout by default; library code stays quiet
        book = xlrd.open_workbook(
            str(path), logfile=_Discard(), on_demand=True, formatting_info=True
        )
    except Exception as error:  # xlrd raises many types for a damaged or encrypted file
        detail = mask_secrets(first_line(error))
        raise FileFault(Text("workbook_password", detail=detail)) from None
    epoch = MAC_EPOCH if book.datemode == 1 else WINDOWS_EPOCH
    budget = _Budget()
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = _collect(sheet.name, _xls_rows(book, sheet, epoch), budget)
            # xlrd gives ranges as (first row, row after, first column, column after)
            merged = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            yield _Sheet(sheet.name, rows, merged, None)
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_rows(book: Any, sheet: Any, epoch: dt.datetime) -> Iterator[list[str | None]]:
    """An .xls sheet's rows of cell text."""
    import xlrd

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
        yield row


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
