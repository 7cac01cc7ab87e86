"""Which files the bureau receives, and how each sender writes them.

Most 协作区 send one activity log per quarter (``logs/2025Q1/D03_第三协作区.csv``);
the schools of the seventh zone send their own (``logs/2025Q1/S061_市第三中学.csv``).
Each sender keeps its template: header aliases, encoding, date and hour formats,
status words. The sixth zone moves to an English-header platform in 2026. Three
senders also send a late supplement (``..._补报.csv``) that repeats some rows.
The table is fixed (not drawn from the seed) so that every format, encoding and
fault is always present.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.organizations import Tree
from demo.rhythm import Calendar

# Header templates: (field, header) in column order. Fields are the canonical columns
# of DESIGN.md, plus ``remark`` (备注), which no kind knows.
TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "A": (
        ("person_id", "人员编号"),
        ("person_name", "姓名"),
        ("org_code", "组织编码"),
        ("org_name", "组织名称"),
        ("activity_date", "活动日期"),
        ("activity_type", "活动类型"),
        ("activity_title", "活动名称"),
        ("hours", "服务时长"),
        ("location", "活动地点"),
        ("community", "报到社区"),
        ("status", "审核状态"),
    ),
    "B": (
        ("person_id", "工号"),
        ("person_name", "姓名"),
        ("id_number", "身份证号"),
        ("phone", "手机号"),
        ("org_code", "单位编码"),
        ("org_name", "单位名称"),
        ("activity_date", "服务日期"),
        ("start_time", "签到时间"),
        ("end_time", "签退时间"),
        ("hours", "志愿时长"),
        ("activity_type", "服务类别"),
        ("activity_title", "活动主题"),
        ("location", "服务地点"),
        ("community", "服务社区"),
        ("status", "认定状态"),
    ),
    "C": (
        ("person_id", "志愿者编号"),
        ("person_name", "姓名"),
        ("phone", "手机号码"),
        ("org_code", "支部编码"),
        ("org_name", "所在支部"),
        ("activity_date", "日期"),
        ("activity_type", "活动类别"),
        ("activity_title", "活动内容"),
        ("minutes", "时长(分钟)"),
        ("location", "地点"),
        ("community", "报到社区"),
        ("status", "状态"),
        ("remark", "备注"),
    ),
    "D": (
        ("person_id", "person_id"),
        ("person_name", "name"),
        ("id_number", "id_number"),
        ("phone", "mobile"),
        ("org_code", "org_code"),
        ("org_name", "org_name"),
        ("activity_date", "date"),
        ("start_time", "start_time"),
        ("end_time", "end_time"),
        ("hours", "hours"),
        ("activity_type", "type"),
        ("activity_title", "title"),
        ("location", "location"),
        ("community", "community"),
        ("status", "status"),
    ),
    "E": (
        ("person_id", "党员编号"),
        ("person_name", "姓名"),
        ("id_number", "身份证号码"),
        ("phone", "联系电话"),
        ("org_code", "组织编码"),
        ("org_name", "党组织"),
        ("activity_date", "活动日期"),
        ("start_time", "开始时间"),
        ("end_time", "结束时间"),
        ("hours", "时长(小时)"),
        ("activity_type", "活动类型"),
        ("activity_title", "活动主题"),
        ("location", "活动地点"),
        ("community", "服务社区"),
    ),
    "F": (
        ("person_id", "学号"),
        ("person_name", "姓名"),
        ("org_name", "单位名称"),
        ("activity_date", "活动日期"),
        ("activity_type", "服务类别"),
        ("activity_title", "活动内容"),
        ("hours", "服务时长"),
        ("location", "服务地点"),
        ("community", "报到社区"),
        ("status", "审核状态"),
    ),
}


@dataclass(frozen=True)
class Style:
    """How one sender writes its activity logs."""

    template: str
    encoding: str  # gb18030 | utf-8-sig | utf-8 | utf-16
    dates: tuple[tuple[str, float], ...]  # date formats and their shares
    hours: tuple[tuple[str, float], ...] = (("decimal", 1.0),)
    times: str = "h:mm"  # h:mm | hh:mm | hh:mm:ss | cn
    eol: str = "\r\n"
    delimiter: str = ","
    quoting: str = "none"  # none | needed | all_valid
    words: tuple[str, str, str] = ("已认定", "待审核", "驳回")  # approved, pending, rejected
    labels: str = "zh"  # zh | en | mixed
    title_row: bool = False
    id_only: float = 0.0  # rows naming the person by ID number only
    phone_only: float = 0.0  # rows naming the person by phone only
    personal_filled: float = 1.0  # rows with a person number that also show ID and phone
    suffix: str = ".csv"

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for f, _ in TEMPLATES[self.template])

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(h for _, h in TEMPLATES[self.template])


ZONE_STYLES: dict[str, Style] = {
    "D01": Style(
        "A",
        "gb18030",
        (("slash", 0.9), ("iso", 0.1)),
        hours=(("decimal", 0.85), ("unit", 0.1), ("fullwidth", 0.05)),
    ),
    "D02": Style(
        "B",
        "utf-8-sig",
        (("iso", 0.95), ("slash", 0.05)),
        quoting="needed",
        words=("通过", "待认定", "未通过"),
        id_only=0.05,
        phone_only=0.04,
    ),
    "D03": Style(
        "A",
        "utf-8",
        (("cn", 0.85), ("iso", 0.15)),
        eol="\n",
        hours=(("decimal", 0.7), ("fullwidth", 0.2), ("unit", 0.1)),
        words=("", "待审核", "驳回"),
        title_row=True,
    ),
    "D04": Style(
        "C",
        "gb18030",
        (("dot", 0.6), ("compact", 0.4)),
        hours=(("plain", 0.9), ("unit", 0.1)),
        words=("已审核", "待审核", "驳回"),
        phone_only=0.04,
        labels="mixed",
    ),
    "D05": Style(
        "E",
        "utf-8-sig",
        (("compact", 0.9), ("iso", 0.1)),
        times="cn",
        hours=(("decimal", 0.8), ("h", 0.2)),
        id_only=0.04,
        phone_only=0.03,
        personal_filled=0.5,
        quoting="needed",
    ),
    "D06": Style(
        "B",
        "gb18030",
        (("slash", 1.0),),
        times="hh:mm",
        id_only=0.03,
        phone_only=0.03,
        personal_filled=0.7,
    ),
    "D08": Style(
        "D",
        "utf-8",
        (("iso", 1.0),),
        times="hh:mm",
        eol="\n",
        quoting="needed",
        words=("approved", "pending", "rejected"),
        labels="en",
        id_only=0.03,
        phone_only=0.03,
        personal_filled=0.4,
    ),
    "D09": Style(
        "A",
        "gb18030",
        (("slash", 0.8), ("serial", 0.1), ("iso", 0.1)),
        title_row=True,
        labels="mixed",
    ),
}
# The sixth zone's new platform, from 2026Q1 on.
D06_FROM_2026 = Style(
    "D",
    "utf-8",
    (("iso", 1.0),),
    times="hh:mm:ss",
    eol="\n",
    quoting="all_valid",
    words=("approved", "pending", "rejected"),
    labels="en",
    id_only=0.02,
    phone_only=0.02,
    personal_filled=1.0,
)
D06_SWITCH = "2026Q1"
# The seventh zone's schools, in turn.
SCHOOL_STYLES: tuple[Style, ...] = (
    Style("F", "utf-8-sig", (("slash", 1.0),)),
    Style("A", "gb18030", (("iso", 0.8), ("serial", 0.2)), words=("已认定", "待认定", "未通过")),
    Style(
        "C",
        "utf-8",
        (("cn", 1.0),),
        eol="\n",
        hours=(("plain", 0.8), ("unit", 0.2)),
        phone_only=0.05,
        quoting="needed",
    ),
    Style("F", "gb18030", (("compact", 1.0),), hours=(("decimal", 0.6), ("unit", 0.4))),
    Style("A", "utf-8-sig", (("slash", 1.0),), hours=(("decimal", 0.9), ("fullwidth", 0.1))),
    Style("C", "gb18030", (("dot", 1.0),)),
    Style(
        "F",
        "utf-16",
        (("iso", 1.0),),
        delimiter="\t",
        suffix=".txt",
        hours=(("decimal", 0.9), ("unit", 0.1)),
    ),
    Style("A", "utf-8", (("iso", 1.0),), eol="\n"),
)
PER_SCHOOL_ZONE = "D07"
SUPPLEMENTS: tuple[tuple[str, str], ...] = (("D02", "2025Q2"), ("D05", "2026Q1"), ("D09", "2025Q4"))
SUPPLEMENT_LATE_SHARE = 0.2  # of the events in the quarter's last month


@dataclass(frozen=True)
class LogFile:
    """One activity-log file the generator writes."""

    path: str  # relative to the inbox
    style: Style
    sender: int
    quarter: int
    supplement_of: int  # the main file a supplement repeats rows of, else -1


@dataclass(frozen=True)
class Layout:
    senders: list[str]  # sender label: zone code or school code
    sender_names: list[str]  # 第三协作区, or the school's name
    sender_of_org: np.ndarray
    files: list[LogFile]
    main_file: np.ndarray  # [sender, quarter] -> file index
    supplement_file: np.ndarray  # [sender, quarter] -> file index or -1


def build_layout(tree: Tree, cal: Calendar) -> Layout:
    """Senders, their files per quarter, and which sender reports for each organization."""
    senders: list[str] = []
    sender_names: list[str] = []
    sender_of_org = np.full(tree.size, -1, dtype=np.int32)
    for d, code in enumerate(tree.district_codes):
        if code == PER_SCHOOL_ZONE:
            for host in tree.hosts[tree.district[tree.hosts] == d]:
                sender_of_org[tree.host == host] = len(senders)
                senders.append(tree.code[host])
                sender_names.append(tree.name[host])
        else:
            in_zone = tree.district[tree.host] == d
            sender_of_org[in_zone] = len(senders)
            senders.append(code)
            sender_names.append(tree.district_names[d])
    quarters = len(cal.quarter_labels)
    main_file = np.full((len(senders), quarters), -1, dtype=np.int32)
    supplement_file = np.full((len(senders), quarters), -1, dtype=np.int32)
    files: list[LogFile] = []
    school_number = 0
    styles: list[Style] = []
    for label in senders:
        if label in ZONE_STYLES:
            styles.append(ZONE_STYLES[label])
        else:
            styles.append(SCHOOL_STYLES[school_number % len(SCHOOL_STYLES)])
            school_number += 1
    for q, quarter in enumerate(cal.quarter_labels):
        for s, label in enumerate(senders):
            style = styles[s]
            if label == "D06" and quarter >= D06_SWITCH:
                style = D06_FROM_2026
            stem = f"logs/{quarter}/{label}_{sender_names[s]}"
            main_file[s, q] = len(files)
            files.append(LogFile(stem + style.suffix, style, s, q, -1))
            if (label, quarter) in SUPPLEMENTS:
                supplement_file[s, q] = len(files)
                files.append(LogFile(f"{stem}_补报{style.suffix}", style, s, q, len(files) - 1))
    return Layout(senders, sender_names, sender_of_org, files, main_file, supplement_file)


def assign_files(
    rng: np.random.Generator,
    layout: Layout,
    cal: Calendar,
    org: np.ndarray,
    day: np.ndarray,
    event: np.ndarray,
) -> np.ndarray:
    """The file of every session: its sender's main file, or the late supplement."""
    sender = layout.sender_of_org[org]
    quarter = cal.quarter[day]
    file = layout.main_file[sender, quarter]
    supplement = layout.supplement_file[sender, quarter]
    quarter_end_month = _last_month_of_quarter(cal)[quarter]
    event_roll = rng.random(int(event.max()) + 1 if len(event) else 0)
    late = (supplement >= 0) & (cal.month[day] == quarter_end_month)
    late &= event_roll[event] < SUPPLEMENT_LATE_SHARE
    return np.where(late, supplement, file).astype(np.int32)


def _last_month_of_quarter(cal: Calendar) -> np.ndarray:
    quarters = len(cal.quarter_labels)
    return np.array([cal.month[cal.quarter == q].max() for q in range(quarters)])
