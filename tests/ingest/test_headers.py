"""Header mapping: aliases to canonical columns, and a file's kind from its columns."""

from __future__ import annotations

import pytest

from ingest.headers import canonical_column, detect_kind, map_headers
from ingest.schema import ALIASES

ALL_ALIASES = [
    pytest.param(alias, canonical, id=f"{canonical}<-{alias}")
    for canonical, aliases in ALIASES.items()
    for alias in (canonical, *aliases)
]

# The alias table of DESIGN.md ("Input kinds and canonical columns"), copied by hand,
# so an alias dropped from ``schema.ALIASES`` fails here too.
DESIGN_ALIASES = {
    "person_id": [
        "人员编号",
        "工号",
        "学号",
        "党员编号",
        "志愿者编号",
        "volunteer_id",
        "member_id",
    ],
    "id_number": ["身份证号", "身份证号码", "证件号码"],
    "phone": ["手机号", "手机号码", "联系电话", "mobile"],
    "person_name": ["姓名", "name", "volunteer_name"],
    "org_code": ["组织编码", "单位编码", "支部编码"],
    "org_name": ["组织名称", "单位", "单位名称", "学校", "所在支部", "党组织"],
    "activity_date": ["活动日期", "服务日期", "日期", "date"],
    "start_time": ["开始时间", "签到时间"],
    "end_time": ["结束时间", "签退时间"],
    "hours": ["服务时长", "志愿时长", "时长", "小时数", "hours", "duration"],
    "activity_type": ["活动类型", "服务类别", "活动类别", "type", "category"],
    "activity_title": ["活动名称", "活动主题", "活动内容", "title"],
    "location": ["地点", "服务地点", "活动地点"],
    "community": ["报到社区", "服务社区"],
    "minutes": ["分钟", "时长(分钟)", "minutes"],
    "status": ["状态", "审核状态", "认定状态", "status"],
    "person_type": ["人员类别", "人员类型"],
    "role": ["职务", "岗位"],
    "gender": ["性别"],
    "joined_date": ["加入日期", "入职日期"],
    "left_date": ["离开日期", "调离日期"],
    "org_type": ["组织类型"],
    "parent_org_code": ["上级组织编码", "上级编码"],
    "district_code": ["区域编码", "协作区编码", "学区编码"],
    "district_name": ["区域名称", "协作区", "学区"],
    "district_type": ["区域类型"],
    "is_demonstration_site": ["示范点", "是否示范点"],
}


@pytest.mark.parametrize(("alias", "canonical"), ALL_ALIASES)
def test_every_alias_maps_to_its_column(alias: str, canonical: str) -> None:
    assert canonical_column(alias) == canonical


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        pytest.param(alias, canonical, id=f"{canonical}<-{alias}")
        for canonical, aliases in DESIGN_ALIASES.items()
        for alias in aliases
    ],
)
def test_every_alias_of_the_design_is_understood(alias: str, canonical: str) -> None:
    assert canonical_column(alias) == canonical


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("ＨＯＵＲＳ", "hours"),  # full-width Latin letters, upper case
        ("Hours", "hours"),
        ("PERSON_ID", "person_id"),
        (" 姓名 ", "person_name"),
        ("\u3000姓名\u3000", "person_name"),  # ideographic spaces around
        ("\t活动日期 ", "activity_date"),
        ("Ｖｏｌｕｎｔｅｅｒ＿ＩＤ", "person_id"),
    ],
)
def test_case_spaces_and_full_width_forms_are_ignored(header: str, canonical: str) -> None:
    assert canonical_column(header) == canonical


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("时长(小时)", "hours"),
        ("时长（小时）", "hours"),
        ("hours [h]", "hours"),
        ("服务时长 (小时)", "hours"),
        ("日期(年月日)", "activity_date"),
        ("时长（分钟）", "minutes"),
        ("时长(分钟)", "minutes"),
        ("duration (min)", "minutes"),
        ("Duration (MIN)", "minutes"),
        ("服务时长(分钟)", "minutes"),
        ("分钟(min)", "minutes"),
    ],
)
def test_a_trailing_unit_is_dropped_and_minutes_make_minutes(header: str, canonical: str) -> None:
    assert canonical_column(header) == canonical


@pytest.mark.parametrize(
    "header", ["备注", "remarks", "", "   ", "时长小时", "备注(分钟)", "(分钟)"]
)
def test_an_unknown_header_maps_to_nothing(header: str) -> None:
    assert canonical_column(header) is None


def test_map_headers_keeps_the_first_header_of_a_column_and_lists_the_rest() -> None:
    mapped = map_headers(["工号", "姓名", "手机号", "联系电话", "备注", "日期"])

    assert mapped.columns == {
        "person_id": "工号",
        "person_name": "姓名",
        "phone": "手机号",
        "activity_date": "日期",
    }
    assert mapped.duplicates == ["联系电话"]
    assert mapped.unmapped == ["备注"]


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["人员编号", "姓名", "单位", "日期", "时长", "活动类型"], "activity"),
        (["手机号", "服务日期", "服务时长", "服务类别", "学校"], "activity"),
        (["人员编号", "姓名", "性别", "人员类别", "加入日期"], "people"),
        (["工号", "职务"], "people"),
        (["组织编码", "组织名称", "组织类型", "上级组织编码"], "organizations"),
        (["单位编码", "区域编码"], "organizations"),
        (["区域编码", "区域名称", "区域类型"], "districts"),
        (["协作区编码", "协作区"], "districts"),
    ],
)
def test_detect_kind_recognises_each_kind(headers: list[str], kind: str) -> None:
    assert detect_kind(set(map_headers(headers).columns)) == kind


@pytest.mark.parametrize(
    "headers",
    [
        ["人员编号", "姓名"],  # a person, but no roster column
        ["日期", "时长"],  # an activity without its type
        ["组织编码", "组织名称"],  # an organization without type, parent or district
        ["区域编码"],
        ["备注", "remarks"],
        [],
    ],
)
def test_detect_kind_finds_no_kind_in_other_header_sets(headers: list[str]) -> None:
    assert detect_kind(set(map_headers(headers).columns)) is None
