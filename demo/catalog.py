"""Activity types from the dbt seed, and how each kind of activity looks in the data.

Every type of ``seeds/activity_types.csv`` is generated. A type this module has no
profile for still appears, with the defaults of its category, so adding a type to
the seed never breaks the demo.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from kernel.errors import UserError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

VOLUNTEER = "volunteer_service"
ORGANIZATIONAL = "organizational_life"
STUDY = "study_training"


@dataclass(frozen=True)
class ActivityType:
    """One row of the activity-type seed."""

    code: str
    name_zh: str
    name_en: str
    category: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    """How events of one type look: who comes, for how long, when, where, what title."""

    weight: float = 1.0  # relative frequency among the events of its category
    participants: float = 3.0  # mean number of people per event (volunteer, training)
    max_participants: int = 12
    minutes: tuple[int, ...] = (60, 90, 120, 150, 180)
    starts: tuple[str, ...] = ("08:30", "09:00", "14:30", "15:00")
    pool: str = "all"  # all | teachers | members (of the school) | unit (its branch)
    titles: tuple[str, ...] = ()
    locations: tuple[str, ...] = ("社区服务中心",)
    community_share: float = 0.0  # events that record the community served
    # organizational life: how often, how likely in a term month, who attends
    period: str = "month"  # month | quarter
    chance: float = 0.85
    attendance: float = 0.85  # share of the unit's party members present
    committee: bool = False  # only the branch committee attends


PROFILES: dict[str, Profile] = {
    "activity_day": Profile(
        chance=0.93,
        attendance=0.85,
        minutes=(120, 150, 180, 180, 240),
        starts=("14:00", "14:30", "15:00", "08:30"),
        titles=(
            "主题党日：重温入党誓词",
            "主题党日：学习党的创新理论",
            "党员活动日：集中交纳党费",
            "党员活动日：廉政文化教育",
            "主题党日：党性观念教育",
            "党员活动日：能力素质提升",
        ),
        locations=("党员活动室", "学校会议室", "红色教育基地", "多功能厅"),
    ),
    "member_meeting": Profile(
        period="quarter",
        chance=0.92,
        attendance=0.9,
        minutes=(90, 120),
        starts=("15:30", "16:00", "14:30"),
        titles=(
            "支部党员大会：民主评议党员",
            "支部党员大会：讨论接收预备党员",
            "支部党员大会：半年工作总结",
        ),
        locations=("学校会议室", "党员活动室"),
    ),
    "committee_meeting": Profile(
        chance=0.85,
        committee=True,
        minutes=(60, 60, 90),
        starts=("12:30", "16:30", "16:00"),
        titles=("支委会：研究月度工作", "支委会：讨论党员发展", "支委会：筹备组织生活会"),
        locations=("党员活动室", "书记办公室"),
    ),
    "group_meeting": Profile(
        chance=0.7,
        attendance=0.35,
        minutes=(60, 60, 90),
        starts=("16:00", "16:30", "12:30"),
        titles=("党小组会：学习交流", "党小组会：谈心谈话", "党小组会：岗位建功讨论"),
        locations=("年级组办公室", "教研室", "党员活动室"),
    ),
    "party_lecture": Profile(
        period="quarter",
        chance=0.9,
        attendance=0.88,
        minutes=(90, 120),
        starts=("14:30", "15:00", "16:00"),
        titles=("书记讲党课", "专题党课：为谁培养人", "党课：立德树人", "校长讲坛"),
        locations=("多功能厅", "学校会议室", "党校教室"),
    ),
    "community_convenience": Profile(
        weight=1.3,
        participants=5.0,
        max_participants=15,
        minutes=(120, 150, 180, 240),
        titles=("便民利民服务进社区", "义诊义剪便民服务", "家电义务维修"),
        locations=("社区服务中心", "社区广场"),
        community_share=0.6,
    ),
    "poverty_relief": Profile(
        weight=0.7,
        participants=3.0,
        max_participants=8,
        minutes=(120, 180, 240, 300),
        titles=("扶贫帮困送温暖", "爱心助学帮困", "困难家庭帮扶"),
        locations=("帮扶村", "困难家庭", "社区服务中心"),
    ),
    "public_safety": Profile(
        weight=0.8,
        participants=3.0,
        max_participants=8,
        minutes=(120, 180, 240),
        starts=("08:30", "14:00", "19:00"),
        titles=("平安校园周边巡逻", "社区治安巡逻", "反诈宣传"),
        locations=("学校周边", "社区", "商业街"),
        community_share=0.5,
    ),
    "culture_sports": Profile(
        weight=0.9,
        participants=8.0,
        max_participants=30,
        minutes=(120, 180, 240),
        titles=("社区文艺汇演", "全民健身志愿服务", "红歌传唱"),
        locations=("社区广场", "学校操场", "文化馆"),
    ),
    "traffic_safety": Profile(
        weight=1.4,
        participants=3.0,
        max_participants=6,
        minutes=(30, 45, 60, 90),
        starts=("07:00", "07:15", "16:30", "17:00"),
        titles=("校门口护学岗", "文明交通劝导", "交通安全宣传"),
        locations=("校门口", "十字路口"),
    ),
    "environmental_protection": Profile(
        weight=1.1,
        participants=10.0,
        max_participants=30,
        minutes=(90, 120, 180, 240),
        titles=("社区环境整治", "垃圾分类志愿服务", "河道清洁"),
        locations=("社区", "公园", "河道"),
        community_share=0.4,
    ),
    "education_consulting": Profile(
        weight=0.6,
        participants=3.0,
        max_participants=8,
        minutes=(90, 120, 180),
        pool="teachers",
        titles=("家庭教育咨询", "中招政策咨询", "心理健康咨询"),
        locations=("社区服务中心", "学校", "广场咨询台"),
    ),
    "community_report": Profile(
        weight=1.8,
        participants=1.5,
        max_participants=6,
        minutes=(60, 120, 120, 180, 240),
        starts=("09:00", "14:00", "19:00"),
        pool="members",
        titles=("双报到社区志愿服务", "社区值守", "社区政策宣传", "社区卫生清理"),
        locations=("社区党群服务中心",),
        community_share=1.0,
    ),
    "home_visit": Profile(
        weight=1.1,
        participants=1.3,
        max_participants=2,
        minutes=(60, 90, 120),
        starts=("16:30", "17:00", "18:30", "19:00"),
        pool="teachers",
        titles=("入户家访", "家校共育家访"),
        locations=("学生家中",),
    ),
    "pairing_support": Profile(
        weight=0.9,
        participants=1.0,
        max_participants=1,
        minutes=(60, 90, 120),
        starts=("16:30", "17:00", "09:00"),
        pool="teachers",
        titles=("结对帮扶留守儿童", "学业辅导", "心理陪伴"),
        locations=("帮扶对象家中", "学校辅导室"),
    ),
    "supporting_teaching": Profile(
        weight=0.35,
        participants=1.5,
        max_participants=3,
        minutes=(240, 360, 420, 480),
        starts=("08:00", "08:30"),
        pool="teachers",
        titles=("薄弱学校支教", "送教下乡", "乡村学校支教"),
        locations=("对口帮扶学校", "乡村学校"),
    ),
    "visits_talks": Profile(
        weight=0.7,
        participants=2.5,
        max_participants=6,
        minutes=(60, 90, 120, 180),
        pool="teachers",
        titles=("交心谈心", "走访慰问困难党员", "慰问退休教师"),
        locations=("困难党员家中", "退休教师家中", "学校"),
    ),
    "training": Profile(
        participants=18.0,
        max_participants=45,
        minutes=(180, 240, 360, 480),
        starts=("08:30", "09:00", "14:00"),
        pool="teachers",
        titles=("党组织书记培训", "党务干部培训", "发展对象培训", "党校主体班培训", "年轻干部培训"),
        locations=("市委党校", "学校会议室", "教师进修学校"),
    ),
}

CATEGORY_DEFAULTS: dict[str, Profile] = {
    VOLUNTEER: Profile(titles=("志愿服务",)),
    ORGANIZATIONAL: Profile(
        period="quarter", minutes=(60, 90), titles=("组织生活",), locations=("党员活动室",)
    ),
    STUDY: Profile(
        participants=15.0, max_participants=40, minutes=(180, 240), titles=("集中学习",)
    ),
}

# Titles that replace a type's own on special days (学雷锋, 七一, 国际志愿者日, breaks).
LEI_FENG_TITLE = "学雷锋志愿服务"
LEI_FENG_DAY_TITLE = "学雷锋主题党日"
JULY_FIRST_TITLE = "庆祝七一主题党日"
VOLUNTEER_DAY_TITLE = "国际志愿者日志愿服务"
WINTER_VISIT_TITLE = "寒假家访"
SUMMER_VISIT_TITLE = "暑期家访"
SUMMER_TRAINING_TITLE = "暑期集中培训"
COVERAGE_TRAINING_TITLE = "基层党组织书记、党建专干和发展对象集中培训"
SPECIAL_TITLES: tuple[str, ...] = (
    LEI_FENG_TITLE,
    LEI_FENG_DAY_TITLE,
    JULY_FIRST_TITLE,
    VOLUNTEER_DAY_TITLE,
    WINTER_VISIT_TITLE,
    SUMMER_VISIT_TITLE,
    SUMMER_TRAINING_TITLE,
    COVERAGE_TRAINING_TITLE,
)

# Labels a school might write that match no type, code or alias: kept as `other`.
UNMAPPED_LABELS: tuple[str, ...] = ("植树活动", "义务献血", "防溺水宣传", "读书分享会")


@dataclass(frozen=True)
class Catalog:
    """The seed's activity types with their profiles, in seed order."""

    types: tuple[ActivityType, ...]

    def profile(self, index: int) -> Profile:
        kind = self.types[index]
        return PROFILES.get(kind.code, CATEGORY_DEFAULTS.get(kind.category, Profile()))

    def indices(self, category: str) -> list[int]:
        return [i for i, t in enumerate(self.types) if t.category == category]

    def index(self, code: str) -> int:
        return next(i for i, t in enumerate(self.types) if t.code == code)

    def has(self, code: str) -> bool:
        return any(t.code == code for t in self.types)


class CatalogError(UserError, ValueError):
    """The activity-type seed cannot be used."""


def read_catalog(path: Path | None = None) -> Catalog:
    """Read the activity-type seed (``seeds/activity_types.csv`` by default)."""
    path = path or SEEDS / "activity_types.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise CatalogError(f"cannot read the activity types {path}: {error.strerror}") from None
    needed = {"activity_type_code", "name_zh", "name_en", "category", "aliases"}
    if not rows or not needed <= set(rows[0]):
        raise CatalogError(f"{path} needs the columns {', '.join(sorted(needed))}")
    types = tuple(
        ActivityType(
            code=row["activity_type_code"].strip(),
            name_zh=row["name_zh"].strip(),
            name_en=row["name_en"].strip(),
            category=row["category"].strip(),
            aliases=tuple(a.strip() for a in (row["aliases"] or "").split("|") if a.strip()),
        )
        for row in rows
    )
    if not any(t.code == "activity_day" for t in types):
        raise CatalogError(f"{path} has no activity_day type, which the demo is built around")
    return Catalog(types)
