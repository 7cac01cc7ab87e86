"""One collection template (报送模板) as a workbook: its three sheets drawn with openpyxl
(``export.templates`` says what they hold and why), and the fast copy per unit.

Drawing a workbook with openpyxl takes tens of milliseconds (its styles and its
writer), and a bureau has some 80 schools and offices: ``template_bytes`` draws one
prototype per month and number of codes, with placeholders for the unit's name and
codes, and writes each unit's workbook from it by replacing them in its sheets
(openpyxl writes a text cell's text in its sheet, an inline string) and in the title
of ``docProps/core.xml``, a millisecond or two each: the data sheet's drop-down range
depends only on the number of codes.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATA_SHEET = "活动记录"
HELP_SHEET = "填表说明"
LIST_SHEET = "可选值"
ROWS = 500  # rows formatted and validated under the header
STATUSES = ("已认定", "待审核")  # approved, pending (DESIGN.md "status values")


@dataclass(frozen=True)
class Column:
    """A column of the data sheet: its header, the canonical column ingest maps it to,
    whether a row needs it, its width and its format."""

    header: str
    canonical: str
    required: bool
    width: float
    number_format: str


HEADERS: tuple[Column, ...] = (
    Column("人员编号", "person_id", True, 14, "@"),
    Column("姓名", "person_name", False, 10, "@"),
    Column("组织编码", "org_code", True, 12, "@"),
    Column("活动日期", "activity_date", True, 12, "yyyy-mm-dd"),
    Column("开始时间", "start_time", False, 10, "hh:mm"),
    Column("结束时间", "end_time", False, 10, "hh:mm"),
    Column("服务时长", "hours", True, 10, "0.00"),
    Column("活动类型", "activity_type", True, 14, "@"),
    Column("活动名称", "activity_title", False, 24, "@"),
    Column("活动地点", "location", False, 18, "@"),
    Column("报到社区", "community", False, 14, "@"),
    Column("状态", "status", False, 10, "@"),
)


@dataclass(frozen=True)
class Unit:
    """A school or office, and the codes its rows may carry: its own, then its
    branches' (every organization below it that is not itself a school or office)."""

    code: str
    name: str
    codes: tuple[str, ...]
    names: tuple[str, ...]


def month_after(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(f"{month}-01")
    following = dt.date.fromisoformat(f"{month_after(month)}-01")
    return first, following - dt.timedelta(days=1)


def workbook_bytes(unit: Unit, month: str, types: list[str]) -> bytes:
    """The template of ``unit`` for ``month``, its 活动类型 drop-down ``types``, drawn
    with openpyxl (``template_bytes`` gives the same workbook faster)."""
    from openpyxl import Workbook

    book = Workbook()
    data = book.active
    data.title = DATA_SHEET
    _data_sheet(data, unit, month, types)
    _guide_sheet(book.create_sheet(HELP_SHEET), unit, month, types)
    lists = book.create_sheet(LIST_SHEET)
    _list_sheet(lists, unit, types)
    lists.sheet_state = "hidden"
    book.properties.title = f"{unit.name}{_month_zh(month)}活动记录报送模板"
    book.properties.creator = "volunteer-warehouse"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# the placeholders of a prototype: texts no unit's name or code holds
_NAME, _CODE = "{{unit_name}}", "{{unit_code}}"
_PARTS_WITH_UNIT = ("xl/worksheets/", "docProps/core.xml")  # names starting so
# the time of every member of the package without a stamp
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _code(i: int) -> str:
    return f"{{{{code_{i}}}}}"


def _name(i: int) -> str:
    return f"{{{{name_{i}}}}}"


@functools.lru_cache(maxsize=32)
def _prototype(codes: int, month: str, types: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    """The parts of the workbook of a unit with ``codes`` codes, its name and codes
    placeholders, in their order in the package."""
    unit = Unit(
        _CODE,
        _NAME,
        (_CODE, *(_code(i) for i in range(1, codes))),
        (_NAME, *(_name(i) for i in range(1, codes))),
    )
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(unit, month, list(types)))) as package:
        return tuple((info.filename, package.read(info)) for info in package.infolist())


def _legal(text: str) -> str:
    """``text`` without the control characters XML cannot hold (openpyxl refuses them)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def template_bytes(unit: Unit, month: str, types: list[str], stamp: str | None = None) -> bytes:
    """The template of ``unit`` for ``month``: the prototype for its number of codes,
    its placeholders replaced by the unit's name and codes (XML-escaped). With
    ``stamp`` (an ISO time: the snapshot's ``as_of``) as the workbook's created and
    modified times and its members' times, so the same snapshot gives the same bytes
    (as ``export.workbook`` does for district_stats.xlsx)."""
    when = dt.datetime.fromisoformat(stamp).replace(microsecond=0) if stamp else None
    replacements = [(_NAME, unit.name), (_CODE, unit.code)]
    replacements += [(_name(i), unit.names[i]) for i in range(1, len(unit.codes))]
    replacements += [(_code(i), unit.codes[i]) for i in range(1, len(unit.codes))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in _prototype(len(unit.codes), month, tuple(types)):
            if name.startswith(_PARTS_WITH_UNIT):
                text = content.decode("utf-8")
                for placeholder, value in replacements:
                    text = text.replace(placeholder, escape(_legal(value)))
                if when is not None and name == "docProps/core.xml":
                    text = _TIMES.sub(rf"\g<1>{when.isoformat()}Z\g<3>", text)
                content = text.encode("utf-8")
            time = when.timetuple()[:6] if when is not None else _FIXED_TIME
            package.writestr(zipfile.ZipInfo(name, time), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


_TIMES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)")


def _month_zh(month: str) -> str:
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


_EPOCH = dt.date(1899, 12, 30)  # Excel's (1900 system) day 0


def _serial(day: dt.date) -> str:
    return str((day - _EPOCH).days)


def _validation(
    kind: str, title: str, prompt: str, error_title: str, error: str, **more: str
) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type=kind,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="stop",
        promptTitle=title,
        prompt=prompt,
        errorTitle=error_title,
        error=error,
        **more,
    )


def _data_sheet(sheet: Worksheet, unit: Unit, month: str, types: list[str]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    side = Side(style="thin", color="A6A6A6")
    border = Border(left=side, right=side, top=side, bottom=side)
    fills = {
        True: PatternFill("solid", fgColor="FCE4D6"),
        False: PatternFill("solid", fgColor="DDEBF7"),
    }
    letters = {}
    for index, column in enumerate(HEADERS, start=1):
        letter = get_column_letter(index)
        letters[column.canonical] = letter
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = column.number_format  # the cells typed in take it
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = fills[column.required]
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 22
    sheet.freeze_panes = "A2"
    first, last = month_bounds(month)
    month_zh = _month_zh(month)
    validations = {
        "org_code": _validation(
            "list",
            "组织编码",
            "从下拉列表选择本单位或所属党支部的编码（对照见「填表说明」）。",
            "组织编码不在列表中",
            "请从下拉列表选择本单位或所属党支部的编码。",
            formula1=f"'{LIST_SHEET}'!$B$2:$B${len(unit.codes) + 1}",
        ),
        "activity_type": _validation(
            "list",
            "活动类型",
            "从下拉列表选择活动类型。",
            "活动类型不在列表中",
            "请从下拉列表选择活动类型。",
            formula1=f"'{LIST_SHEET}'!$A$2:$A${max(len(types), 1) + 1}",
        ),
        "activity_date": _validation(
            "date",
            "活动日期",
            f"填写{month_zh}内的日期，格式 yyyy-mm-dd，如 {first.isoformat()}。",
            "日期不在本月",
            f"本模板只收{month_zh}的活动：请填写 {first.isoformat()} 至 {last.isoformat()} "
            "之间的日期；其他月份请用该月的模板。",
            operator="between",
            formula1=_serial(first),
            formula2=_serial(last),
        ),
        "hours": _validation(
            "decimal",
            "服务时长（小时）",
            "填写小时数，大于 0、不超过 24，最多两位小数，如 2.5。",
            "服务时长不对",
            "服务时长须大于 0 且不超过 24 小时，如 2.5。",
            operator="between",
            formula1="0.01",
            formula2="24",
        ),
        "status": _validation(
            "list",
            "状态",
            "选择「已认定」或「待审核」；留空视为已认定。",
            "状态不在列表中",
            "请选择「已认定」或「待审核」，或留空（视为已认定）。",
            formula1='"' + ",".join(STATUSES) + '"',
        ),
    }
    for canonical, title in (("start_time", "开始时间"), ("end_time", "结束时间")):
        validations[canonical] = _validation(
            "time",
            title,
            "选填，格式 时:分，如 08:30。未填服务时长时按结束时间减开始时间计算。",
            "时间格式不对",
            "请填写一天内的时间，格式 时:分，如 08:30。",
            operator="between",
            formula1="0",
            formula2="0.999988425925926",  # 23:59:59
        )
    for canonical, validation in validations.items():
        letter = letters[canonical]
        validation.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(validation)


def guide_lines(unit: Unit, month: str) -> list[str]:
    """The instructions, one paragraph a row."""
    month_zh = _month_zh(month)
    first, last = month_bounds(month)
    name = f"{unit.code}_{month}.xlsx"
    return [
        f"1. 在「{DATA_SHEET}」工作表填写{month_zh}的活动，每人每次活动一行；"
        "不要修改表头、增删列或改动工作表名称。橙色表头为必填项。",
        "2. 人员编号：必填，填写花名册中的人员编号（工号、学号或党员编号）。姓名：选填。",
        "3. 组织编码：必填，从下拉列表选择本单位或所属党支部的编码（对照见下方）。",
        f"4. 活动日期：必填，只能填写 {first.isoformat()} 至 {last.isoformat()} 之间的日期，"
        "格式 yyyy-mm-dd。",
        "5. 服务时长：单位为小时，大于 0、不超过 24，最多两位小数，如 2.5。"
        "开始时间、结束时间（时:分，如 08:30）选填；未填服务时长时按两者之差计算。",
        "6. 活动类型：必填，从下拉列表选择。活动名称、活动地点、报到社区（双报到服务的社区）选填。",
        "7. 状态：从下拉列表选择「已认定」或「待审核」；留空视为已认定。",
        f"8. 每月一个文件：本文件只填{month_zh}的活动，文件名保持「{name}」不变；"
        "下个月请使用下个月的模板。",
        "9. 更正：在本文件中修改后，以同一文件名重新报送；新文件整体替换上次报送的内容，"
        "所以请发送完整的文件，不要只发送改动的行。",
        f"10. 本工作表（{HELP_SHEET}）和隐藏的「{LIST_SHEET}」工作表不会被导入，无需删除。",
    ]


EXAMPLE_PREFIX = "示例-"


def _guide_sheet(sheet: Worksheet, unit: Unit, month: str, types: list[str]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    side = Side(style="thin", color="A6A6A6")
    border = Border(left=side, right=side, top=side, bottom=side)
    grey = PatternFill("solid", fgColor="EDEDED")
    sheet.column_dimensions["A"].width = 16
    for index in range(2, len(HEADERS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    title = f"{unit.name}（{unit.code}）{_month_zh(month)}活动记录报送模板 填表说明"
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    row = 3
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in guide_lines(unit, month):
        sheet.cell(row=row, column=1, value=line).alignment = wrap
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))
        sheet.row_dimensions[row].height = 32
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value="填写示例（本行只作示范，不会被导入）：").font = Font(
        bold=True
    )
    row += 1
    first, _ = month_bounds(month)
    values = {
        "person_id": "T0001",
        "person_name": "张三",
        "org_code": unit.codes[-1],
        "activity_date": (first + dt.timedelta(days=14)).isoformat(),
        "start_time": "08:30",
        "end_time": "11:00",
        "hours": "2.50",
        "activity_type": types[0] if types else "",
        "activity_title": "主题党日活动",
        "location": "学校会议室",
        "community": "",  # 双报到 only
        "status": STATUSES[0],
    }
    for index, column in enumerate(HEADERS, start=1):
        head = sheet.cell(row=row, column=index, value=EXAMPLE_PREFIX + column.header)
        head.font, head.fill, head.border = Font(bold=True), grey, border
        cell = sheet.cell(row=row + 1, column=index, value=values[column.canonical] or None)
        cell.font, cell.border = Font(italic=True, color="7F7F7F"), border
    row += 3
    sheet.cell(row=row, column=1, value="本单位可填的组织编码：").font = Font(bold=True)
    row += 1
    for index, text in enumerate(("可选编码", "对应单位"), start=1):
        head = sheet.cell(row=row, column=index, value=text)
        head.font, head.fill, head.border = Font(bold=True), grey, border
    for code, name in zip(unit.codes, unit.names, strict=True):
        row += 1
        sheet.cell(row=row, column=1, value=code)
        sheet.cell(row=row, column=2, value=name)


def _list_sheet(sheet: Worksheet, unit: Unit, types: list[str]) -> None:
    sheet.cell(row=1, column=1, value="活动类型可选值")
    sheet.cell(row=1, column=2, value="组织编码可选值")
    for row, name in enumerate(types, start=2):
        sheet.cell(row=row, column=1, value=name)
    for row, code in enumerate(unit.codes, start=2):
        sheet.cell(row=row, column=2, value=code)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 16
