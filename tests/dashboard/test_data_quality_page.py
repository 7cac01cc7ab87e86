"""The data-quality page (数据质量) under AppTest, on the first-slice warehouse.

From tests/fixtures/valid/first_slice_inbox/README.md and the files themselves: five
files load (districts, organizations, the roster and two activity logs); s01_2025q1.csv
has 25 data rows, of which lines 7-18 are rejected, one per reason code (12 rows); the
GB18030 log repeats two rows exactly (2 duplicates removed). s01 line 24's label 植树活动
matches no activity type; line 19's B099 is no organization (2 h); line 23's phone is on
no roster (S02, March, 1 h); line 6 (B012, February, 2.5 h, 待审核) and line 26 (O01,
March, 1 h, 审核中: an unknown word) are pending. Line 18's ID number 1.10105E+17 is
shown masked.
"""

from __future__ import annotations

import pytest
import yaml

from dashboard import i18n
from tests.conftest import REPO, Warehouse, make_warehouse
from tests.dashboard.conftest import Downloads
from tests.dashboard.pages import all_text, frames, rerun, run_page, widget

pytestmark = pytest.mark.integration


def tiles(at) -> list[tuple[str, str]]:
    return [(metric.label, metric.value) for metric in at.metric]


def test_every_list_an_analyst_acts_on(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(first_slice.root, monkeypatch, "data_quality")
    assert at.title[0].value == "数据质量"
    assert tiles(at) == [
        ("已加载文件", "5"),
        ("拒收行数", "12"),
        ("未匹配的活动名称", "1"),
        ("未知单位", "1"),
        ("待审核记录", "2"),
        ("不在花名册的记录", "1"),
    ]
    captions = [c.value for c in at.caption]
    assert "以下四项为全市全部已加载文件的数字，不随统计期间、区域和单位筛选变化" in captions
    assert (
        "以下两项随筛选变化（统计期间：2025年1月 – 2025年3月　区域：全部区域）；"
        "人员类别、活动类别不适用"
    ) in captions
    assert (
        "每次加载：读取行数 = 加载行数 + 拒收行数；被同名更正文件替换的标为已替换，"
        "撤回的标为已撤回（全市，不随筛选变化）" in captions
    )
    shown = frames(at)
    freshness, loads, rejects, duplicates, unmapped, unknown, missing, pending = shown
    assert freshness[["数据类型", "文件数"]].values.tolist() == [
        ["活动记录", "2"],
        ["区域", "1"],
        ["组织", "1"],
        ["花名册", "1"],
    ]
    log = loads[loads["文件"] == "logs/s01_2025q1.csv"]
    assert log[["读取行数", "加载行数", "拒收行数", "状态"]].values.tolist() == [
        ["25", "13", "12", "有效"]
    ]
    assert len(rejects) == 12
    assert sorted(rejects["示例行号"].tolist(), key=int) == [str(n) for n in range(7, 19)]
    damaged = rejects[rejects["示例行号"] == "18"]
    assert damaged["原因"].tolist() == ["身份证号被 Excel 损坏"]
    # written in the reader's language from the reason, column and masked value
    assert damaged["示例说明"].tolist() == [
        "“身份证号”列：“1.1****E+17”已被 Excel 损坏（丢失了数位）；请把该列设为文本格式后重新导出"
    ]
    assert rejects[rejects["示例行号"] == "10"]["示例说明"].tolist() == [
        "“活动日期”列：“2025-02-30”不是有效日期，请写成 2025-03-05"
    ]
    assert duplicates[duplicates["文件"] == "logs/s02_2025q1_gb18030.csv"][
        "去除的重复"
    ].tolist() == ["2"]
    assert unmapped[["活动名称", "记录数", "已认定时长（小时）"]].values.tolist() == [
        ["植树活动", "1", "2.00"]
    ]
    assert unknown[["单位编码", "问题", "已认定时长（小时）"]].values.tolist() == [
        ["B099", "编码不存在", "2.00"]
    ]
    assert missing.values.tolist() == [["S02", "2025年3月", "1", "1.00", "1", "路人甲"]]
    assert pending.values.tolist() == [
        ["B012", "2025年2月", "待审核", "1", "2.50"],
        ["O01", "2025年3月", "审核中", "1", "1.00"],
    ]
    page = all_text(at)
    assert "1.10105E+17" not in page  # no personal number in clear
    assert "13900139000" not in page  # line 23's phone


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The first-slice inbox loaded, then s01_2025q1.csv sent again with line 10's
    impossible date 2025-02-30 written as 2025-02-28: the corrected file replaces the
    first load (DESIGN.md, "Loading semantics"), which stays listed, superseded."""
    warehouse = make_warehouse(tmp_path_factory.mktemp("corrected"), "first_slice_inbox")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    log = warehouse.inbox / "logs" / "s01_2025q1.csv"
    text = log.read_text(encoding="utf-8")
    assert text.count("2025-02-30") == 1
    log.write_text(text.replace("2025-02-30", "2025-02-28"), encoding="utf-8")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.run("publish")
    return warehouse


def test_a_corrected_file_counts_once_and_the_row_it_fixed_no_more(
    corrected: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bureau-wide tiles count the files in effect: the inbox's five, not six loads,
    # and the rows they reject: s01's twelve less line 10, which the correction fixed
    # (what the rejects list, the reasons chart and the PDF report count: 11).
    at = run_page(corrected.root, monkeypatch, "data_quality")
    assert tiles(at)[:2] == [("已加载文件", "5"), ("拒收行数", "11")]
    freshness, loads, rejects = frames(at)[:3]
    assert freshness["文件数"].tolist() == ["2", "1", "1", "1"]
    log = loads[loads["文件"] == "logs/s01_2025q1.csv"]
    assert log[["读取行数", "加载行数", "拒收行数", "状态"]].values.tolist() == [
        ["25", "13", "12", "已替换"],
        ["25", "14", "11", "有效"],
    ]
    assert sorted(rejects["示例行号"].tolist(), key=int) == [
        str(n) for n in range(7, 19) if n != 10
    ]


def test_district_filter_narrows_the_unit_lists(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(first_slice.root, monkeypatch, "data_quality", lang="en")
    widget(at.sidebar, "multiselect", "filters.districts").set_value(["D01"])
    rerun(at)
    # the file-level tiles are the bureau's whatever the filters; the others follow
    # them: B012's pending session (O01 is in D02), nobody off the roster in D01
    assert tiles(at) == [
        ("Files loaded", "5"),
        ("Rows rejected", "12"),
        ("Unmapped labels", "1"),
        ("Unknown organizations", "1"),
        ("Pending sessions", "1"),
        ("Sessions off the roster", "0"),
    ]
    assert (
        "These two follow the filters (Period: Jan 2025 – Mar 2025   Districts: "
        "城东协作区); person types and activity categories do not apply"
    ) in [c.value for c in at.caption]
    pending = frames(at)[-1]
    assert list(pending.columns) == [
        "Organization code",
        "Month",
        "Status word",
        "Sessions",
        "Hours",
    ]
    assert pending.values.tolist() == [["B012", "Feb 2025", "待审核", "1", "2.50"]]
    # nobody off the roster reported in D01: the list says so
    assert "People missing from the roster" in [h.value for h in at.subheader]
    assert "Nothing to fix." in [s.value for s in at.success]


def test_reject_messages_follow_the_language_switch(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(first_slice.root, monkeypatch, "data_quality", lang="en")
    rejects = frames(at)[2]
    assert rejects[rejects["Example lines"] == "7"][["Reason", "Examples"]].values.tolist() == [
        ["No person", "no person: fill in column 人员编号, 身份证号 or 手机号 for this row"]
    ]


def test_cached_tables_follow_the_language_and_the_filters_of_the_session(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the formatted lists are cached: one session switching language
    # and filters back and forth must read each table in the language and scope it chose
    at = run_page(first_slice.root, monkeypatch, "data_quality")
    assert frames(at)[-1].values.tolist() == [
        ["B012", "2025年2月", "待审核", "1", "2.50"],
        ["O01", "2025年3月", "审核中", "1", "1.00"],
    ]
    at.session_state["lang"] = "en"
    rerun(at)
    rejects, pending = frames(at)[2], frames(at)[-1]
    assert rejects[rejects["Example lines"] == "10"]["Reason"].tolist() == ["Bad date"]
    assert pending.values.tolist() == [
        ["B012", "Feb 2025", "待审核", "1", "2.50"],
        ["O01", "Mar 2025", "审核中", "1", "1.00"],
    ]
    widget(at.sidebar, "multiselect", "filters.districts").set_value(["D01"])
    rerun(at)
    assert frames(at)[-1].values.tolist() == [["B012", "Feb 2025", "待审核", "1", "2.50"]]
    at.session_state["lang"] = "zh"
    rerun(at)
    rejects, pending = frames(at)[2], frames(at)[-1]
    assert rejects[rejects["示例行号"] == "10"]["原因"].tolist() == ["日期无效"]
    assert pending.values.tolist() == [["B012", "2025年2月", "待审核", "1", "2.50"]]


def test_every_kind_of_batch_has_a_name_in_both_languages() -> None:
    """The freshness table names each kind of batch the lake holds: a kind without a
    name (event summaries, activity types files, once) stopped the page with a
    KeyError."""
    from dashboard import i18n
    from kernel.paths import LAKE_KINDS

    for kind in (k for k in LAKE_KINDS if k != "rejects"):
        for lang in ("zh", "en"):
            assert i18n.t(f"dq.kind.{kind}", lang), (kind, lang)
    assert (i18n.t("dq.kind.events", "zh"), i18n.t("dq.kind.events", "en")) == (
        "活动汇总",
        "Event summaries",
    )


@pytest.mark.parametrize(
    ("months", "pending", "off_roster"),
    [
        # February: B012's pending session (line 6); nobody off the roster
        (("2025-02", "2025-02"), "1", "0"),
        # March: O01's (line 26, 审核中); S02's session of a phone on no roster (line 23)
        (("2025-03", "2025-03"), "1", "1"),
    ],
)
def test_the_session_tiles_and_lists_follow_the_period(
    first_slice: Warehouse,
    monkeypatch: pytest.MonkeyPatch,
    months: tuple[str, str],
    pending: str,
    off_roster: str,
) -> None:
    at = run_page(first_slice.root, monkeypatch, "data_quality")
    at.sidebar.select_slider[0].set_range(*months)
    rerun(at)
    assert tiles(at)[:4] == [
        ("已加载文件", "5"),
        ("拒收行数", "12"),
        ("未匹配的活动名称", "1"),
        ("未知单位", "1"),
    ]
    assert tiles(at)[4:] == [("待审核记录", pending), ("不在花名册的记录", off_roster)]
    missing = frames(at)[6] if off_roster != "0" else None
    if missing is not None:
        assert missing.values.tolist() == [["S02", "2025年3月", "1", "1.00", "1", "路人甲"]]


def test_a_district_reader_is_told_the_file_lists_are_the_bureaus(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    from dashboard.users import add_user
    from tests.dashboard.test_scope_pages import SECRETS

    users = tmp_path / "users.yaml"
    add_user(users, "wang", "district", ["D02"], None, email="wang@jyj.example.gov.cn")
    monkeypatch.setenv("DASHBOARD_USERS", str(users))
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.pages import PAGES, TIMEOUT

    at = AppTest.from_file(str(PAGES / "data_quality.py"), default_timeout=TIMEOUT)
    at.secrets["auth"] = SECRETS
    at.user = {"is_logged_in": True, "email": "wang@jyj.example.gov.cn"}
    at.run()
    assert not at.exception, at.exception
    # no bureau tile reading 0 files: D02's O01 pending (March) and S02's session off
    # the roster (March)
    assert tiles(at) == [("待审核记录", "1"), ("不在花名册的记录", "1")]
    assert [i.value for i in at.info] == [
        "文件级的数据质量（加载、拒收、重复、未匹配名称、未知单位）只对全市用户显示。"
    ]
    assert [h.value for h in at.subheader] == ["不在花名册中的人员", "待审核记录"]
    # the returns span districts: no file to pick, nothing to download
    assert [b.label for b in at.selectbox] == [] and at.download_button.len == 0


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def test_a_bureau_reader_downloads_each_files_return(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch, downloads: Downloads
) -> None:
    # open demo mode reads as the bureau. s01 has its 12 rejects (lines 7-18), B099
    # (line 19), 植树活动 (24) and 审核中 (26); the GB18030 log's lines 2 and 6 are
    # copies of s01 line 4 and of its own line 4
    at = run_page(first_slice.root, monkeypatch, "data_quality")
    assert at.subheader[-1].value == "退回清单"
    picker = widget(at, "selectbox", "dq.returns.file")
    assert picker.options == ["logs/s01_2025q1.csv", "logs/s02_2025q1_gb18030.csv"]
    assert [b.label for b in at.download_button] == ["下载退回清单"]
    # the page's load wrote no workbook: the button holds the function its click runs
    assert list(downloads.deferred) == ["logs__s01_2025q1.csv.xlsx"]
    assert dict(downloads) == {}
    s01 = _sheets(downloads["logs__s01_2025q1.csv.xlsx"])
    assert list(s01) == ["退回明细", "未知组织", "未识别活动类型", "未知状态", "说明"]
    assert [row[0] for row in s01["退回明细"]] == ["行号", *range(7, 19)]
    assert s01["说明"][3:6] == [("读取行数", 25), ("加载行数", 13), ("退回行数", 12)]
    # the same workbook as make export wrote
    exported = first_slice.exports / "returns" / "logs__s01_2025q1.csv.xlsx"
    assert s01 == _sheets(exported.read_bytes())
    picker.set_value("logs/s02_2025q1_gb18030.csv")
    at = rerun(at)
    s02 = _sheets(downloads["logs__s02_2025q1_gb18030.csv.xlsx"])
    assert list(s02) == ["退回明细", "重复记录", "说明"]
    assert [row[:3] for row in s02["重复记录"]] == [
        ("行号", "保留的记录所在文件", "保留的记录行号"),
        (2, "logs/s01_2025q1.csv", 4),
        (6, "logs/s02_2025q1_gb18030.csv", 4),
    ]
    assert "1.10105E+17" not in str(s01)  # line 18's damaged ID number, masked


def test_every_load_status_the_mart_may_hold_has_its_label() -> None:
    # the values dq_file_loads' rules accept, read from its yml, each shown in words
    models = yaml.safe_load(
        (
            REPO / "dbt_project" / "models" / "marts" / "data_quality" / "_data_quality__models.yml"
        ).read_text(encoding="utf-8")
    )["models"]
    (loads,) = [model for model in models if model["name"] == "dq_file_loads"]
    (rules,) = [test["column_rules"] for test in loads["data_tests"]]
    statuses = rules["arguments"]["accepted_values"]["load_status"]
    assert [
        (status, i18n.t(f"dq.load_status.{status}", "zh"), i18n.t(f"dq.load_status.{status}", "en"))
        for status in statuses
    ] == [
        ("in_effect", "有效", "In effect"),
        ("superseded", "已替换", "Superseded"),
        ("withdrawn", "已撤回", "Withdrawn"),
    ]
