"""Chinese words the demo is made of: people's names, school and branch names, communities."""

from __future__ import annotations

import numpy as np

# Common surnames, most frequent first; the weights fall off like the real distribution.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_FEMALE = "秀丽静敏燕艳娟霞芳玲婷雪琳颖慧珊晶洁红梅丹萍倩欣悦佳怡雅琪璐莉蕾楠瑶瑾"
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆峰亮东林龙毅晨昊博然哲"
GIVEN_BOTH = "文晓新春海玉建永志国华宏思嘉一雨天心安"

ROADS = (
    "文化路",
    "丰产路",
    "纬五路",
    "经三路",
    "花园路",
    "金水路",
    "农业路",
    "红旗路",
    "建设路",
    "桐柏路",
    "伏牛路",
    "嵩山路",
    "航海路",
    "大学路",
    "陇海路",
    "淮河路",
    "黄河路",
    "政七街",
    "纬一路",
    "民主路",
    "南阳路",
    "东风路",
    "中原路",
    "工人路",
    "汝河路",
    "棉纺路",
    "互助路",
    "商城路",
    "优胜路",
    "銮驾路",
    "未来路",
    "纬四路",
    "燕庄",
    "陈寨",
    "杜岭",
    "二里岗",
)
SPECIAL_SCHOOLS = (
    "市实验中学",
    "市实验小学",
    "市外国语学校",
    "市外国语中学",
    "市第一职业中等专业学校",
    "市科技工业学校",
    "市特殊教育学校",
    "市财贸学校",
    "市电子信息工程学校",
    "市艺术学校",
    "市体育运动学校",
    "市第一幼儿园",
)
SECONDARY_GROUPS = (
    "高一年级",
    "高二年级",
    "高三年级",
    "初一年级",
    "初二年级",
    "初三年级",
    "语文组",
    "数学组",
    "英语组",
    "理化生组",
    "政史地组",
    "体艺组",
    "行政后勤",
)
PRIMARY_GROUPS = ("低年级组", "中年级组", "高年级组", "语文组", "数学组", "综合组", "行政后勤")
VOCATIONAL_GROUPS = ("机电专业部", "商贸专业部", "信息技术专业部", "公共基础部", "行政后勤")
OFFICES = ("市教育局机关", "市教育局教学研究室")

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 31 -> 三十一 (1 to 99)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    head = "十" if tens == 1 else DIGITS[tens] + "十"
    return head + (DIGITS[ones] if ones else "")


def district_name(n: int) -> str:
    """第一协作区 ... 第九协作区."""
    return f"第{chinese_number(n)}协作区"


def person_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    """One name per person: a surname and one or two given characters."""
    count = len(female)
    ranks = np.arange(1, len(SURNAMES) + 1)
    weights = 1.0 / ranks**0.9
    surnames = np.array(list(SURNAMES))[
        rng.choice(len(SURNAMES), size=count, p=weights / weights.sum())
    ]
    female_pool = np.array(list(GIVEN_FEMALE + GIVEN_BOTH))
    male_pool = np.array(list(GIVEN_MALE + GIVEN_BOTH))
    first = np.where(
        female,
        female_pool[rng.integers(0, len(female_pool), count)],
        male_pool[rng.integers(0, len(male_pool), count)],
    )
    second = np.where(
        female,
        female_pool[rng.integers(0, len(female_pool), count)],
        male_pool[rng.integers(0, len(male_pool), count)],
    )
    two = rng.random(count) < 0.7
    given = np.where(two, np.char.add(first, second), first)
    return np.char.add(surnames, given).astype(object)


def school_names(rng: np.random.Generator, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (name, level) pairs; level is secondary, primary or vocational."""
    numbers = rng.permutation(np.arange(1, 80))
    roads = rng.permutation(np.array(ROADS))
    specials = list(rng.permutation(np.array(SPECIAL_SCHOOLS)))
    names: list[tuple[str, str]] = []
    road_index = 0
    number_index = 0
    while len(names) < count:
        pick = len(names) % 9
        if pick in (0, 2, 4, 6):
            n = int(numbers[number_index])
            number_index += 1
            names.append((f"市第{chinese_number(n)}中学", "secondary"))
        elif pick in (1, 3, 5, 7) and road_index < len(roads):
            road = str(roads[road_index])
            road_index += 1
            suffix = "第一小学" if road_index % 5 == 0 else "小学"
            names.append((f"{road}{suffix}", "primary"))
        elif specials:
            name = str(specials.pop())
            level = (
                "vocational"
                if any(w in name for w in ("职业", "工业", "财贸", "工程", "艺术", "体育"))
                else ("primary" if ("小学" in name or "幼儿园" in name) else "secondary")
            )
            names.append((name, level))
        else:
            n = int(numbers[number_index])
            number_index += 1
            names.append((f"市第{chinese_number(n)}高级中学", "secondary"))
    order = rng.permutation(count)
    return [names[i] for i in order]


def branch_groups(rng: np.random.Generator, level: str, count: int) -> list[str]:
    """The groups a school's ``count`` branches are built on (学科组, 年级组 ...)."""
    pool = {
        "secondary": SECONDARY_GROUPS,
        "primary": PRIMARY_GROUPS,
        "vocational": VOCATIONAL_GROUPS,
    }[level]
    if count == 0:
        return []
    if rng.random() < 0.25:
        return [f"第{chinese_number(i + 1)}" for i in range(count)]
    chosen = rng.choice(len(pool), size=min(count, len(pool)), replace=False)
    groups = [pool[i] for i in sorted(chosen)]
    if count >= 4 and rng.random() < 0.5:
        groups[-1] = "退休教师"
    return groups


def communities(rng: np.random.Generator, per_district: int, districts: int) -> list[str]:
    """Distinct community names, ``per_district`` for each district, in district order."""
    stems = [r for r in ROADS if len(r) >= 2]
    extra = ("大石桥", "建新", "兴华", "幸福", "和平", "团结", "光明", "曙光", "朝阳", "青年")
    names = [f"{stem}社区" for stem in (*stems, *extra)]
    order = rng.permutation(len(names))
    needed = per_district * districts
    if needed > len(names):
        raise ValueError("not enough community names")
    return [names[i] for i in order[:needed]]
