"""``python -m ingest --dry-run``: for each file, the mapping applied, the columns
understood, the first 5 rows as they will land (a person by the start of their key,
never a number) and the rejects by reason, with the first of each; nothing written."""

from __future__ import annotations

import json

import pytest

from ingest.cli import main
from kernel.pseudonymize import hmac_key

MAPPING = """\
match: ["platform/*.csv"]
rename:
  User.ID: person_id
  Date.Vol: activity_date
  Duration: minutes
  Activity: activity_type
constants:
  org_code: S02
"""
PLATFORM = (
    "User.ID,Date.Vol,Duration,Activity,Phone,Notes\n"
    "P1,2025-03-05,90,Tutoring,13800138000,\n"  # line 2
    "P2,2025-03-05,60,Tutoring,,late\n"  # line 3
    "P3,01/31/2023,60,Tutoring,,\n"  # line 4: bad_date
    "P4,2025-03-06,30,Tree planting,,\n"  # line 5
    "P5,2025-03-06,abc,Tree planting,,\n"  # line 6: bad_hours
    "P6,2025-03-07,45,Tree planting,,\n"  # line 7
    "P7,2025-03-07,45,Tree planting,,\n"  # line 8
    "P8,2025-03-08,120,Tutoring,,\n"  # line 9: loads, the 6th loaded row: not shown
)


def _key(person_id: str) -> str:
    return hmac_key(b"test-secret", "person_id", person_id)[:8] + "…"


def _run(capsys: pytest.CaptureFixture[str], warehouse, *extra: str) -> tuple[int, str, str]:
    argv = ["--inbox", str(warehouse.inbox), "--warehouse", str(warehouse.paths.root)]
    code = main([*argv, "--dry-run", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_dry_run_shows_how_each_file_would_land(warehouse, capsys) -> None:
    (warehouse.inbox / "platform.mapping.yaml").write_text(MAPPING, encoding="utf-8")
    (warehouse.inbox / "platform").mkdir()
    (warehouse.inbox / "platform" / "hours.csv").write_text(PLATFORM, encoding="utf-8")

    code, out, err = _run(capsys, warehouse, "--lang", "en")

    k1, k2, k4, k6, k7 = (_key(p) for p in ("P1", "P2", "P4", "P6", "P7"))
    phone = hmac_key(b"test-secret", "phone", "13800138000")[:8] + "…"
    blank = " " * 9  # phone_key: 9 wide (its heading, and 8 characters and …)
    # 8 rows read, lines 4 and 6 rejected, 6 loaded; `Phone` is the canonical column
    # phone (case is ignored), shown by its key on line 2 and empty on the others
    assert (code, err) == (0, "")
    assert out == (
        "file                     kind           outcome       read   loaded rejected\n"
        "platform/hours.csv       activity       checked          8        6        2\n"
        "    bad_date: 1\n"
        "    bad_hours: 1\n"
        "\n"
        "platform/hours.csv (activity)\n"
        "  mapping: platform.mapping.yaml\n"
        "  columns understood:\n"
        "    User.ID  -> person_id\n"
        "    Date.Vol -> activity_date\n"
        "    Duration -> minutes\n"
        "    Activity -> activity_type\n"
        "    Phone    -> phone\n"
        "    (constant) 'S02' -> org_code\n"
        "  headers not understood: Notes\n"
        "  first 5 rows as they will land:\n"
        "    line  person_id_key  phone_key  org_code  activity_date  minutes  "
        "session_minutes  activity_type  status    is_status_known\n"
        f"    2     {k1}      {phone}  S02       2025-03-05     90       90               "
        "Tutoring       approved  true\n"
        f"    3     {k2}      {blank}  S02       2025-03-05     60       60               "
        "Tutoring       approved  true\n"
        f"    5     {k4}      {blank}  S02       2025-03-06     30       30               "
        "Tree planting  approved  true\n"
        f"    7     {k6}      {blank}  S02       2025-03-07     45       45               "
        "Tree planting  approved  true\n"
        f"    8     {k7}      {blank}  S02       2025-03-07     45       45               "
        "Tree planting  approved  true\n"
        "  rejects by reason:\n"
        "    bad_date: 1 (Bad date); the first on line 4: column Date.Vol: '01/31/2023' is "
        "not a real date; write it as 2025-03-05; looks like MM/DD/YYYY: add "
        '`formats: {activity_date: "%m/%d/%Y"}` to the mapping\n'
        "    bad_hours: 1 (Bad hours); the first on line 6: column Duration: 'abc' is not a "
        "number; write hours as 2.5\n"
        "\n"
        "dry run: nothing was written to the lake\n"
    )
    assert warehouse.manifest() == []
    assert sorted(p.name for p in warehouse.paths.kind_dir("activity").iterdir()) == [
        "_schema.parquet"
    ]
    assert sorted(p.name for p in warehouse.paths.kind_dir("rejects").iterdir()) == [
        "_schema.parquet"
    ]


def test_personal_numbers_are_never_shown(warehouse, capsys) -> None:
    warehouse.write(
        "ids.csv",
        ["身份证号", "手机号", "单位", "日期", "时长", "活动类型"],
        [["11010519491231002X", "13800138000", "一中", "2025-03-05", "2", "党员活动日"]],
    )

    code, out, _ = _run(capsys, warehouse)

    assert code == 0
    assert "11010519491231002X" not in out and "13800138000" not in out
    id_key = hmac_key(b"test-secret", "id_number", "11010519491231002X")[:8] + "…"
    phone_key = hmac_key(b"test-secret", "phone", "13800138000")[:8] + "…"
    header, row = out.split("first 5 rows as they will land:\n")[1].splitlines()[:2]
    assert header.split() == [
        "line",
        "id_number_key",
        "phone_key",
        "is_id_number_valid",
        "org_name",
        "activity_date",
        "hours",
        "session_minutes",
        "activity_type",
        "status",
        "is_status_known",
    ]
    assert row.split() == [
        "2",
        id_key,
        phone_key,
        "true",
        "一中",
        "2025-03-05",
        "2",
        "120",
        "党员活动日",
        "approved",
        "true",
    ]


def test_a_file_that_would_load_nothing_shows_what_was_understood_in_chinese(
    warehouse, capsys
) -> None:
    warehouse.write(
        "us.csv",
        ["人员编号", "单位", "日期", "时长", "活动类型"],
        [["T1", "一中", "01/31/2023", "2", "x"], ["T2", "一中", "2/1/2023", "2", "x"]],
    )
    warehouse.write(
        "nohours.csv", ["人员编号", "单位", "日期", "活动类型"], [["T1", "一中", "2025-03-05", "x"]]
    )

    code, out, err = _run(capsys, warehouse)

    assert code == 1
    assert out.split("\n\n", 1)[1] == (
        "nohours.csv (activity)\n"
        "  mapping: none\n"
        "  columns understood:\n"
        "    人员编号 -> person_id\n"
        "    单位     -> org_name\n"
        "    日期     -> activity_date\n"
        "    活动类型 -> activity_type\n"
        "  headers not understood: none\n"
        # the message as --lang zh writes it (ingest.messages: no_column)
        "  not validated: 没有一列给出时长：活动记录（每人每次活动一行）的每一行都需要 "
        "hours（服务时长）、minutes（分钟）或 start_time（开始时间）和 end_time（结束时间）；"
        "请加上该列，或在映射文件中指明存放它的表头（rename: {你的表头: hours}）；"
        "未加载任何数据\n"
        "\n"
        "us.csv (activity)\n"
        "  mapping: none\n"
        "  columns understood:\n"
        "    人员编号 -> person_id\n"
        "    单位     -> org_name\n"
        "    日期     -> activity_date\n"
        "    时长     -> hours\n"
        "    活动类型 -> activity_type\n"
        "  headers not understood: none\n"
        "  first 5 rows as they will land:\n"
        "    none\n"
        "  rejects by reason:\n"
        "    bad_date: 2 (日期无效)；首条在第 2 行：“日期”列：“01/31/2023”不是有效日期，"
        "请写成 2025-03-05；看起来是 MM/DD/YYYY 格式：请在映射文件中加上 "
        '`formats: {activity_date: "%m/%d/%Y"}`\n'
        "\n"
        "试运行：没有向数据湖写入任何内容\n"
    )
    assert err.count("error: ") == 2
    assert warehouse.manifest() == []


def test_json_gives_the_same_view(warehouse, capsys) -> None:
    warehouse.write(
        "a.csv",
        ["人员编号", "单位", "日期", "时长", "活动类型", "备注"],
        [["T1", "一中", "2025-03-05", "2", "党员活动日", "x"]],
    )

    code, out, _ = _run(capsys, warehouse, "--json")

    (result,) = json.loads(out)
    assert (code, result["outcome"]) == (0, "checked")
    assert result["dry_run"] == {
        "kind": "activity",
        "mapping": "",
        "columns": [
            ["人员编号", "person_id"],
            ["单位", "org_name"],
            ["日期", "activity_date"],
            ["时长", "hours"],
            ["活动类型", "activity_type"],
        ],
        "constants": [],
        "not_understood": ["备注"],
        "repeated": [],
        "rows": [
            {
                "line": "2",
                "person_id_key": _key("T1"),
                "id_number_key": "",
                "phone_key": "",
                "is_id_number_damaged": "false",
                "is_id_number_valid": "false",
                "person_name": "",
                "org_code": "",
                "org_name": "一中",
                "activity_date": "2025-03-05",
                "start_time": "",
                "end_time": "",
                "hours": "2",
                "minutes": "",
                "session_minutes": "120",
                "activity_type": "党员活动日",
                "activity_title": "",
                "location": "",
                "community": "",
                "status": "approved",
                "status_label": "",
                "is_status_known": "true",
            }
        ],
        "first_rejects": [],
    }
