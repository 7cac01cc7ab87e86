"""``reports/<district_code>.pdf``: the monthly report a district receives, on A4, in
Chinese, with the font embedded and charts drawn by reportlab (no browser needed).

The report is for the period's last month: headline figures and their change on the
month before, the trend over the period, the ranking of the district's units, the
activity-day and 三会一课 compliance of its branches, data-quality notes, and on every
page a footer with the snapshot's cut-off (数据截至) and digest (快照摘要), in words of
the report's language. Figures come from the same
tables as the CSV files, suppression included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from export.district_monthly import Period, mart_rows
from export.formatting import SUPPRESSED, SUPPRESSED_TEXT, Value
from export.notes import FILE_NOTES_BUREAU_ONLY, quiet_months_zh
from export.pdf_common import GRID, HEADER_BACKGROUND, register_font, styles
from export.tables import Tables, UnitRow, build_tables
from kernel import catalog, seeds
from kernel.catalog import Metric
from kernel.formatting import HOURS, format_month, percent, previous_month, quarter_of, ratio
from kernel.snapshot import SnapshotInfo

STATUS_ZH = {"met": "达标", "missed": "未达标", "in_progress": "进行中"}
# under the name of a 三会一课 type held once a quarter (the cadence seed says which)
CADENCE_NOTES_ZH = {"quarterly": "\n(每季度)"}
# The headline table leads with hours and the people reached; every other metric of
# the catalog follows in the catalog's order, so a metric added to the catalog
# appears in the report with no edit here.
HEADLINES_FIRST = ("total_hours", "volunteer_service_hours", "person_times", "volunteers")
# the metrics of the units' ranking, after its rank, unit and type
RANKING = ("total_hours", "person_times", "volunteers", "participation_rate")
# the event summaries' own figures (活动汇总): never in the headline table beside the
# person-level figures, stated apart under 另据活动汇总表 (``summary_sentence``)
SUMMARY_FIGURES = ("events_reported", "reported_person_times", "reported_hours")


def compliance_columns() -> tuple[tuple[str, str], ...]:
    """The 三会一课 columns: (activity type, its heading), in the cadence seed's order,
    named by the activity-type seed."""
    names = seeds.activity_type_names("zh")
    return tuple(
        (code, names[code] + CADENCE_NOTES_ZH.get(cadence, ""))
        for code, cadence in seeds.cadences().items()
    )


def file_stem(code: str) -> str:
    """A district code as a file name: anything but letters, digits, - and _ becomes _."""
    return re.sub(r"[^0-9A-Za-z_-]", "_", code) or "_"


def _rounded(value: Fraction, places: str = HOURS) -> Decimal:
    """An exact fraction rounded half up to ``places`` (default 2 decimals)."""
    rounded = ratio(value.numerator, value.denominator, places)
    assert rounded is not None  # a Fraction's denominator is never 0
    return rounded


def grouped(value: Decimal | int) -> str:
    """A figure of a table: thousands separated, its decimals as rounded (12,345 and
    6,060.50, as the dashboard's tables write them)."""
    return f"{value:,}"


def _signed(value: Decimal | int) -> str:
    return f"+{grouped(value)}" if value > 0 else grouped(value)


def _places(decimals: int) -> str:
    return "1" if decimals <= 0 else "0." + "0" * (decimals - 1) + "1"


def _exact(metric: Metric, row: UnitRow) -> Fraction:
    """A metric's exact value from its row's exact mart columns (hours for minutes)."""
    mart = row.mart
    if metric.kind == "additive_minutes":
        return Fraction(int(mart[metric.minutes or ""]), 60)
    if metric.kind == "ratio":
        denominator = int(mart[metric.denominator or ""]) * metric.denominator_scale
        return Fraction(int(mart[metric.numerator or ""]), denominator)
    return Fraction(int(mart[metric.key]))


def shown(metric: Metric, row: UnitRow) -> str:
    """A figure as the report prints it (shares as percentages)."""
    value = row.values[metric.key]
    if value is SUPPRESSED:
        return SUPPRESSED_TEXT
    if value is None:
        return "—"
    if metric.unit == "share":
        exact = _exact(metric, row)
        return percent(exact.numerator, exact.denominator)
    assert isinstance(value, int | Decimal)
    return grouped(value)


def change(metric: Metric, now: UnitRow, before: UnitRow | None) -> str:
    """The change on the month before, from exact values (shares in percentage points),
    rounded half up once to the metric's places (a percentage's: 2 fewer)."""
    if before is None:
        return "—"
    a, b = now.values[metric.key], before.values[metric.key]
    if a is SUPPRESSED or b is SUPPRESSED or a is None or b is None:
        return "—"
    exact = _exact(metric, now) - _exact(metric, before)
    if metric.unit == "share":
        return f"{_signed(_rounded(exact * 100, _places(metric.decimals - 2)))} 个百分点"
    if metric.kind in ("additive_minutes", "ratio"):
        return _signed(_rounded(exact, metric.places))
    assert isinstance(a, int) and isinstance(b, int)
    return _signed(a - b)


def headline_metrics(metrics: Sequence[Metric]) -> list[Metric]:
    """The catalog's metrics in the headline table's order (``HEADLINES_FIRST``), less
    the event summaries' own figures (``SUMMARY_FIGURES``), which are stated apart."""
    first = [m for key in HEADLINES_FIRST for m in metrics if m.key == key]
    rest = HEADLINES_FIRST + SUMMARY_FIGURES
    return first + [m for m in metrics if m.key not in rest]


def summary_sentence(metrics: Sequence[Metric], row: UnitRow) -> str | None:
    """The event summaries' figures of a district's month, apart from every
    person-level figure: 另据活动汇总表：开展活动X场次，参与X人次，服务时长X小时. None when
    the month has no approved summary row (or the catalog lacks the figures)."""
    keys = [m.key for m in metrics]
    if any(key not in keys or key not in row.values for key in SUMMARY_FIGURES):
        return None
    events, person_times, hours = (row.values[key] for key in SUMMARY_FIGURES)
    if not events:
        return None
    return (
        f"另据活动汇总表：开展活动{events}场次，参与{person_times}人次，服务时长{hours}小时"
        "（按活动汇总，不计入上表的人次、时长和人数）。"
    )


def headline_table(
    metrics: Sequence[Metric], month: str, now: UnitRow, before: UnitRow | None
) -> list[list[object]]:
    """The headline table: each metric's name, this month's figure, the month before's
    and the change."""
    table: list[list[object]] = [["指标", format_month(month), "上月", "变化"]]
    for metric in headline_metrics(metrics):
        table.append(
            [
                metric.name_zh,
                shown(metric, now),
                "—" if before is None else shown(metric, before),
                change(metric, now, before),
            ]
        )
    return table


def _table(data: list[list[object]], widths: list[float], align_right_from: int = 1) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), register_font()),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("ALIGN", (align_right_from, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def trend_chart(rows: list[UnitRow]) -> Drawing:
    """Total hours per month of the period, as bars with their values."""
    font = register_font()
    drawing = Drawing(170 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 12 * mm
    chart.width, chart.height = 150 * mm, 42 * mm
    values = [
        float(r.values["total_hours"]) if isinstance(r.values["total_hours"], Decimal) else 0.0
        for r in rows
    ]
    chart.data = [values or [0.0]]
    chart.categoryAxis.categoryNames = [r.labels["month"] for r in rows] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    if len(rows) > 8:  # slanted, so twelve or more months stay readable
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.dy = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#3B6EA5")
    # each bar's hours written on it, while there is room (a year or less)
    chart.barLabelFormat = "%.2f" if len(rows) <= 12 else None
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(String(2 * mm, 58 * mm, "各月总时长（小时）", fontName=font, fontSize=9))
    return drawing


def footer_text(snapshot: SnapshotInfo) -> str:
    """The line at the foot of every page: the snapshot's cut-off and its digest, in
    Chinese words (the digest in full: it names the snapshot the figures come from)."""
    return f"数据截至 {snapshot.as_of}　快照摘要 {snapshot.digest}"


def _footer(snapshot: SnapshotInfo, title: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    font = register_font()

    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(15 * mm, 10 * mm, footer_text(snapshot))
        canvas.drawRightString(A4[0] - 15 * mm, 14 * mm, f"{title}  第 {doc.page} 页")
        canvas.restoreState()

    return draw


def _dq_notes(
    con: duckdb.DuckDBPyConnection,
    district: str,
    period: Period,
    bureau: bool,
    metrics: Sequence[Metric],
) -> list[str]:
    """The district's data-quality notes (``metrics``: the catalog that names the
    figures they speak of). Rejected rows and unknown organizations are counted per
    file, and a file is not one district's: only a bureau reader gets them, anyone
    else a line that refers them to the bureau."""
    notes = []
    pending = mart_rows(
        con,
        "select coalesce(sum(sessions), 0) as sessions, coalesce(sum(total_minutes), 0) "
        "as minutes from dq_pending_sessions where district_code = ? and month between ? and ?",
        [district, period.first, period.last],
    )[0]
    if pending["sessions"]:
        hours = _rounded(Fraction(int(pending["minutes"]), 60))
        notes.append(
            f"待审核或状态不明的活动 {pending['sessions']:,} 条（{hours:,} 小时），"
            "未计入上述任何数字。"
        )
    missing = mart_rows(
        con,
        "select coalesce(sum(approved_sessions), 0) as sessions "
        "from dq_people_missing_from_roster where district_code = ? and month between ? and ?",
        [district, period.first, period.last],
    )[0]
    if missing["sessions"]:
        notes.append(
            f"不在花名册上的人员参加活动 {missing['sessions']:,} 人次："
            f"计入时长和{catalog.label('person_times', 'zh', metrics)}，"
            f"不计入{catalog.label('participation_rate', 'zh', metrics)}；请补报花名册。"
        )
    if not bureau:
        return [*notes, FILE_NOTES_BUREAU_ONLY]
    if district == "unknown":
        unknown = mart_rows(
            con,
            "select count(*) as labels, coalesce(sum(approved_sessions), 0) as sessions "
            "from dq_unknown_organizations",
            [],
        )[0]
        notes.append(
            f"{unknown['labels']:,} 个组织编码或名称无法识别（{unknown['sessions']:,} 人次），"
            f"计入“{seeds.UNKNOWN_DISTRICT['zh']}”；请在组织名单中补充。"
        )
    rejected = mart_rows(
        con, "select coalesce(sum(rejected_rows), 0) as rows from dq_rejects_by_reason", []
    )[0]
    if rejected["rows"]:
        notes.append(
            f"全部导入文件中共有 {rejected['rows']:,} 行因格式错误被拒收，未计入统计"
            "（详见数据质量报告）。"
        )
    return notes or ["本期没有需要说明的数据质量问题。"]


def _compliance(con: duckdb.DuckDBPyConnection, district: str, month: str) -> list[list[object]]:
    rows = mart_rows(
        con,
        "select org_code, org_name, activity_type_code, meetings_held, min_meetings_held, "
        "compliance_status from agg_branch_compliance "
        "where district_code = ? and period in (?, ?) order by org_code",
        [district, month, quarter_of(month)],
    )
    by_org: dict[str, dict[str, dict]] = {}
    names: dict[str, str] = {}
    for row in rows:
        by_org.setdefault(row["org_code"], {})[row["activity_type_code"]] = row
        names[row["org_code"]] = row["org_name"] or row["org_code"]
    style = styles()["cell"]
    columns = compliance_columns()
    data: list[list[object]] = [["单位", *(heading for _, heading in columns)]]
    for code, cells in by_org.items():
        line: list[object] = [Paragraph(escape(names[code]), style)]
        for activity, _ in columns:
            cell = cells.get(activity)
            line.append(
                "—"
                if cell is None
                else f"{STATUS_ZH.get(cell['compliance_status'], cell['compliance_status'])} "
                f"{cell['meetings_held']}/{cell['min_meetings_held']}"
            )
        data.append(line)
    return data


def district_report(
    con: duckdb.DuckDBPyConnection,
    snapshot: SnapshotInfo,
    tables: Tables,
    district: UnitRow,
    target: Path,
) -> None:
    """Write one district's report for the period's last month."""
    style = styles()
    code, name = district.labels["district_code"], district.labels["district_name"]
    month = tables.period.last
    by_month = {r.labels["month"]: r for r in tables.districts if r.labels["district_code"] == code}
    now, before = by_month[month], by_month.get(previous_month(month))
    period_rows = [r for m, r in sorted(by_month.items()) if m >= tables.period.first]
    title = f"{name} 志愿服务与组织生活月报"
    story: list[object] = [
        Paragraph(escape(f"{title}（{format_month(month)}）"), style["title"]),
        Paragraph(
            escape(
                f"区域编码 {code} · 统计期 {tables.period.first} 至 {month} · "
                f"数据截至 {snapshot.as_of}"
            ),
            style["subtitle"],
        ),
    ]
    if tables.months_without_activity:
        story.append(
            Paragraph(
                escape(quiet_months_zh(tables.months_without_activity, month)), style["warning"]
            )
        )
    story.append(Paragraph("一、主要指标", style["h2"]))
    headline = headline_table(tables.metrics, month, now, before)
    story.append(_table(headline, [45 * mm, 35 * mm, 35 * mm, 40 * mm]))
    summaries = summary_sentence(tables.metrics, now)
    if summaries:
        story.append(Paragraph(escape(summaries), style["base"]))
    story += [Paragraph("二、月度趋势", style["h2"]), trend_chart(period_rows)]
    story.append(
        Paragraph(f"三、各单位排名（{format_month(month)}，按总时长；学校含其支部）", style["h2"])
    )
    in_district = [
        r
        for r in tables.organizations
        if r.labels["district_code"] == code and r.labels["month"] == month
    ]
    # schools and offices: a branch's figures are already in its school's
    codes = {r.labels["org_code"] for r in in_district}
    units = [r for r in in_district if r.labels["parent_org_code"] not in codes]
    units.sort(key=lambda r: (-int(r.mart["total_minutes"]), r.labels["org_code"]))
    ranked = [catalog.metric(key, tables.metrics) for key in RANKING]
    org_types = seeds.organization_type_names("zh")
    ranking: list[list[object]] = [["名次", "单位", "类型", *(m.name_zh for m in ranked)]]
    for place, unit in enumerate(units, start=1):
        ranking.append(
            [
                str(place),
                Paragraph(
                    escape(unit.labels["org_name"] or unit.labels["org_code"]), style["cell"]
                ),
                org_types.get(unit.labels["org_type"], unit.labels["org_type"]),
                *(shown(metric, unit) for metric in ranked),
            ]
        )
    if len(ranking) == 1:
        story.append(Paragraph("本区域暂无单位。", style["base"]))
    else:
        story.append(
            _table(ranking, [12 * mm, 58 * mm, 16 * mm, 24 * mm, 16 * mm, 22 * mm, 22 * mm])
        )
    if tables.k_organizations:
        story.append(
            Paragraph(
                f"“*”：人数少于 {tables.k_organizations} 人的格子（及可据合计推算出它的格子）"
                "不予公布。",
                style["small"],
            )
        )
    activity_day = seeds.activity_type_names("zh")["activity_day"]
    story.append(
        Paragraph(
            f"四、{activity_day}与“三会一课”落实情况"
            f"（{format_month(month)} / {quarter_of(month)}）",
            style["h2"],
        )
    )
    compliance = _compliance(con, code, month)
    if len(compliance) == 1:
        story.append(Paragraph("本区域没有需要开展组织生活的支部。", style["base"]))
    else:
        columns = len(compliance[0]) - 1
        story.append(_table(compliance, [50 * mm] + [25 * mm] * columns))
    story.append(Paragraph("五、数据质量说明", style["h2"]))
    for note in _dq_notes(con, code, tables.period, tables.bureau, tables.metrics):
        story.append(Paragraph(escape(f"• {note}"), style["base"]))
    story.append(Spacer(1, 4 * mm))
    doc = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=20 * mm,
        title=f"{title} {month}",
        author="volunteer-warehouse",
        subject=f"{code} {month} digest {snapshot.digest}",
        invariant=1,
    )
    footer = _footer(snapshot, f"{name} {format_month(month)}")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def write_reports(
    con: duckdb.DuckDBPyConnection, snapshot: SnapshotInfo, tables: Tables, folder: Path
) -> list[Path]:
    """One PDF per district that has a row in the period's last month."""
    folder.mkdir(parents=True, exist_ok=True)
    month = tables.period.last
    before = previous_month(month)
    if tables.period.first > before and before >= "2000-01":
        # the headline compares with the month before: build it with the same rules
        same = tables.k_districts == tables.k_organizations
        k = tables.k_organizations if same else None
        wider = build_tables(con, Period(before, month), k, tables.metrics)
        # the same units as the tables (a download holds only the reader's units)
        units = {r.labels["org_code"] for r in tables.organizations}
        report_tables = replace(
            tables,
            districts=wider.districts,
            organizations=[
                r
                for r in wider.organizations
                if r.labels["month"] == month and r.labels["org_code"] in units
            ],
        )
    else:
        report_tables = tables
    written = []
    for district in tables.districts:
        if district.labels["month"] != month:
            continue
        target = folder / f"{file_stem(district.labels['district_code'])}.pdf"
        district_report(con, snapshot, report_tables, district, target)
        written.append(target)
    return written


__all__ = ["Value", "write_reports"]
