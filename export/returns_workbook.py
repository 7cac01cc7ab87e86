"""The workbook of one return (退回清单, ``export/returns.py``): its sheets in Chinese.

退回明细 (one row per rejected row: line, reason as ingest writes it, column, value as
written with personal numbers masked, how to fix it), then a sheet per other finding
present (重复记录, 未知组织, 未识别活动类型, 未知状态), then 说明 (the file, when it
was loaded, its counts and what to do). Every header row bold and frozen; text cells
escaped so no value runs as a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import xlsxwriter
from xlsxwriter.format import Format

from export.formatting import escape_text
from export.returns_model import FileReturn, Finding
from export.xlsx import OPTIONS, text_width, write_cell

REJECTS_SHEET = "退回明细"
DUPLICATES_SHEET = "重复记录"
NOTES_SHEET = "说明"
FINDING_SHEETS = {
    "unknown_organization": "未知组织",
    "unmapped_activity_label": "未识别活动类型",
    "unknown_status": "未知状态",
}
REJECT_HEADERS = ("行号", "原因", "列", "原值", "修改方法")
DUPLICATE_HEADERS = ("行号", "保留的记录所在文件", "保留的记录行号", "修改方法")
DUPLICATE_FIX = (
    "该行与已加载的一行完全相同，未计入；如确是另一次活动，请核对日期、时长等，否则请删去"
)
ORG_HEADERS = ("组织编码", "组织名称", "原因", "行数", "行号", "修改方法")
ORG_REASONS = {
    "code_not_found": "单位名单中没有这个组织编码",
    "name_not_found": "单位名单中没有这个组织名称",
    "name_ambiguous": "有多个单位使用这个名称",
}
ORG_FIX = "改为单位名单中的组织编码；这些记录在改正前计入“未归属区域”"
LABEL_HEADERS = ("活动类型", "行数", "行号", "修改方法")
LABEL_FIX = "改为已发布的活动类型名称（如 党员活动日）；在改正前这些记录计入“其他”"
STATUS_HEADERS = ("审核状态", "行数", "行号", "修改方法")
STATUS_FIX = "改为 已认定、待审核 或 驳回；在改正前这些记录按待审核计，不计入统计"
MAX_WIDTH = 60
_UNNAMED = re.compile(r"^column (\d+)$")


def column_text(column: str) -> str:
    """A reject's column as a school reads it: ``column 16`` is 第 16 列, several
    alternatives (``人员编号/身份证号/手机号``) are joined with 、."""
    names = [name for name in column.split("/") if name]
    return "、".join(
        f"第 {match.group(1)} 列" if (match := _UNNAMED.match(name)) else name for name in names
    )


def lines_text(finding: Finding) -> str:
    """The lines of a finding: up to five, and 等 when there are more."""
    text = "、".join(str(line) for line in finding.lines)
    return text + ("等" if finding.sessions > len(finding.lines) else "")


def _sheet(
    book: xlsxwriter.Workbook,
    styles: dict[str, Format],
    title: str,
    headers: Sequence[str],
    rows: list[list[object]],
) -> None:
    """A sheet with a bold frozen header row and readable column widths (a column wider
    than MAX_WIDTH wraps, aligned to the top); widths in characters as Excel shows them."""
    sheet = book.add_worksheet(title)
    wraps = []
    for index, header in enumerate(headers):
        widest = max([text_width(header), *(text_width(row[index]) for row in rows)])
        sheet.set_column(index, index, min(widest + 2, MAX_WIDTH))
        wraps.append(styles["wrap"] if widest + 2 > MAX_WIDTH else None)
    sheet.freeze_panes(1, 0)
    for index, header in enumerate(headers):
        sheet.write_string(0, index, header, styles["bold"])
    for number, row in enumerate(rows, start=1):
        for index, (value, style) in enumerate(zip(row, wraps, strict=True)):
            text = escape_text(value) if isinstance(value, str) else value
            write_cell(sheet, number, index, text, style)


def loaded_at_text(item: FileReturn) -> str:
    return item.loaded_at.strftime("%Y-%m-%d %H:%M:%S") + " (UTC)"


def failed_notes_rows(item: FileReturn, name: str) -> list[list[object]]:
    """The rows of 说明 for a file that failed whole: why, and what to do."""
    return [
        ["文件", item.source_file],
        ["加载失败时间", loaded_at_text(item)],
        ["读取行数", item.rows_read],
        ["加载行数", 0],
        ["退回行数", item.rows_rejected],
        ["失败原因", item.failure],
        ["说明", "整个文件未能加载，其中没有任何一行计入统计"],
        [
            "怎么办",
            "请按失败原因改正文件，然后以相同的文件名（"
            f"{name}）重新发送：加载成功后，这个文件的内容才会计入统计",
        ],
    ]


def notes_rows(item: FileReturn, name: str) -> list[list[object]]:
    """The rows of 说明: the file, its load, its counts, and what to do."""
    if item.status == "failed":
        return failed_notes_rows(item, name)
    rows: list[list[object]] = [
        ["文件", item.source_file],
        ["加载时间", loaded_at_text(item)],
        ["读取行数", item.rows_read],
        ["加载行数", item.rows_loaded],
        ["退回行数", item.rows_rejected],
        ["未保留的重复记录", len(item.duplicates)],
        ["未知组织的记录", item.count("unknown_organization")],
        ["未识别活动类型的记录", item.count("unmapped_activity_label")],
        ["未知状态的记录", item.count("unknown_status")],
        ["说明", "读取行数 = 加载行数 + 退回行数；退回的行未加载，不计入任何统计"],
        [
            "怎么办",
            "请按本工作簿各工作表逐行改正原文件，然后以相同的文件名（"
            f"{name}）重新发送：新文件将整体替换这次加载的内容，已加载的行不会重复计算",
        ],
    ]
    return rows


def workbook_bytes(item: FileReturn) -> bytes:
    """The return of one file, as .xlsx bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    # stamped with the file's load time (XlsxWriter dates the package's members
    # 1980-01-01): the same snapshot gives the same bytes
    book.set_properties({"created": item.loaded_at.replace(microsecond=0)})
    styles = {
        "bold": book.add_format({"bold": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    _sheet(
        book,
        styles,
        REJECTS_SHEET,
        REJECT_HEADERS,
        [
            [reject.line, reject.message, column_text(reject.column), reject.value, reject.fix]
            for reject in item.rejects
        ],
    )
    if item.duplicates:
        _sheet(
            book,
            styles,
            DUPLICATES_SHEET,
            DUPLICATE_HEADERS,
            [[dup.line, dup.kept_file, dup.kept_line, DUPLICATE_FIX] for dup in item.duplicates],
        )
    for kind, title in FINDING_SHEETS.items():
        findings = item.findings.get(kind)
        if not findings:
            continue
        if kind == "unknown_organization":
            rows = [
                [
                    f.label,
                    f.label_name,
                    ORG_REASONS.get(f.reason, f.reason),
                    f.sessions,
                    lines_text(f),
                    ORG_FIX,
                ]
                for f in findings
            ]
            _sheet(book, styles, title, ORG_HEADERS, rows)
        else:
            headers, fix = (
                (LABEL_HEADERS, LABEL_FIX)
                if kind == "unmapped_activity_label"
                else (STATUS_HEADERS, STATUS_FIX)
            )
            _sheet(
                book,
                styles,
                title,
                headers,
                [[f.label, f.sessions, lines_text(f), fix] for f in findings],
            )
    name = item.source_file.rsplit("/", 1)[-1].split("#", 1)[0]
    _sheet(book, styles, NOTES_SHEET, ("项目", "内容"), notes_rows(item, name))
    book.close()
    return buffer.getvalue()
