"""Every message of a load is written in the reader's language (DESIGN.md, "Validation"):
Chinese by default, English with ``--lang en``; the same facts in both. The expected
texts are written by hand from the templates' wording."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from ingest.cli import main
from ingest.messages import TEMPLATES, Text

# an activity log whose rows give a name but no person number (test_nothing_loaded)
NAMES_ONLY = "组织编码,姓名,活动日期,服务时长,活动类型\nS01,张三,2025-03-05,2,党员活动日\n"


def _load(warehouse, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["--inbox", str(warehouse.inbox), "--warehouse", str(warehouse.paths.root), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_header_without_rows_is_told_in_chinese_by_default(warehouse, capsys) -> None:
    warehouse.write_activity([])

    code, _, err = _load(warehouse, capsys)

    assert (code, err) == (1, "error: activity.csv：文件只有表头，没有数据行；未加载任何数据\n")


def test_the_same_message_in_english_with_lang_en(warehouse, capsys) -> None:
    warehouse.write_activity([])

    code, _, err = _load(warehouse, capsys, "--lang", "en")

    assert (code, err) == (
        1,
        "error: activity.csv: the file has a header but no rows of data; nothing was loaded\n",
    )


def test_a_file_without_a_person_column_is_told_in_chinese(warehouse, capsys) -> None:
    (warehouse.inbox / "names.csv").write_text(NAMES_ONLY, encoding="utf-8")

    code, _, err = _load(warehouse, capsys)

    assert code == 1
    assert err == (
        "error: names.csv：没有一列给出人员：活动记录（每人每次活动一行）的每一行都需要 "
        "person_id（人员编号）、id_number（身份证号）或 phone（手机号）；请加上该列，"
        "或在映射文件中指明存放它的表头（rename: {你的表头: person_id}）；按活动统计参与"
        "人数、行上没有具体人员的文件是活动汇总表，需有参与人数列（参与人数；映射文件可把"
        "人数列重命名为 participants，并写上 `kind: events`）才能加载；未加载任何数据\n"
    )


def test_a_rename_key_the_file_lacks_is_told_in_chinese(warehouse, capsys) -> None:
    warehouse.write_activity([warehouse.activity_row()])
    (warehouse.inbox / "m.mapping.yaml").write_text(
        'match: ["activity.csv"]\nrename:\n  Reviewed: status\n', encoding="utf-8"
    )

    code, _, err = _load(warehouse, capsys)

    assert code == 1
    assert err == (
        "error: activity.csv：映射 m.mapping.yaml 重命名了“Reviewed”，但文件中没有这个表头"
        "（文件的表头：人员编号, 身份证号, 手机号, 姓名, 组织编码, 单位, 日期, 开始时间, "
        "结束时间, 时长, 活动类型, 状态）；请改正 `rename` 中的键，或把映射的 `match` 缩小"
        "到含有该表头的文件；未加载任何数据\n"
    )


def test_a_file_whose_every_row_is_rejected_is_told_in_chinese(warehouse, capsys) -> None:
    warehouse.write_activity(
        [warehouse.activity_row({"日期": "2025-02-30"}), warehouse.activity_row({"日期": ""})]
    )

    code, _, err = _load(warehouse, capsys)

    # the counts by reason (codes, as --reason takes them), then the first reject's own
    # message in Chinese (kernel.reasons: bad_date's message_zh, the column as “日期”列)
    assert code == 1
    assert err == (
        "error: activity.csv：全部 2 行都无法加载（bad_date: 1, missing_date: 1）；"
        "首个被拒收的是第 2 行：“日期”列：“2025-02-30”不是有效日期，请写成 2025-03-05；"
        "未加载任何数据（该文件如有早先的版本，仍然有效）：请修改文件后重新加载\n"
    )


def test_a_stray_number_is_warned_of_in_chinese_and_kept_as_a_code(warehouse, capsys) -> None:
    # three data rows, 20 padding rows of formulas (4-23), a lone 7.5 in D30
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "登记"
    sheet.append(["人员编号", "单位", "日期", "时长", "活动类型"])
    for person in ("T001", "T002", "T003"):
        sheet.append([person, "第一中学", dt.date(2025, 3, 5), 2, "党员活动日"])
    for row in range(5, 25):
        sheet.cell(row, 4, f"=SUM(D{row - 1}:D{row - 1})*0")
    sheet.cell(31, 4, 7.5)
    workbook.save(warehouse.inbox / "log.xlsx")

    code, _, err = _load(warehouse, capsys)

    assert code == 0
    assert err == (
        "warning: log.xlsx：工作表“登记”单元格 D31：数据下方的一个数字（7.5）未加载；"
        "如果它属于该表，请把它移到表中的某一行\n"
    )
    # the manifest keeps the code and its parameters, not a sentence in one language
    (line,) = warehouse.manifest()
    assert line["detected"]["warnings"] == [
        {"code": "stray_number", "sheet": "登记", "cell": "D31", "value": "7.5"}
    ]


def test_a_warning_an_older_lake_stored_as_english_is_shown_as_it_is() -> None:
    old = "sheet 'S', cell H412: a number below the data (1234) was not loaded; …"

    assert Text.from_stored(old).render("zh") == old


def test_a_mapping_that_cannot_be_used_is_told_in_chinese(warehouse, capsys) -> None:
    warehouse.write_activity([warehouse.activity_row()])
    (warehouse.inbox / "m.mapping.yaml").write_text("mappings: 3\n", encoding="utf-8")

    code, out, err = _load(warehouse, capsys)

    assert (code, out) == (2, "")
    assert err == "error: m.mapping.yaml：mappings 必须是列表；未加载任何数据\n"


def test_json_carries_the_message_in_the_chosen_language(warehouse, capsys) -> None:
    warehouse.write_activity([])

    _, out, _ = _load(warehouse, capsys, "--json")
    _, english, _ = _load(warehouse, capsys, "--json", "--lang", "en")

    assert json.loads(out)[0]["message"] == "activity.csv：文件只有表头，没有数据行；未加载任何数据"
    assert json.loads(english)[0]["message"] == (
        "activity.csv: the file has a header but no rows of data; nothing was loaded"
    )


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_message_has_both_languages_with_the_same_parameters(code: str) -> None:
    # the same facts in both: every placeholder of one is in the other
    english, chinese = TEMPLATES[code]
    assert english and chinese

    def fields(template: str) -> set[str]:
        import string

        return {name.split("!")[0] for _, name, _, _ in string.Formatter().parse(template) if name}

    assert fields(english) == fields(chinese)
