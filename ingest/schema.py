"""The input contract in one place: kinds, canonical columns and aliases.

Everything here comes from ``DESIGN.md`` ("Input kinds and canonical columns" and
"Validation"). Other modules import these tables; nothing else spells an alias.
"""

from __future__ import annotations

from dataclasses import dataclass

# Aliases per canonical column. A column has the same aliases in every kind, and the
# canonical name itself is always accepted. Matching is done on normalized headers
# (see ``headers.normalize_header``), so case and full-width forms do not matter here.
ALIASES: dict[str, tuple[str, ...]] = {
    "person_id": (
        "人员编号",
        "工号",
        "学号",
        "党员编号",
        "志愿者编号",
        "volunteer_id",
        "member_id",
    ),
    "id_number": ("身份证号", "身份证号码", "证件号码"),
    "phone": ("手机号", "手机号码", "联系电话", "mobile"),
    "person_name": ("姓名", "name", "volunteer_name"),
    "org_code": ("组织编码", "单位编码", "支部编码"),
    "org_name": ("组织名称", "单位", "单位名称", "学校", "所在支部", "党组织"),
    "activity_date": ("活动日期", "服务日期", "日期", "date"),
    "start_time": ("开始时间", "签到时间"),
    "end_time": ("结束时间", "签退时间"),
    "hours": ("服务时长", "志愿时长", "时长", "小时数", "总时长", "小时", "hours", "duration"),
    "minutes": ("分钟", "minutes"),
    "activity_type": ("活动类型", "服务类别", "活动类别", "type", "category"),
    "activity_title": ("活动名称", "活动主题", "活动内容", "title"),
    "location": ("地点", "服务地点", "活动地点"),
    "community": ("报到社区", "服务社区"),
    "status": ("状态", "审核状态", "认定状态", "status"),
    # event summaries (DESIGN.md "event summary (活动汇总)"): a headcount, per-person
    # hours, and a year and month where there is no date
    "participants": ("参与人数", "人数", "志愿者人数", "headcount"),
    "hours_each": ("人均时长", "每人时长"),
    "year": ("年份",),
    "month": ("月份",),
    "person_type": ("人员类别", "人员类型"),
    "role": ("职务", "岗位"),
    "gender": ("性别",),
    "joined_date": ("加入日期", "入职日期"),
    "left_date": ("离开日期", "调离日期"),
    # the date a roster is valid from
    "effective_date": ("生效日期", "统计日期", "截至日期", "名册日期", "as_of_date"),
    "org_type": ("组织类型",),
    "parent_org_code": ("上级组织编码", "上级编码"),
    "district_code": ("区域编码", "协作区编码", "学区编码"),
    "district_name": ("区域名称", "协作区", "学区"),
    "district_type": ("区域类型",),
    "is_demonstration_site": ("示范点", "是否示范点"),
    # an activity types file (the seed's columns): the seed's own header `category` is
    # an alias of activity_type, which such a file reads as the category
    "activity_type_code": ("类型编码", "活动类型编码", "类型代码", "type_code"),
    "name_zh": ("中文名称", "类型名称", "中文名"),
    "name_en": ("英文名称", "英文名", "english_name"),
    "type_category": ("类型类别", "所属类别", "类别", "大类"),
    "aliases": ("别名", "类型别名", "其他名称"),
}

# Header units that turn a duration column into minutes: `时长(分钟)`, `duration (min)`.
MINUTE_UNITS: tuple[str, ...] = ("分钟", "min", "mins", "minute", "minutes")

ACTIVITY = "activity"
EVENTS = "events"
PEOPLE = "people"
ORGANIZATIONS = "organizations"
DISTRICTS = "districts"
ACTIVITY_TYPES = "activity_types"
KINDS: tuple[str, ...] = (ACTIVITY, EVENTS, PEOPLE, ORGANIZATIONS, DISTRICTS, ACTIVITY_TYPES)

# The columns that name a person: a file with one of them is never an event summary.
PERSON_COLUMNS = frozenset({"person_id", "id_number", "phone"})


@dataclass(frozen=True)
class Kind:
    """One input kind: the columns it keeps and the column that proves a file is of it."""

    name: str
    columns: tuple[str, ...]
    # A file is of this kind when it has every column of one of these sets
    signatures: tuple[frozenset[str], ...]
    # and none of these.
    excludes: frozenset[str] = frozenset()


KIND_SPECS: dict[str, Kind] = {
    ACTIVITY: Kind(
        ACTIVITY,
        (
            "person_id",
            "id_number",
            "phone",
            "person_name",
            "org_code",
            "org_name",
            "activity_date",
            "start_time",
            "end_time",
            "hours",
            "minutes",
            "activity_type",
            "activity_title",
            "location",
            "community",
            "status",
        ),
        (frozenset({"activity_date", "activity_type"}),),
    ),
    EVENTS: Kind(
        EVENTS,
        (
            "org_code",
            "org_name",
            "activity_date",
            "year",
            "month",
            "activity_type",
            "activity_title",
            "location",
            "community",
            "participants",
            "hours",
            "hours_each",
            "minutes",
            "status",
        ),
        # a headcount and one more column of an activity (a lone 人数 in a title row
        # is no header), and no person
        tuple(
            frozenset({"participants", other})
            for other in ("activity_date", "year", "activity_type", "hours", "hours_each")
        ),
        PERSON_COLUMNS,
    ),
    PEOPLE: Kind(
        PEOPLE,
        (
            "person_id",
            "person_name",
            "gender",
            "person_type",
            "role",
            "org_code",
            "org_name",
            "joined_date",
            "left_date",
            "id_number",
            "phone",
            "effective_date",
        ),
        (
            frozenset({"person_id", "person_type"}),
            frozenset({"person_id", "role"}),
            frozenset({"person_id", "joined_date"}),
            frozenset({"person_id", "gender"}),
        ),
    ),
    ORGANIZATIONS: Kind(
        ORGANIZATIONS,
        (
            "org_code",
            "org_name",
            "org_type",
            "parent_org_code",
            "district_code",
            "is_demonstration_site",
        ),
        (
            frozenset({"org_code", "org_type"}),
            frozenset({"org_code", "parent_org_code"}),
            frozenset({"org_code", "district_code"}),
        ),
    ),
    DISTRICTS: Kind(
        DISTRICTS,
        ("district_code", "district_name", "district_type"),
        (frozenset({"district_code", "district_name"}),),
    ),
    # types and aliases a bureau adds to the seed (seeds/activity_types.csv) from its inbox
    ACTIVITY_TYPES: Kind(
        ACTIVITY_TYPES,
        ("activity_type_code", "name_zh", "name_en", "type_category", "activity_type", "aliases"),
        (
            frozenset({"activity_type_code", "name_zh"}),
            frozenset({"activity_type_code", "name_en"}),
        ),
    ),
}

# What each kind needs on every row, as columns a file must have (or a mapping's
# constant must give): for each need, its name and the sets of columns that meet it.
# A file without one fails as a whole, once, instead of rejecting every row.
REQUIRED: dict[str, tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]] = {
    ACTIVITY: (
        ("the person", (("person_id",), ("id_number",), ("phone",))),
        ("the organization", (("org_code",), ("org_name",))),
        ("the date", (("activity_date",),)),
        ("the hours", (("hours",), ("minutes",), ("start_time", "end_time"))),
        ("the activity type", (("activity_type",),)),
    ),
    EVENTS: (
        ("the organization", (("org_code",), ("org_name",))),
        ("the date", (("activity_date",), ("year", "month"))),
        ("the hours", (("hours",), ("hours_each",), ("minutes",))),
        ("the activity type", (("activity_type",),)),
        ("the participants", (("participants",),)),
    ),
    PEOPLE: (("the person number", (("person_id",),)),),
    ORGANIZATIONS: (("the organization code", (("org_code",),)),),
    DISTRICTS: (("the district code", (("district_code",),)),),
    ACTIVITY_TYPES: (
        ("the type code", (("activity_type_code",),)),
        ("the category", (("type_category",), ("activity_type",))),
    ),
}


# The order kinds are recognised in: an event summary has an activity log's columns
# too (a date and a type), and is told apart by its headcount and no person.
DETECTION_ORDER: tuple[str, ...] = (
    EVENTS,
    ACTIVITY,
    PEOPLE,
    ORGANIZATIONS,
    DISTRICTS,
    ACTIVITY_TYPES,
)


def missing_needs(kind: str, columns: set[str]) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
    """The needs of ``kind`` that none of ``columns`` meets."""
    return [
        (need, options)
        for need, options in REQUIRED[kind]
        if not any(set(option) <= columns for option in options)
    ]


# The reason codes a row is rejected for live in seeds/reject_reasons.csv (kernel.reasons).

STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "approved": ("已认定", "已审核", "通过", "approved", "confirmed"),
    "pending": ("待审核", "待认定", "pending"),
    "rejected": ("驳回", "未通过", "rejected", "declined"),
}

EARLIEST_DATE = "2000-01-01"

# The columns that hold a date or a time of day (a mapping's ``formats`` may say how
# they are written).
DATE_COLUMNS = ("activity_date", "joined_date", "left_date", "effective_date")
TIME_COLUMNS = ("start_time", "end_time")

# The categories of activity types (DESIGN.md, "activity types"), and the words an
# activity types file may write each one as (after NFKC, ignoring case).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "volunteer_service": ("volunteer_service", "志愿服务", "volunteer service"),
    "organizational_life": ("organizational_life", "组织生活", "organizational life"),
    "study_training": ("study_training", "学习培训", "study and training", "study_and_training"),
    "other": ("other", "其他"),
}
