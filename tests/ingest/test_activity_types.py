"""An activity types file in the inbox (the seed's columns, or their Chinese headers):
recognised, validated and landed as kind ``activity_types``; the models merge it with
``seeds/activity_types.csv`` (tests/dbt_project/test_activity_types_inbox.py)."""

from __future__ import annotations

import pytest

from ingest.mapping import parse_mapping
from kernel import reasons

SEED_HEADERS = ["activity_type_code", "name_zh", "name_en", "category", "aliases"]
CHINESE_HEADERS = ["类型编码", "类型名称", "英文名称", "类型类别", "别名"]


def _landed(warehouse, headers: list[str], rows: list[list[str]]):
    warehouse.write("types.csv", headers, rows)
    result = warehouse.load_one()
    rows = warehouse.rows("activity_types", result.batch_id)
    keep = ("source_line", "activity_type_code", "name_zh", "name_en", "category", "aliases")
    return result, [tuple(row[k] for k in keep) for row in rows]


@pytest.mark.parametrize("headers", [SEED_HEADERS, CHINESE_HEADERS])
def test_a_types_file_lands_with_its_categories_and_aliases(warehouse, headers) -> None:
    result, rows = _landed(
        warehouse,
        headers,
        [
            [
                "Tree_Planting",
                "植树",
                "Tree planting",
                "volunteer_service",
                "植树活动、种树|Tree day",
            ],
            ["activity_day", "主题党日活动", "", "组织生活", ""],
            ["reading", "", "Reading club", "Study and Training", " 读书会 ; 读书 "],
            ["misc", "", "", "其他", "|杂项|"],
        ],
    )

    assert (result.kind, result.rows_read, result.rows_loaded) == ("activity_types", 4, 4)
    # codes lower-cased; categories from any of their words; aliases joined by `|`; an
    # empty Chinese name is the English name, else the code
    assert rows == [
        (
            2,
            "tree_planting",
            "植树",
            "Tree planting",
            "volunteer_service",
            "植树活动|种树|Tree day",
        ),
        (3, "activity_day", "主题党日活动", None, "organizational_life", None),
        (4, "reading", "Reading club", "Reading club", "study_training", "读书会|读书"),
        (5, "misc", "misc", None, "other", "杂项"),
    ]


def test_a_row_without_code_or_with_an_unknown_category_is_rejected(warehouse) -> None:
    warehouse.write(
        "types.csv",
        CHINESE_HEADERS,
        [
            ["", "无编码", "", "其他", ""],  # line 2
            ["sports", "体育", "", "体育活动", ""],  # line 3
            ["tree", "植树", "", "", ""],  # line 4: no category at all
            ["ok", "可以", "", "other", ""],  # line 5
        ],
    )

    result = warehouse.load_one()

    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 1, 3)
    got = [
        (r["source_line"], r["reason"], r["reason_column"], r["reason_value"])
        for r in warehouse.rejects(result.batch_id)
    ]
    assert got == [
        (2, "missing_type_code", "类型编码", None),
        (3, "bad_category", "类型类别", "体育活动"),
        (4, "bad_category", "类型类别", None),
    ]
    assert reasons.message("missing_type_code", "类型编码", None, "zh") == (
        "“类型编码”列为空：每个活动类型都需要编码"
    )
    assert reasons.message("bad_category", "category", "体育活动", "en") == (
        "column category: '体育活动' is not a category; write volunteer_service (志愿服务), "
        "organizational_life (组织生活), study_training (学习培训) or other (其他)"
    )
    assert reasons.message("bad_category", "类型类别", "体育活动", "zh") == (
        "“类型类别”列：“体育活动”不是有效类别，请写 volunteer_service（志愿服务）、"
        "organizational_life（组织生活）、study_training（学习培训）或 other（其他）"
    )


def test_a_types_file_without_a_category_column_fails_whole(warehouse) -> None:
    warehouse.write("types.csv", ["类型编码", "类型名称"], [["tree", "植树"]])

    result = warehouse.load_one()

    assert (result.outcome, result.message) == (
        "failed",
        "types.csv: no column gives the category: an activity types file needs "
        "type_category (类型类别) or activity_type (活动类型) on every row; add that column, "
        "or name the header that holds it in a mapping (rename: {your header: "
        "type_category}); nothing was loaded",
    )


def test_a_log_mapping_that_names_the_activity_type_is_still_a_logs() -> None:
    # activity_type is a column of both kinds; a mapping of it alone meant logs before
    mapping = parse_mapping({"values": {"activity_type": {"Tutoring": "支教"}}}, "m.yaml")

    assert mapping.kind == "activity"
    declared = parse_mapping(
        {"kind": "activity_types", "rename": {"Code": "activity_type_code"}}, "t"
    )
    assert declared.kind == "activity_types"
