"""The words of the submissions page (报送情况), in Chinese and English, kept apart
from ``texts.py`` (``i18n`` reads both into one table)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "nav.submissions": {"zh": "报送情况", "en": "Submissions"},
    "submissions.title": {"zh": "报送情况", "en": "Submissions"},
    "submissions.status.reported": {"zh": "已报送", "en": "Reported"},
    "submissions.status.returned": {"zh": "有退回", "en": "Rows returned"},
    "submissions.status.missing": {"zh": "未报送", "en": "Not reported"},
    "submissions.status.break": {"zh": "假期", "en": "School break"},
    "submissions.last_complete": {
        "zh": "{month}（数据截止月份的上一个月）未报送的单位：{count} 个，排在最前。",
        "en": "Units that have not reported in {month} (the month before the data "
        "cut-off's month): {count}, listed first.",
    },
    "submissions.grid": {"zh": "各单位各月报送状态", "en": "Status by unit and month"},
    "submissions.grid.help": {
        "zh": "按活动日期所属月份统计，党支部计入所属学校。已报送：有记录且无拒收；"
        "有退回：有被拒收的行；未报送：没有任何行；假期：没有任何行且该月过半天数为寒暑假。",
        "en": "By the month of the activity date; a branch counts with its school. "
        "Reported: rows, none rejected; rows returned: some rows rejected; not reported: "
        "no rows; school break: no rows in a month that is mostly a school break.",
    },
    "submissions.counts": {"zh": "各单位各月行数", "en": "Rows by unit and month"},
    "submissions.counts.help": {
        "zh": "报送行数含待审核行与活动汇总行，按去重前计数；拒收行按原始单位编码（或名称）"
        "与原始日期的年月归入。加载时间为协调世界时（UTC）。",
        "en": "Rows loaded include pending rows and event-summary rows, counted before "
        "duplicates are removed; a rejected row is placed by its unit code (or name) and "
        "the year and month of its date as written. Load times are UTC.",
    },
    "submissions.col.district": {"zh": "区域", "en": "District"},
    "submissions.col.org_code": {"zh": "单位编码", "en": "Unit code"},
    "submissions.col.org_name": {"zh": "单位", "en": "Unit"},
    "submissions.col.month": {"zh": "月份", "en": "Month"},
    "submissions.col.rows_loaded": {"zh": "报送行数", "en": "Rows loaded"},
    "submissions.col.rows_rejected": {"zh": "拒收行数", "en": "Rows rejected"},
    "submissions.col.rows_pending": {"zh": "待审核行数", "en": "Rows pending"},
    "submissions.col.first_load_at": {"zh": "首次加载", "en": "First loaded"},
    "submissions.col.last_load_at": {"zh": "最近加载", "en": "Last loaded"},
    "submissions.col.status": {"zh": "状态", "en": "Status"},
    "submissions.unplaced": {
        "zh": "另有 {count} 行拒收记录读不出单位或月份，未归入任何单位（全局数字，见数据质量页）。",
        "en": "A further {count} rejected rows have no readable unit or month and are in "
        "no unit's row (bureau-wide; see the data quality page).",
    },
    "submissions.rebuild": {
        "zh": "当前快照由旧版本生成，没有报送情况；运行 make build 重新构建后即可查看。",
        "en": "The current snapshot was built by an older release and has no submission "
        "status; run make build to add it.",
    },
    "submissions.none": {
        "zh": "所选范围内没有学校或机关。",
        "en": "No school or office in the selection.",
    },
}
