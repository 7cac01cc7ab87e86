"""What every workbook the export writes with XlsxWriter shares (``district_stats.xlsx``,
the returns to schools): the workbook's options, one cell written as what it is, and
a text's width in Excel's character units.

XlsxWriter, not openpyxl: it streams each cell's XML as it is written, and built the 1M
demo's 147 returns in a third of openpyxl's time and ``district_stats.xlsx`` in half
(bench/README.md "Issue 16, eighth round"). No text is ever read as a formula, a link
or a number: ``OPTIONS`` turns those conversions off and ``write_cell`` writes a string
or a number explicitly (callers escape text from data first: ``escape_text``).
"""

from __future__ import annotations

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from kernel.formatting import text_width as _text_width

OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def write_cell(
    sheet: Worksheet, row: int, column: int, value: object, style: Format | None = None
) -> None:
    """One cell (0-based row and column): a number as a number, any other value as its
    text, and None or an empty text as an empty cell (written only to carry ``style``)."""
    if value is None or value == "":
        if style is not None:
            sheet.write_blank(row, column, None, style)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, style)
    else:
        sheet.write_string(row, column, str(value), style)


def text_width(value: object) -> int:
    """A cell value's width in Excel's character units (``kernel.formatting.text_width``
    of its text; 0 for None)."""
    return 0 if value is None else _text_width(str(value))
