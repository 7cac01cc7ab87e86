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
from collections.abc import Sequence
from decimal import Decimal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from export.formatting import SUPPRESSED, SUPPRESSED_TEXT, Value, escape_text
from export.notes import quiet_months_workbook
from export.tables import Tables, UnitRow
from export.xlsx import OPTIONS, text_width, write_cell
from kernel import catalog, seeds
from kernel.catalog import Metric

SUMMARY_SHEET = "汇总"
HEADER_ROWS = 2
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
_HEADER_FILL = "#DDE6F0"
_QUIET_FILL = "#FFF4E5"  # rows of months without activity
_QUIET_NOTE = {"bold": True, "font_color": "#9A3412"}
# a chart's size: 16 × 8 cm at 96 pixels an inch
_CHART_SIZE = {"width": round(16 / 2.54 * 96), "height": round(8 / 2.54 * 96)}


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


def _cell_value(value: Value) -> object:
    if value is SUPPRESSED:
        return SUPPRESSED_TEXT
    if isinstance(value, Decimal):
        return float(value)
    return value


class _Styles:
    """The workbook's cell formats, each made once (XlsxWriter keeps one per look)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.made: dict[tuple[tuple[str, object], ...], Format] = {}

    def __call__(self, **properties: object) -> Format:
        key = tuple(sorted(properties.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format(dict(properties))
        return self.made[key]


def _write_table(
    sheet: Worksheet,
    styles: _Styles,
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
    widths = [
        max(text_width(header), text_width(column))
        for header, column in zip(headers, columns, strict=True)
    ]
    for index, column in enumerate(columns):
        for row_number, text, bold in ((0, headers[index], True), (1, column, False)):
            style = styles(bold=bold, bg_color=_HEADER_FILL, align="center", text_wrap=True)
            sheet.write_string(row_number, index, text, style)
    # each column's look, in a month with activity and without (shaded); a hidden
    # count is right-aligned
    looks = {
        (column, shaded, hidden): styles(
            **({"num_format": formats[column]} if column in formats else {}),
            **({"align": "right"} if hidden else {}),
            **({"bg_color": _QUIET_FILL} if shaded else {}),
        )
        for column in columns
        for shaded in (False, True)
        for hidden in (False, True)
    }
    for offset, row in enumerate(rows, start=HEADER_ROWS):
        shaded = row.labels["month"] in quiet
        for index, column in enumerate(columns):
            if column in row.values:
                value = _cell_value(row.values[column])
                hidden = value == SUPPRESSED_TEXT
                write_cell(sheet, offset, index, value, looks[column, shaded, hidden])
                text = "" if value is None else str(value)  # a number's text is ASCII
                widths[index] = max(widths[index], len(text) if not hidden else text_width(text))
            else:
                value = escape_text(label(column, row.labels[column]))
                write_cell(
                    sheet, offset, index, value, looks[column, True, False] if shaded else None
                )
                widths[index] = max(widths[index], text_width(value))
    if quiet:
        note_row = HEADER_ROWS + len(rows) + 1
        sheet.write_string(note_row, 0, quiet_months_workbook(quiet), styles(**_QUIET_NOTE))
    for index, width in enumerate(widths):
        sheet.set_column(index, index, min(max(width + 2, 8), 40))
    sheet.freeze_panes(HEADER_ROWS, 0)


def _pivot_chart(
    book: xlsxwriter.Workbook,
    sheet: Worksheet,
    styles: _Styles,
    rows: Sequence[UnitRow],
    series_label: str,
    first_column: int,
    title: str,
    chart_type: str,
    hours_format: str,
) -> None:
    """Total hours by month (rows) and by ``series_label`` (columns) beside the table,
    from its 0-based ``first_column``, and a chart of it (``chart_type``: XlsxWriter's
    ``column`` or ``line``): the chart's data block repeats figures of the table."""
    months = sorted({r.labels["month"] for r in rows})
    series = list(dict.fromkeys(r.labels[series_label] for r in rows))
    hours = {(r.labels["month"], r.labels[series_label]): r.values["total_hours"] for r in rows}
    bold, number = styles(bold=True), styles(num_format=hours_format)
    sheet.write_string(0, first_column, "月份 month", bold)
    for j, name in enumerate(series, start=1):
        write_cell(sheet, 0, first_column + j, escape_text(name), bold)
    for i, month in enumerate(months, start=1):
        sheet.write_string(i, first_column, month)
        for j, name in enumerate(series, start=1):
            write_cell(sheet, i, first_column + j, _cell_value(hours.get((month, name))), number)
    chart = book.add_chart({"type": chart_type})
    for j in range(1, max(len(series), 1) + 1):
        chart.add_series(
            {
                "name": [sheet.name, 0, first_column + j],
                "categories": [sheet.name, 1, first_column, len(months), first_column],
                "values": [sheet.name, 1, first_column + j, len(months), first_column + j],
            }
        )
    chart.set_title({"name": title})
    chart.set_y_axis({"name": "小时 hours"})
    chart.set_x_axis({"name": "月份 month"})
    chart.set_size(_CHART_SIZE)
    sheet.insert_chart(len(months) + 3, first_column, chart)


def workbook_bytes(tables: Tables, stamp: str | None = None) -> bytes:
    """The workbook as bytes (written once into the export folder); with ``stamp``
    (an ISO time: its created and modified times; XlsxWriter dates the package's
    members 1980-01-01) reproducible byte for byte. Its tables list the metrics of
    ``tables``' catalog, in the catalog's order."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    if stamp is not None:
        book.set_properties(
            {"created": dt.datetime.fromisoformat(stamp).replace(microsecond=0, tzinfo=None)}
        )
    styles = _Styles(book)
    summary = book.add_worksheet(SUMMARY_SHEET)
    quiet = tables.months_without_activity
    columns, unit_columns = tables.district_columns(), tables.unit_columns()
    # the pivots beside the tables chart total hours
    hours = number_format(catalog.metric("total_hours", tables.metrics))
    _write_table(summary, styles, columns, tables.districts, tables.metrics, quiet)
    _pivot_chart(
        book,
        summary,
        styles,
        tables.districts,
        "district_name",
        len(columns) + 1,
        "各区域月度总时长 Total hours by district",
        "column",
        hours,
    )
    by_district: dict[str, list[UnitRow]] = {}
    for row in tables.organizations:
        by_district.setdefault(row.labels["district_code"], []).append(row)
    titles = {SUMMARY_SHEET}
    for district in tables.districts:
        code = district.labels["district_code"]
        title = sheet_title(code, district.labels["district_name"])
        if title in titles:
            continue
        titles.add(title)
        sheet = book.add_worksheet(title)
        units = by_district.get(code, [])
        _write_table(sheet, styles, unit_columns, units, tables.unit_metrics, quiet)
        if units:
            _pivot_chart(
                book,
                sheet,
                styles,
                units,
                "org_name",
                len(unit_columns) + 1,
                "各单位月度总时长 Total hours by unit",
                "line",
                hours,
            )
        else:  # no units (yet): the district's own months
            own = [r for r in tables.districts if r.labels["district_code"] == code]
            _pivot_chart(
                book,
                sheet,
                styles,
                own,
                "district_name",
                len(unit_columns) + 1,
                "月度总时长 Total hours by month",
                "line",
                hours,
            )
    book.close()
    return buffer.getvalue()
