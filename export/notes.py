"""The notes every export format shares, written once: months the snapshot has no
activity for yet (stderr, the workbook, the PDFs), and what a reader narrower than the
bureau is told instead of the file-level data-quality figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kernel.formatting import format_month


def _months_zh(months: Sequence[str]) -> str:
    return "、".join(format_month(m) for m in months)


def quiet_months_warning(months: Sequence[str], latest: dt.date) -> str:
    """The command line's warning (one line, in English like its other messages)."""
    return (
        f"warning: the snapshot holds no approved activity after {latest.isoformat()}, "
        f"so the figures of {', '.join(months)} are zeros until activity of that time "
        "is loaded (manifest.json: months_without_activity)"
    )


def quiet_months_zh(months: Sequence[str], report_month: str | None = None) -> str:
    """The note of a PDF report (``report_month``: the month it reports on)."""
    mine = (
        f"（本报告所属的{format_month(report_month)}也在其中）"
        if report_month is not None and report_month in months
        else ""
    )
    return (
        f"注意：{_months_zh(months)}在本快照中还没有任何已认定的活动记录{mine}，"
        "这些月份的数字均为 0；导入这些月份的活动数据并重新构建后，数字会相应变化。"
    )


def quiet_months_workbook(months: Sequence[str]) -> str:
    """The note of the workbook's sheets, in Chinese and English like its headers."""
    return (
        f"{quiet_months_zh(months)} Note: the snapshot holds no approved activity for "
        f"{', '.join(months)} yet; their figures are zeros until activity for them is loaded."
    )


# a reader narrower than the bureau gets the data-quality notes of their districts
# (pending sessions, people missing from the roster) and, instead of the counts that
# belong to files (rejected rows, unknown organizations), this line
FILE_NOTES_BUREAU_ONLY = (
    "按文件统计的数据质量情况（如格式错误的行）只提供给教育局，请向教育局查询。"
)
