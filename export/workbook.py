"""``district_stats.xlsx``: the summary sheet (every district, every month, the figures
of ``district_monthly.csv``) and one sheet per district with its units (the rows of
``organization_monthly.csv``), each with Chinese headers over the English column names,
frozen header rows, number formats, widths and a chart. Organization types are named
in Chinese (学校, 支部, 机关), as the headers are.

The sheets list every metric of the catalog, in its order, named and formatted as the
catalog says: a metric added to the catalog gets a column here with no edit (the CSV
files keep the columns DESIGN.md fixes)."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from export.formatting import SUPPRESSED, SUPPRESSED_TEXT, Value, escape_text
from export.notes import quiet_months_workbook
from export.tables import Tables, UnitRow
from kernel import catalog, seeds
from kernel.catalog import Metric

SUMMARY_SHEET = "汇总"
HEADER_ROWS = 2
FREEZE = "A3"  # the two header rows stay in view
# the Chinese headers of the columns that are not metrics; a metric's header is its
# catalog name (name_zh), and its number format follows from its unit and decimals
HEADERS_ZH = {
    "district_code": "区域编码",
    "district_name": "区域名称",
    "org_code": "组织编码",
    "org_name": "组织名称",
    "org_type": "组织类型",
    "parent_org_code": "上级组织编码",
    "month": "月份",
}
_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_QUIET_FILL = PatternFill("solid", fgColor="FFF4E5")  # rows of months without activity
_QUIET_FONT = Font(bold=True, color="9A3412")


def number_format(metric: Metric) -> str:
    """A metric's Excel number format: a share as a percentage (2 fewer places than
    its decimals: 0.1250 shows 12.50%), anything else grouped with its decimals."""
    if metric.unit == "share":
        places = max(metric.decimals - 2, 0)
        return "0" + ("." + "0" * places if places else "") + "%"
    return "#,##0" + ("." + "0" * metric.decimals if metric.decimals else "")


def header_zh(column: str, metrics: Sequence[Metric]) -> str:
    """A column's Chinese header: a metric's catalog name, else its own."""
    for metric in metrics:
        if metric.key == column:
            return metric.name_zh
    return HEADERS_ZH[column]


def label(column: str, value: str) -> str:
    """A label cell as the workbook shows it: an organization type by its Chinese name
    (学校, not ``school``; the CSV files keep the code), anything else as it is."""
    if column == "org_type":
        return seeds.organization_type_names("zh").get(value, value)
    return value


def sheet_title(code: str, name: str) -> str:
    """A district's sheet: its code and name, at most 31 characters, no []:*?/\\."""
    return f"{code} {name}".strip().translate(_FORBIDDEN)[:31]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_value(value: Value) -> object:
    if value is SUPPRESSED:
        return SUPPRESSED_TEXT
    if isinstance(value, Decimal):
        return float(value)
    return value


def _write_table(
    sheet: Worksheet,
    columns: Sequence[str],
    rows: Sequence[UnitRow],
    metrics: Sequence[Metric],
    quiet: Sequence[str] = (),
) -> None:
    """The table with its two header rows (``metrics``: the catalog that names and
    formats its metric columns); with ``quiet`` (months without activity) their rows
    shaded, and a note one row below the table that says why."""
    formats = {m.key: number_format(m) for m in metrics}
    headers = [header_zh(column, metrics) for column in columns]
    for index, column in enumerate(columns, start=1):
        for row_number, text, bold in ((1, headers[index - 1], True), (2, column, False)):
            cell = sheet.cell(row=row_number, column=index, value=text)
            cell.font = Font(bold=bold)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for offset, row in enumerate(rows):
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=HEADER_ROWS + 1 + offset, column=index)
            if column in row.values:
                cell.value = _cell_value(row.values[column])
                cell.number_format = formats[column]
                if cell.value == SUPPRESSED_TEXT:
                    cell.alignment = Alignment(horizontal="right")
            else:
                cell.value = escape_text(label(column, row.labels[column])) or None
            if row.labels["month"] in quiet:
                cell.fill = _QUIET_FILL
    if quiet:
        note = sheet.cell(row=HEADER_ROWS + len(rows) + 2, column=1)
        note.value = quiet_months_workbook(quiet)
        note.font = _QUIET_FONT
    for index, column in enumerate(columns, start=1):
        texts = [headers[index - 1], column] + [
            str(sheet.cell(row=r, column=index).value or "")
            for r in range(HEADER_ROWS + 1, HEADER_ROWS + 1 + len(rows))
        ]
        width = max(_width(t) for t in texts) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 40)
    sheet.freeze_panes = FREEZE


def _pivot_chart(
    sheet: Worksheet,
    rows: Sequence[UnitRow],
    series_label: str,
    first_column: int,
    title: str,
    chart_type: type[BarChart] | type[LineChart],
    hours_format: str,
) -> None:
    """Total hours by month (rows) and by ``series_label`` (columns) beside the table,
    and a chart of it: the chart's data block repeats figures of the table."""
    months = sorted({r.labels["month"] for r in rows})
    series = list(dict.fromkeys(r.labels[series_label] for r in rows))
    hours = {(r.labels["month"], r.labels[series_label]): r.values["total_hours"] for r in rows}
    top = 1
    sheet.cell(row=top, column=first_column, value="月份 month").font = Font(bold=True)
    for j, name in enumerate(series, start=1):
        sheet.cell(row=top, column=first_column + j, value=escape_text(name)).font = Font(bold=True)
    for i, month in enumerate(months, start=1):
        sheet.cell(row=top + i, column=first_column, value=month)
        for j, name in enumerate(series, start=1):
            value = hours.get((month, name))
            cell = sheet.cell(row=top + i, column=first_column + j, value=_cell_value(value))
            cell.number_format = hours_format
    chart = chart_type()
    chart.title = title
    chart.y_axis.title = "小时 hours"
    chart.x_axis.title = "月份 month"
    chart.height, chart.width = 8, 16
    data = Reference(
        sheet,
        min_col=first_column + 1,
        max_col=first_column + max(len(series), 1),
        min_row=top,
        max_row=top + len(months),
    )
    categories = Reference(sheet, min_col=first_column, min_row=top + 1, max_row=top + len(months))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    anchor = f"{get_column_letter(first_column)}{top + len(months) + 3}"
    sheet.add_chart(chart, anchor)


def _reproducible(data: bytes, stamp: str) -> bytes:
    """The same workbook with its save time replaced by ``stamp`` (the snapshot's
    ``as_of``) in the document properties and the zip entries, so the same snapshot
    always gives the same bytes (and the manifest the same SHA-256)."""
    when = dt.datetime.fromisoformat(stamp).replace(microsecond=0)
    iso = when.isoformat() + "Z"
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + iso.encode() + m.group(3),
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return buffer.getvalue()


def workbook_bytes(tables: Tables, stamp: str | None = None) -> bytes:
    """The workbook as bytes (written once into the export folder); with ``stamp``
    (an ISO time) reproducible byte for byte. Its tables list the metrics of
    ``tables``' catalog, in the catalog's order."""
    book = Workbook()
    summary = book.active
    summary.title = SUMMARY_SHEET
    quiet = tables.months_without_activity
    columns, unit_columns = tables.district_columns(), tables.unit_columns()
    # the pivots beside the tables chart total hours
    hours = number_format(catalog.metric("total_hours", tables.metrics))
    _write_table(summary, columns, tables.districts, tables.metrics, quiet)
    _pivot_chart(
        summary,
        tables.districts,
        "district_name",
        len(columns) + 2,
        "各区域月度总时长 Total hours by district",
        BarChart,
        hours,
    )
    by_district: dict[str, list[UnitRow]] = {}
    for row in tables.organizations:
        by_district.setdefault(row.labels["district_code"], []).append(row)
    for district in tables.districts:
        code = district.labels["district_code"]
        title = sheet_title(code, district.labels["district_name"])
        if title in book.sheetnames:
            continue
        sheet = book.create_sheet(title)
        units = by_district.get(code, [])
        _write_table(sheet, unit_columns, units, tables.unit_metrics, quiet)
        if units:
            _pivot_chart(
                sheet,
                units,
                "org_name",
                len(unit_columns) + 2,
                "各单位月度总时长 Total hours by unit",
                LineChart,
                hours,
            )
        else:  # no units (yet): the district's own months
            own = [r for r in tables.districts if r.labels["district_code"] == code]
            _pivot_chart(
                sheet,
                own,
                "district_name",
                len(unit_columns) + 2,
                "月度总时长 Total hours by month",
                LineChart,
                hours,
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue() if stamp is None else _reproducible(buffer.getvalue(), stamp)
