"""The returns to schools (退回清单): `make export`'s returns/<file>.xlsx and index.csv.

Every row is worked out by hand from tests/fixtures/valid/returns_inbox (its README says
what each line carries): a reject per reason code (an activity log's, an event
summary's headcount, a districts file's and an activity types file's), a duplicate
spanning two files and one inside an event summary, and in a log and an event summary
an unknown organization code, an unmapped label and an unknown status word. Messages
are the seed's message_zh with the column as “活动日期”列 and the value masked; fixes
the seed's fix_zh.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import duckdb
import openpyxl
import pytest

from export.returns import return_bytes, write_returns
from tests.conftest import Warehouse, file_texts, make_warehouse

pytestmark = pytest.mark.integration

ID_NUMBER = "110105199001011237"
PHONE = "13800138000"
RETURNS = [
    "districts.csv.xlsx",
    "events__s01_2025q1.csv.xlsx",
    "index.csv",
    "logs__a_2025q1.csv.xlsx",
    "logs__b_2025q1.csv.xlsx",
    "logs__c_no_header.csv.xlsx",
    "logs__d_all_rejected.csv.xlsx",
    "types.csv.xlsx",
]

A_REJECTS = [
    (
        4,
        "第 16 列在表头最后一列的右侧仍有值（“138****8000”）：某个值含有分隔符，或多填了单元格；"
        "请给该值加上引号或删去多余的单元格，再重新加载",
        "第 16 列",
        "138****8000",
        "删去表头最后一列右侧多出的单元格；某个值本身含逗号时，给该值加上英文双引号",
    ),
    (
        5,
        "缺少人员标识：请为这一行填写“人员编号”“身份证号”或“手机号”列",
        "人员编号、身份证号、手机号",
        None,
        "在“人员编号”“身份证号”“手机号”中至少填写一项",
    ),
    (
        6,
        "缺少单位：请为这一行填写“组织编码”或“组织名称”列",
        "组织编码、组织名称",
        None,
        "填写“组织编码”或“组织名称”",
    ),
    (
        7,
        "“活动日期”列为空：请填写日期，如 2025-03-05",
        "活动日期",
        None,
        "填写活动日期，写成 2025-03-05 的格式",
    ),
    (
        8,
        "“活动日期”列：“2025-02-30”不是有效日期，请写成 2025-03-05",
        "活动日期",
        "2025-02-30",
        "改为真实存在的日期，写成 2025-03-05 的格式",
    ),
    (
        9,
        "“活动日期”列：“1999-12-31”早于 2000-01-01 或晚于今天，请检查年份",
        "活动日期",
        "1999-12-31",
        "核对年份，改为 2000-01-01 之后、不晚于今天的日期",
    ),
    (
        10,
        "“开始时间”列：“25:00”不是有效时间，请写成 08:30",
        "开始时间",
        "25:00",
        "改为 0:00–23:59 之间的时间，写成 08:30 的格式",
    ),
    (
        11,
        "“结束时间”列：“09:00”不晚于开始时间，请核对开始和结束时间",
        "结束时间",
        "09:00",
        "核对开始和结束时间，结束时间须晚于开始时间",
    ),
    (
        12,
        "缺少时长：请填写“服务时长”列，或同时填写开始和结束时间",
        "服务时长",
        None,
        "填写服务时长（小时），或同时填写开始和结束时间",
    ),
    (
        13,
        "“服务时长”列：“两小时”不是数字，时长请写成 2.5",
        "服务时长",
        "两小时",
        "把时长改为数字（小时），如 2.5",
    ),
    (
        14,
        "“服务时长”列：“25”超出范围：一次活动的时长须大于 0、不超过 24 小时（1440 分钟）；"
        "活动汇总表按每位参与者计",
        "服务时长",
        "25",
        "把时长改为大于 0、不超过 24 的小时数（活动汇总表填每位参与者的时长）",
    ),
    (
        15,
        "“活动类型”列为空：请填写活动类型，如 党员活动日",
        "活动类型",
        None,
        "填写活动类型，如 党员活动日",
    ),
    (
        16,
        "“身份证号”列：“1.1****E+17”已被 Excel 损坏（丢失了数位）；请把该列设为文本格式后重新导出",
        "身份证号",
        "1.1****E+17",
        "在 Excel 中把身份证号列设为文本格式，重新填写完整的 18 位号码后再导出",
    ),
]
REJECT_HEADER = ("行号", "原因", "列", "原值", "修改方法")
DUPLICATE_FIX = (
    "该行与已加载的一行完全相同，未计入；如确是另一次活动，请核对日期、时长等，否则请删去"
)


@pytest.fixture(scope="module")
def returns_wh(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The returns inbox ingested, built, published and exported (no PDF) once."""
    warehouse = make_warehouse(tmp_path_factory.mktemp("returns"), "returns_inbox")
    # c and d fail whole: ingest names them and exits 1, the other files load
    assert warehouse.run("ingest", "--inbox", str(warehouse.inbox), check=False).returncode == 1
    # e, sent again with its date filled in, loads under the same name
    mended = warehouse.root.parent / "mended"
    (mended / "logs").mkdir(parents=True)
    source = (warehouse.inbox / "logs" / "e_mended_later.csv").read_text(encoding="utf-8")
    (mended / "logs" / "e_mended_later.csv").write_text(
        source.replace("B011,,,,,1", "B011,,2025-03-08,,,1"), encoding="utf-8"
    )
    warehouse.run("ingest", "--inbox", str(mended))
    warehouse.run("publish")
    warehouse.run("export", "--out", str(warehouse.exports), "--no-pdf")
    return warehouse


def _loaded_at(warehouse: Warehouse) -> dict[str, dt.datetime]:
    rows = warehouse.query("select source_file, loaded_at from dq_file_loads")
    return dict(rows)


def _sheets(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def _notes(source: str, loaded: dt.datetime, counts: list[int], name: str) -> list[tuple]:
    labels = ["读取行数", "加载行数", "退回行数", "未保留的重复记录"]
    labels += ["未知组织的记录", "未识别活动类型的记录", "未知状态的记录"]
    return [
        ("项目", "内容"),
        ("文件", source),
        ("加载时间", loaded.strftime("%Y-%m-%d %H:%M:%S") + " (UTC)"),
        *zip(labels, counts, strict=True),
        ("说明", "读取行数 = 加载行数 + 退回行数；退回的行未加载，不计入任何统计"),
        (
            "怎么办",
            f"请按本工作簿各工作表逐行改正原文件，然后以相同的文件名（{name}）重新发送："
            "新文件将整体替换这次加载的内容，已加载的行不会重复计算",
        ),
    ]


def test_a_return_for_each_file_with_something_to_fix(returns_wh: Warehouse) -> None:
    folder = returns_wh.exports / "returns"
    assert sorted(p.name for p in folder.iterdir()) == RETURNS
    manifest = json.loads((returns_wh.exports / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(name for name in manifest["files"] if name.startswith("returns/")) == [
        f"returns/{name}" for name in RETURNS
    ]
    assert manifest["files"]["returns/index.csv"]["rows"] == 7


def _index_row(
    source: str, loaded: dict[str, dt.datetime], counts: str, status: str = "in_effect"
) -> list[str]:
    name = "returns/" + source.replace("/", "__") + ".xlsx"
    return [source, name, loaded[source].isoformat(), *counts.split(), status]


def _failed_at(warehouse: Warehouse) -> dict[str, dt.datetime]:
    return dict(warehouse.query("select source_file, failed_at from dq_failed_files"))


def test_index_lists_each_return(returns_wh: Warehouse) -> None:
    loaded, failed = _loaded_at(returns_wh), _failed_at(returns_wh)
    text = (returns_wh.exports / "returns" / "index.csv").read_bytes().decode("utf-8")
    assert "\r" not in text and not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        [
            "file",
            "return_path",
            "loaded_at",
            "rows_read",
            "rows_loaded",
            "rows_rejected",
            "duplicates",
            "unknown_orgs",
            "unmapped_labels",
            "unknown_status",
            "status",
        ],
        # districts: 3 rows, line 4 without a code
        _index_row("districts.csv", loaded, "3 2 1 0 0 0 0"),
        # the event summary: 6 rows, line 4 rejected (0 people), line 3 a copy of line 2;
        # 5 S09, 6 植树活动, 7 审核中
        _index_row("events/s01_2025q1.csv", loaded, "6 5 1 1 1 1 1"),
        # a: 18 rows, lines 4-16 rejected; 17 B099, 18 植树活动, 19 审核中
        _index_row("logs/a_2025q1.csv", loaded, "18 5 13 0 1 1 1"),
        # b: 3 rows, all loaded; lines 2 and 4 are copies not kept
        _index_row("logs/b_2025q1.csv", loaded, "3 3 0 2 0 0 0"),
        # c: no header, nothing read; d: its one row rejected (a bad date)
        _index_row("logs/c_no_header.csv", failed, "0 0 0 0 0 0 0", "failed"),
        _index_row("logs/d_all_rejected.csv", failed, "1 0 1 0 0 0 0", "failed"),
        # the activity types: 3 rows, line 3 without a code, line 4 category 公益
        _index_row("types.csv", loaded, "3 1 2 0 0 0 0"),
    ]


def test_the_activity_file_return(returns_wh: Warehouse) -> None:
    loaded = _loaded_at(returns_wh)["logs/a_2025q1.csv"]
    sheets = _sheets(returns_wh.exports / "returns" / "logs__a_2025q1.csv.xlsx")
    assert list(sheets) == ["退回明细", "未知组织", "未识别活动类型", "未知状态", "说明"]
    assert sheets["退回明细"] == [REJECT_HEADER, *A_REJECTS]
    assert sheets["未知组织"] == [
        ("组织编码", "组织名称", "原因", "行数", "行号", "修改方法"),
        (
            "B099",
            None,
            "单位名单中没有这个组织编码",
            1,
            "17",
            "改为单位名单中的组织编码；这些记录在改正前计入“未归属区域”",
        ),
    ]
    assert sheets["未识别活动类型"] == [
        ("活动类型", "行数", "行号", "修改方法"),
        (
            "植树活动",
            1,
            "18",
            "改为已发布的活动类型名称（如 党员活动日）；在改正前这些记录计入“其他”",
        ),
    ]
    assert sheets["未知状态"] == [
        ("审核状态", "行数", "行号", "修改方法"),
        ("审核中", 1, "19", "改为 已认定、待审核 或 驳回；在改正前这些记录按待审核计，不计入统计"),
    ]
    assert sheets["说明"] == _notes(
        "logs/a_2025q1.csv", loaded, [18, 5, 13, 0, 1, 1, 1], "a_2025q1.csv"
    )


def test_the_duplicates_go_to_the_file_whose_copy_was_not_kept(returns_wh: Warehouse) -> None:
    loaded = _loaded_at(returns_wh)["logs/b_2025q1.csv"]
    sheets = _sheets(returns_wh.exports / "returns" / "logs__b_2025q1.csv.xlsx")
    assert list(sheets) == ["退回明细", "重复记录", "说明"]
    assert sheets["退回明细"] == [REJECT_HEADER]
    assert sheets["重复记录"] == [
        ("行号", "保留的记录所在文件", "保留的记录行号", "修改方法"),
        (2, "logs/a_2025q1.csv", 3, DUPLICATE_FIX),
        (4, "logs/b_2025q1.csv", 3, DUPLICATE_FIX),
    ]
    assert sheets["说明"] == _notes(
        "logs/b_2025q1.csv", loaded, [3, 3, 0, 2, 0, 0, 0], "b_2025q1.csv"
    )


def test_the_districts_file_return(returns_wh: Warehouse) -> None:
    loaded = _loaded_at(returns_wh)["districts.csv"]
    sheets = _sheets(returns_wh.exports / "returns" / "districts.csv.xlsx")
    assert list(sheets) == ["退回明细", "说明"]
    assert sheets["退回明细"] == [
        REJECT_HEADER,
        (4, "“区域编码”列为空：每个区域都需要编码", "区域编码", None, "填写区域编码"),
    ]
    assert sheets["说明"] == _notes("districts.csv", loaded, [3, 2, 1, 0, 0, 0, 0], "districts.csv")


def test_the_event_summary_return(returns_wh: Warehouse) -> None:
    # its headcount reject, the copy of line 2 not kept (the copy kept is in the same
    # file), and its unknown code, unmapped label and unknown status word, as a log's
    loaded = _loaded_at(returns_wh)["events/s01_2025q1.csv"]
    sheets = _sheets(returns_wh.exports / "returns" / "events__s01_2025q1.csv.xlsx")
    assert list(sheets) == [
        "退回明细",
        "重复记录",
        "未知组织",
        "未识别活动类型",
        "未知状态",
        "说明",
    ]
    assert sheets["退回明细"] == [
        REJECT_HEADER,
        (
            4,
            "“参与人数”列：“0”不是有效人数，请把参与人数写成不小于 1 的整数，如 30",
            "参与人数",
            "0",
            "把参与人数改为不小于 1 的整数，如 30",
        ),
    ]
    assert sheets["重复记录"] == [
        ("行号", "保留的记录所在文件", "保留的记录行号", "修改方法"),
        (3, "events/s01_2025q1.csv", 2, DUPLICATE_FIX),
    ]
    assert sheets["未知组织"] == [
        ("组织编码", "组织名称", "原因", "行数", "行号", "修改方法"),
        (
            "S09",
            None,
            "单位名单中没有这个组织编码",
            1,
            "5",
            "改为单位名单中的组织编码；这些记录在改正前计入“未归属区域”",
        ),
    ]
    assert sheets["未识别活动类型"] == [
        ("活动类型", "行数", "行号", "修改方法"),
        (
            "植树活动",
            1,
            "6",
            "改为已发布的活动类型名称（如 党员活动日）；在改正前这些记录计入“其他”",
        ),
    ]
    assert sheets["未知状态"] == [
        ("审核状态", "行数", "行号", "修改方法"),
        ("审核中", 1, "7", "改为 已认定、待审核 或 驳回；在改正前这些记录按待审核计，不计入统计"),
    ]
    assert sheets["说明"] == _notes(
        "events/s01_2025q1.csv", loaded, [6, 5, 1, 1, 1, 1, 1], "s01_2025q1.csv"
    )


def test_the_activity_types_file_return(returns_wh: Warehouse) -> None:
    loaded = _loaded_at(returns_wh)["types.csv"]
    sheets = _sheets(returns_wh.exports / "returns" / "types.csv.xlsx")
    assert list(sheets) == ["退回明细", "说明"]
    assert sheets["退回明细"] == [
        REJECT_HEADER,
        (3, "“类型编码”列为空：每个活动类型都需要编码", "类型编码", None, "填写活动类型编码"),
        (
            4,
            "“类型类别”列：“公益”不是有效类别，请写 volunteer_service（志愿服务）、"
            "organizational_life（组织生活）、study_training（学习培训）或 other（其他）",
            "类型类别",
            "公益",
            "把类别改为 志愿服务、组织生活、学习培训 或 其他",
        ),
    ]
    assert sheets["说明"] == _notes("types.csv", loaded, [3, 1, 2, 0, 0, 0, 0], "types.csv")


FAILED_NOTE = "整个文件未能加载，其中没有任何一行计入统计"


def _failed_notes(source: str, at: dt.datetime, counts: tuple[int, int], why: str) -> list:
    name = source.rsplit("/", 1)[-1]
    return [
        ("项目", "内容"),
        ("文件", source),
        ("加载失败时间", at.strftime("%Y-%m-%d %H:%M:%S") + " (UTC)"),
        ("读取行数", counts[0]),
        ("加载行数", 0),
        ("退回行数", counts[1]),
        ("失败原因", why),
        ("说明", FAILED_NOTE),
        (
            "怎么办",
            f"请按失败原因改正文件，然后以相同的文件名（{name}）重新发送："
            "加载成功后，这个文件的内容才会计入统计",
        ),
    ]


def test_a_file_that_failed_whole_gets_a_return_saying_why(returns_wh: Warehouse) -> None:
    failed = _failed_at(returns_wh)
    assert sorted(failed) == ["logs/c_no_header.csv", "logs/d_all_rejected.csv"]
    folder = returns_wh.exports / "returns"
    c = _sheets(folder / "logs__c_no_header.csv.xlsx")
    assert list(c) == ["退回明细", "说明"] and c["退回明细"] == [REJECT_HEADER]
    # ingest's no_header message, its first row quoted, the phone masked whole
    why = (
        "找不到可识别的表头行：前 20 行都没有给出活动记录、活动汇总、人员名册、单位、区域或"
        "活动类型文件的列名（第一行：“随便写的 ***********, 备注”）；请按 README 修改表头，"
        "或添加映射文件"
    )
    assert c["说明"] == _failed_notes(
        "logs/c_no_header.csv", failed["logs/c_no_header.csv"], (0, 0), why
    )
    d = _sheets(folder / "logs__d_all_rejected.csv.xlsx")
    # its one rejected row, as a loaded file's (the ID number on it is in no column shown)
    assert d["退回明细"] == [
        REJECT_HEADER,
        (
            2,
            "“活动日期”列：“2025-13-01”不是有效日期，请写成 2025-03-05",
            "活动日期",
            "2025-13-01",
            "改为真实存在的日期，写成 2025-03-05 的格式",
        ),
    ]
    why = (
        "全部 1 行都无法加载（bad_date: 1）；首个被拒收的是第 2 行：“活动日期”列：“2025-13-01”"
        "不是有效日期，请写成 2025-03-05；未加载任何数据（该文件如有早先的版本，仍然有效）："
        "请修改文件后重新加载"
    )
    assert d["说明"] == _failed_notes(
        "logs/d_all_rejected.csv", failed["logs/d_all_rejected.csv"], (1, 1), why
    )


def test_a_failed_file_loaded_since_has_no_return(returns_wh: Warehouse) -> None:
    # e failed (its one row has no date), then loaded mended under the same name: the
    # lake keeps its failure, the build lists it no more, and e has nothing to fix
    lake = (returns_wh.root / "lake" / "failures.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["file"] for line in lake.splitlines()] == [
        "logs/c_no_header.csv",
        "logs/d_all_rejected.csv",
        "logs/e_mended_later.csv",
    ]
    # the lake keeps the rows of d and e (every row rejected), masked
    kept = (returns_wh.root / "lake" / "failure_rejects.jsonl").read_text(encoding="utf-8")
    assert [(r["source_line"], r["reason"]) for r in map(json.loads, kept.splitlines())] == [
        (2, "bad_date"),
        (2, "missing_date"),
    ]
    assert ID_NUMBER not in kept + lake and PHONE not in kept + lake
    assert returns_wh.query(
        "select rows_read, rows_loaded from dq_file_loads where source_file = ?",
        ["logs/e_mended_later.csv"],
    ) == [(1, 1)]
    assert sorted(_failed_at(returns_wh)) == ["logs/c_no_header.csv", "logs/d_all_rejected.csv"]


def test_headers_are_bold_and_frozen(returns_wh: Warehouse) -> None:
    book = openpyxl.load_workbook(returns_wh.exports / "returns" / "logs__a_2025q1.csv.xlsx")
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
    widths = book["退回明细"].column_dimensions
    # 行号 6 characters wide, a message 60 (wrapped), as Excel shows them: the file stores
    # the width with the cell's padding, truncate((chars × 7 + 5) / 7 × 256) / 256 for
    # Calibri 11's 7-pixel digits and 5 pixels of padding (ECMA-376 §18.3.1.13)
    assert (widths["A"].width, widths["B"].width) == (1718 / 256, 15542 / 256)


def test_the_returns_list_exactly_the_rejects_the_snapshot_counts(returns_wh: Warehouse) -> None:
    listed = 0
    for path in (returns_wh.exports / "returns").glob("*.xlsx"):
        listed += openpyxl.load_workbook(path)["退回明细"].max_row - 1
    [(counted,)] = returns_wh.query(
        "select sum(rows_rejected) from dq_file_loads where is_in_effect"
    )
    # the files in effect: 13 (a) + 1 (districts) + 1 (the event summary) + 2 (types)
    # rejected rows; and d's one row (its file failed whole)
    assert returns_wh.query("select count(*) from dq_rejects") == [(counted,)]
    assert returns_wh.query("select count(*) from dq_failed_file_rejects") == [(1,)]
    assert counted == 17 and listed == counted + 1


def test_the_fixture_has_a_reject_per_reason(returns_wh: Warehouse) -> None:
    seed = Path(__file__).resolve().parents[2] / "seeds" / "reject_reasons.csv"
    with seed.open(encoding="utf-8", newline="") as handle:
        codes = sorted(row["reason_code"] for row in csv.DictReader(handle))
    assert len(codes) == 17
    found = returns_wh.query("select distinct reason_code from dq_rejects order by 1")
    assert [code for (code,) in found] == codes


def test_no_personal_number_in_clear_in_any_return(returns_wh: Warehouse) -> None:
    texts = [t for p in (returns_wh.exports / "returns").iterdir() for t in file_texts(p)]
    assert texts and [n for n in (ID_NUMBER, PHONE) if any(n in t for t in texts)] == []


def test_the_dashboard_download_is_the_same_workbook(returns_wh: Warehouse) -> None:
    name = (returns_wh.root / "snapshots" / "CURRENT").read_text().strip()
    con = duckdb.connect(str(returns_wh.root / "snapshots" / name), read_only=True)
    try:
        data = return_bytes(con, "logs/a_2025q1.csv")
        assert return_bytes(con, "organizations.csv") is None  # nothing to fix
    finally:
        con.close()
    assert data is not None
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert [list(s.iter_rows(values_only=True)) for s in book] == list(
        _sheets(returns_wh.exports / "returns" / "logs__a_2025q1.csv.xlsx").values()
    )


def test_a_snapshot_without_the_marts_writes_no_return(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("create table dq_file_loads (batch_id varchar)")
    assert write_returns(con, tmp_path) == {}
    assert return_bytes(con, "logs/a.csv") is None
    assert list(tmp_path.iterdir()) == []
