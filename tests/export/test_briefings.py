"""bureau_monthly.csv and the monthly briefings (工作简报), on the first-slice inbox with
one more log row: T001 also holds an activity day at B011 (D01) on 2025-03-20, while
their March session at S02 counts in D02, so in March T001 is a volunteer of two
districts and one volunteer of the bureau.

Hand-worked (the first slice's figures are in tests/test_pipeline.py):
- roster, bureau-wide: T001 T002 T003 T008 (D01; T003 left 2025-01-31), T005 T006 (D02;
  T004 joined 2025-02-10), T007 (unknown org S99): 7 in every month.
- 2025-01: T001 120 min (B011 activity day), T002 150 (便民利民), T003 90 (党课, B012),
  T005 180 (集中培训, S02): 4 volunteers, 540 min = 9.00 h, volunteer service 150 =
  2.50, avg 540/60/4 = 2.25, active 4/7 = 0.5714; branch units B011 B012 S02, B011
  covered: 1/3 = 0.3333; 4 activities.
- 2025-02: T001 180 (双报到), T002 63 (支委会, B012), T004 120 (activity day, S02): 3
  volunteers, 363 min = 6.05 h, service 180 = 3.00, avg 363/180 = 2.0167 -> 2.02,
  active 3/7 = 0.4286, S02 covered: 0.3333; 3 activities.
- 2025-03: D01 T001 60 (the added row); D02 T001 60, T005 120, T004 75, a phone not on
  the roster 60, T006 120 (435 min); unknown T002 120. Volunteers: districts 1 + 5 + 1
  = 7, bureau 6 (T001 once). 615 min = 10.25 h; service 255 + 120 = 375 = 6.25; avg
  615/60/6 = 1.7083 -> 1.71; active T001 T002 T004 T005 T006 = 5/7 = 0.7143; B011 and
  S02 covered: 2/3 = 0.6667; 7 activities.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import duckdb
import pytest

from export.package import export
from kernel.paths import warehouse_paths
from kernel.snapshot import connect_current
from tests.conftest import Warehouse, make_warehouse

pytestmark = pytest.mark.integration

ADDED_ROW = (
    "人员编号,身份证号,手机号,姓名,组织编码,组织名称,活动日期,开始时间,结束时间,服务时长,"
    "活动类型,活动名称,服务地点,报到社区,审核状态\n"
    "T001,,,张三,B011,,2025-03-20,,,1,党员活动日,三月主题党日,,,已认定\n"
)

EXPECTED_BUREAU = """\
district_code,district_name,month,roster_size,active_members,participation_rate,\
volunteers,person_times,total_hours,volunteer_service_hours,avg_hours_per_volunteer,\
activity_day_coverage,events_logged,events_reported,events_held,reported_person_times,\
reported_hours
bureau,全市,2025-01,7,4,0.5714,4,4,9.00,2.50,2.25,0.3333,4,0,4,0,0.00
bureau,全市,2025-02,7,3,0.4286,3,3,6.05,3.00,2.02,0.3333,3,0,3,0,0.00
bureau,全市,2025-03,7,5,0.7143,6,7,10.25,6.25,1.71,0.6667,7,0,7,0,0.00
"""

# D01 2025-03 against 2025-02 (2025-02: 2 activities, 2 person-times, 243 min, 180 of
# service, 2 volunteers, avg 2.025, 2/3 active, no activity day): -50.0%, 60 vs 243
# min -75.3%, 0 vs 180 -100.0%, avg 1.00 vs 2.025 -50.6%, rate 2/3 both 0.0 points,
# coverage 0 -> 1/2 +50.0 points. No March 2024: no 同比.
# 三会一课, March and Q1 (March ends it): B011 held the activity day only; B012 held
# the Q1 party lecture (2025-01-20) only: 10 judged, 2 met, 8 missed.
EXPECTED_D01 = [
    "城东协作区2025年3月志愿服务与组织生活工作简报",
    "本月全区共开展活动1场次（环比-50.0%），其中活动记录登记1场次、活动汇总表报送0场次；"
    "参与1人次（环比-50.0%），服务时长1.00小时（环比-75.3%），"
    "其中志愿服务时长0.00小时（环比-100.0%）。",
    "本月参加活动的志愿者1人（环比-50.0%），人均服务时长1.00小时（环比-50.6%）。"
    "花名册在册3人，其中2人参加了活动，参与率66.67%（环比0.0个百分点）。",
    "全区开展党员活动日的支部覆盖率为50.00%（环比+50.0个百分点）。"
    "落实“三会一课”制度方面，本月及本季度应开展的10项组织生活中，已达标2项，未达标8项；"
    "未达标的支部：第一中学语文组党支部（支委会、党小组会、支部党员大会、党课）；"
    "第一中学数学组党支部（党员活动日、支委会、党小组会、支部党员大会）。",
    "服务时长居前的单位：第一中学服务1.00小时、1人次。",
    "另据各单位报送的活动汇总表，本月汇总报送活动0场次，参加0人次，时长0.00小时"
    "（不计入以上按人统计的人数、人次和时长）。",
    # dq_submissions, March: S01 sent the added row (B011) and had no March rejects
    "报送情况：全区1个学校和机关中，1个报送了本月的活动记录，均已报送。",
]
# the bureau, March against February: 7 vs 3 +133.3%, 615 vs 363 min +69.4%, 375 vs
# 180 +108.3%, 6 vs 3 +100.0%, avg (615/360)/(363/180) = 615/726 -15.3%, 5/7 vs 3/7
# +28.6 points, 2/3 vs 1/3 +33.3 points. S02 held its activity day (2025-03-06) only:
# 15 judged, 3 met, 12 missed, by B011 B012 (D01) and S02 (D02). Top units: S02 315 min
# 4 person-times, O01 120 min 1, S01 60 min 1. Pending: O01's unknown status word, 60 min.
EXPECTED_BUREAU_TEXT = [
    "全市2025年3月志愿服务与组织生活工作简报",
    "本月全市共开展活动7场次（环比+133.3%），其中活动记录登记7场次、活动汇总表报送0场次；"
    "参与7人次（环比+133.3%），服务时长10.25小时（环比+69.4%），"
    "其中志愿服务时长6.25小时（环比+108.3%）。",
    "本月参加活动的志愿者6人（环比+100.0%），人均服务时长1.71小时（环比-15.3%）。"
    "花名册在册7人，其中5人参加了活动，参与率71.43%（环比+28.6个百分点）。",
    "全市开展党员活动日的支部覆盖率为66.67%（环比+33.3个百分点）。"
    "落实“三会一课”制度方面，本月及本季度应开展的15项组织生活中，已达标3项，未达标12项；"
    "有未达标项的支部共3个，其中城东协作区2个、城西协作区1个（名单见各协作区简报）。",
    "服务时长居前的单位：第二小学（城西协作区）服务5.25小时、4人次；"
    "教育局机关（城西协作区）服务2.00小时、1人次；第一中学（城东协作区）服务1.00小时、1人次。",
    "另据各单位报送的活动汇总表，本月汇总报送活动0场次，参加0人次，时长0.00小时"
    "（不计入以上按人统计的人数、人次和时长）。",
    # S01 (the added row), O01 (lines 24-26) and S02 (lines 20-23) all sent March rows
    "报送情况：全市3个学校和机关中，3个报送了本月的活动记录，均已报送。",
    "数据说明：本月另有待审核或状态不明的活动记录1条（1.00小时），未计入上述数字。",
]


@pytest.fixture(scope="module")
def crossing(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The first-slice inbox plus the added row, ingested, built, published, exported."""
    warehouse = make_warehouse(tmp_path_factory.mktemp("briefings"), "first_slice_inbox")
    (warehouse.inbox / "logs" / "s03_cross.csv").write_text(ADDED_ROW, encoding="utf-8")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.run("publish")
    warehouse.outputs["export"] = warehouse.run("export", "--out", str(warehouse.exports))
    return warehouse


def _texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_bureau_monthly_counts_a_person_of_two_districts_once(crossing: Warehouse) -> None:
    written = (crossing.exports / "bureau_monthly.csv").read_bytes()
    assert written == EXPECTED_BUREAU.encode("utf-8")  # no BOM, LF
    districts = _rows(crossing.exports / "district_monthly.csv")
    march = [r for r in districts if r["month"] == "2025-03"]
    assert {r["district_code"]: r["volunteers"] for r in march} == {
        "D01": "1",
        "D02": "5",
        "D03": "0",
        "unknown": "1",
    }
    # the sums that add up do; the distinct volunteers do not (7 over districts, 6)
    assert sum(int(r["person_times"]) for r in march) == 7
    assert sum(int(r["volunteers"]) for r in march) == 7
    manifest = (crossing.exports / "manifest.json").read_text(encoding="utf-8")
    assert '"bureau_monthly.csv": {\n      "rows": 3,' in manifest
    for name in ("D01", "D02", "D03", "bureau"):
        assert f'"briefings/{name}.docx"' in manifest
    assert "briefings/unknown.docx" not in manifest
    assert sorted(p.name for p in (crossing.exports / "briefings").iterdir()) == [
        "D01.docx",
        "D02.docx",
        "D03.docx",
        "bureau.docx",
    ]


def test_briefings_read_as_worked_out_by_hand(crossing: Warehouse) -> None:
    d01 = _texts(crossing.exports / "briefings" / "D01.docx")
    assert d01[:-1] == EXPECTED_D01
    assert re.fullmatch(
        r"（数据截至\d{4}-\d{2}-\d{2}。各项指标与district_monthly.csv中D01、2025-03一行一致（比率写作百分数，如0\.6667即66\.67%），"
        r"各单位的数字与organization_monthly.csv一致。）",
        d01[-1],
    )
    bureau = _texts(crossing.exports / "briefings" / "bureau.docx")
    assert bureau[:-1] == EXPECTED_BUREAU_TEXT


def test_each_briefing_holds_every_figure_of_its_row(crossing: Warehouse) -> None:
    rows = _rows(crossing.exports / "district_monthly.csv")
    rows += _rows(crossing.exports / "bureau_monthly.csv")
    checked = 0
    for row in rows:
        if row["month"] != "2025-03" or row["district_code"] == "unknown":
            continue
        text = "".join(_texts(crossing.exports / "briefings" / f"{row['district_code']}.docx"))
        for column, value in row.items():
            if column in ("district_code", "month"):
                continue
            if column in ("participation_rate", "activity_day_coverage") and value:
                value = f"{Decimal(value) * 100:.2f}%"  # a share reads as a percent
            assert (value or "—") in text, (row["district_code"], column, value)
        checked += 1
    assert checked == 4
    # D03 has no units and no earlier figures: no change is stated, empty rates as —
    d03 = "".join(_texts(crossing.exports / "briefings" / "D03.docx"))
    assert "环比" not in d03 and "同比" not in d03
    assert "参与率—" in d03 and "覆盖率为—" in d03


def test_styles_set_chinese_fonts_and_a4(crossing: Warehouse) -> None:
    with zipfile.ZipFile(crossing.exports / "briefings" / "D02.docx") as document:
        styles = document.read("word/styles.xml").decode("utf-8")
        body = document.read("word/document.xml").decode("utf-8")
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S)
    title = re.search(r'<w:style [^>]*w:styleId="Title".*?</w:style>', styles, re.S)
    assert normal is not None and title is not None
    assert 'w:eastAsia="宋体"' in normal[0] and 'w:ascii="SimSun"' in normal[0]
    assert 'w:eastAsia="黑体"' in title[0] and 'w:ascii="SimHei"' in title[0]
    assert "Theme" not in re.search(r"<w:rFonts [^>]*>", title[0])[0]  # type: ignore[index]
    assert '<w:pgSz w:w="11906" w:h="16838"' in body  # A4 in twentieths of a point


def _export(warehouse: Warehouse, out: Path, **options: object) -> dict:
    con, snapshot = connect_current(warehouse_paths(warehouse.root))
    try:
        return export(con, snapshot, out, **options)  # type: ignore[arg-type]
    finally:
        con.close()


def test_a_template_folder_changes_the_wording(crossing: Warehouse, tmp_path: Path) -> None:
    from export.briefings import DEFAULT_TEMPLATES

    mine = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, mine)
    (mine / "activities.j2").write_text(
        "{{ district_name }}本月举办活动{{ events_held }}场，上月以来{{ "
        "change.events_held.previous_month }}。<b>{{ '&' }}</b>\n",
        encoding="utf-8",
    )
    manifest = _export(crossing, tmp_path / "out", briefing_templates=mine)
    assert "briefings/D01.docx" in manifest["files"]
    d01 = _texts(tmp_path / "out" / "briefings" / "D01.docx")
    assert d01[1] == "城东协作区本月举办活动1场，上月以来-50.0%。<b>&</b>"  # plain text
    assert d01[2] == EXPECTED_D01[2]  # the other paragraphs as before


def test_an_unknown_key_names_the_file_and_the_key(crossing: Warehouse, tmp_path: Path) -> None:
    from export.briefings import DEFAULT_TEMPLATES

    mine = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, mine)
    (mine / "events.j2").write_text("{{ events_helld }}场次\n", encoding="utf-8")
    before = (crossing.exports / "manifest.json").read_bytes()
    result = crossing.run(
        "export", "--out", str(crossing.exports), "--briefing-templates", str(mine), check=False
    )
    assert result.returncode == 1
    assert f"briefing template {mine / 'events.j2'}: unknown key ('events_helld' is undefined)" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert (crossing.exports / "manifest.json").read_bytes() == before  # export intact
    # the environment variable chooses the folder too
    crossing.env["BRIEFING_TEMPLATES"] = str(mine)
    try:
        result = crossing.run("export", "--out", str(tmp_path / "out"), check=False)
    finally:
        del crossing.env["BRIEFING_TEMPLATES"]
    assert result.returncode == 1 and "events_helld" in result.stderr


def test_no_pdf_skips_the_briefings_not_the_bureau_csv(crossing: Warehouse, tmp_path: Path) -> None:
    manifest = _export(crossing, tmp_path / "out", pdf=False)
    assert manifest["files"]["bureau_monthly.csv"]["rows"] == 3
    assert not any(name.startswith(("briefings/", "reports/")) for name in manifest["files"])
    assert not (tmp_path / "out" / "briefings").exists()


def test_a_snapshot_without_the_bureau_mart_still_exports(
    crossing: Warehouse, tmp_path: Path
) -> None:
    con, snapshot = connect_current(warehouse_paths(crossing.root))
    con.close()
    older = tmp_path / "older.duckdb"
    shutil.copyfile(snapshot.path, older)
    with duckdb.connect(str(older)) as writable:
        writable.execute("drop table agg_bureau_monthly")
    con = duckdb.connect(str(older), read_only=True)
    try:
        manifest = export(con, snapshot, tmp_path / "out")
    finally:
        con.close()
    files = manifest["files"]
    assert "bureau_monthly.csv" not in files and "briefings/bureau.docx" not in files
    assert {"district_monthly.csv", "briefings/D01.docx", "reports/D01.pdf"} <= set(files)


def test_suppress_hides_the_bureau_counts_a_district_hides(
    crossing: Warehouse, tmp_path: Path
) -> None:
    """SUPPRESS=5: every district of March hides a count of people (D01 roster 3,
    active 2, volunteers 1), so the bureau's total of that column is hidden too, or it
    would give the hidden cell back beside the others; person-times and hours stay."""
    _export(crossing, tmp_path / "out", suppress=5, pdf=False)
    lines = (tmp_path / "out" / "bureau_monthly.csv").read_text(encoding="utf-8").splitlines()
    assert lines[3] == "bureau,全市,2025-03,*,*,*,*,7,10.25,6.25,*,0.6667,7,0,7,0,0.00"


def test_a_briefing_is_stamped_with_its_snapshot_not_the_clock() -> None:
    from export.briefings import document_bytes

    texts = {"title": ["标题"], "activities": ["本月全区共开展活动1场次。"]}
    data = document_bytes(texts, "2025-04-01T08:30:15.123456")
    with zipfile.ZipFile(io.BytesIO(data)) as document:
        assert {info.date_time for info in document.infolist()} == {(2025, 4, 1, 8, 30, 14)}
        core = document.read("docProps/core.xml").decode("utf-8")
    assert "2025-04-01T08:30:15Z</dcterms:created>" in core
    assert "2025-04-01T08:30:15Z</dcterms:modified>" in core


def test_the_briefing_names_the_units_that_sent_nothing(crossing: Warehouse) -> None:
    from export.briefing_context import submissions

    con, _ = connect_current(warehouse_paths(crossing.root))
    try:
        # January: D02's O01 sent nothing, S02 sent T005's training (first slice)
        assert submissions(con, "D02", "2025-01") == {
            "has_submissions": True,
            "units_total": 2,
            "units_reported": 1,
            "units_missing": ["教育局机关"],
            "units_missing_text": "教育局机关",
            "month_rejected_rows": 0,
        }
        # February: S01 有退回 (9 of s01's rejects are dated in February at S01's codes),
        # O01 假期 (a break month without rows: not missing), S02 已报送
        assert submissions(con, "bureau", "2025-02") == {
            "has_submissions": True,
            "units_total": 3,
            "units_reported": 2,
            "units_missing": [],
            "units_missing_text": "",
            "month_rejected_rows": 9,
        }
    finally:
        con.close()
