"""The dashboard's words, in Chinese and English: every label a page or a chart shows,
by key (``i18n.t`` looks them up).

A metric's name is not written here: ``{metric:<key>}`` stands for the name the metric
catalog (``kernel.catalog``, the marts' yml) gives it in each language, and
``metric(key)`` is an entry that is just that name. Type names (person, organization
and activity types) come from the seeds (``i18n`` reads them). What stays here is
wording of the dashboard's own: axis titles, short table headers, sentences.
"""

from __future__ import annotations

from kernel.seeds import UNKNOWN_DISTRICT


def metric(key: str) -> dict[str, str]:
    """An entry that is the catalog's name of metric ``key``, in every language."""
    marker = "{metric:" + key + "}"
    return {"zh": marker, "en": marker}


TEXTS: dict[str, dict[str, str]] = {
    # the app and its navigation; sections group pages as more of them arrive
    "app.title": {"zh": "志愿服务数据看板", "en": "Volunteer activity dashboard"},
    "nav.section.overview": {"zh": "总览", "en": "Overview"},
    "nav.overview": {"zh": "总览", "en": "Overview"},
    # the overview page
    "overview.title": {"zh": "志愿服务总览", "en": "Volunteer activity overview"},
    "overview.scope": {
        "zh": "统计期间：{period}　区域：{districts}",
        "en": "Period: {period}   Districts: {districts}",
    },
    "overview.participation_detail": {
        "zh": "{metric:participation_rate}：在册 {roster} 人中 {active} 人在期间内参加过活动",
        "en": "Participation: {active} of {roster} roster members took part in the period",
    },
    "overview.pending": {
        "zh": "另有 {pending} 条待审核记录，未计入以上数字",
        "en": "{pending} pending sessions are not counted in these figures",
    },
    "overview.snapshot": {
        "zh": "数据截至 {as_of}（快照 {digest}，生成于 {built_at}）",
        "en": "Data as of {as_of} (snapshot {digest}, built {built_at})",
    },
    "overview.no_data": {
        "zh": "当前快照中还没有已认定的活动记录。",
        "en": "The current snapshot holds no approved sessions yet.",
    },
    # the tiles
    "kpi.total_hours": metric("total_hours"),
    "kpi.total_hours.help": {
        "zh": "已认定记录的时长之和（分钟 ÷ 60），已去除完全重复的记录",
        "en": "Sum of approved session minutes ÷ 60, exact duplicates removed",
    },
    "kpi.person_times": metric("person_times"),
    "kpi.person_times.help": {
        "zh": "已认定的活动记录条数（一人参加一次活动为一人次）",
        "en": "Number of approved sessions (one person at one activity)",
    },
    "kpi.volunteers": metric("volunteers"),
    "kpi.volunteers.help": {
        "zh": "期间内在所选区域有已认定记录的不同人数（按人去重，不是各月相加）",
        "en": "Distinct people with an approved session in the selected districts "
        "in the period (not a sum of monthly counts)",
    },
    "kpi.participation": metric("participation_rate"),
    "kpi.participation.help": {
        "zh": "所选区域期间内在册人员中，期间内任何地方有已认定记录的比例",
        "en": "Share of the selected districts' roster members in the period "
        "with an approved session anywhere in it",
    },
    "kpi.events_held": metric("events_held"),
    "kpi.events_held.help": {
        "zh": "活动记录中的活动（同一单位、日期、类型和名称为一场）与活动汇总表中的活动之和；"
        "不分人员类别，选择人员类别时不显示",
        "en": "Activities in the logs (one per unit, date, type and title) plus the "
        "activities of event summaries; they have no person type, so they are not shown "
        "when person types are chosen",
    },
    # event summaries (活动汇总): their own figures, never added into the person-level ones
    "events.summaries": {
        "zh": "另据活动汇总表：开展活动{events}场次，参与{person_times}人次，服务时长{hours}小时",
        "en": "Also from event summaries: {events} activities, {person_times} person-times, "
        "{hours} hours",
    },
    "events.summaries_by_person_type": {
        "zh": "另据活动汇总表：—（活动汇总表不分人员类别，选择人员类别时不显示）",
        "en": "Also from event summaries: — (summaries have no person type, so they are "
        "not shown when person types are chosen)",
    },
    "events.person_type_note": {
        "zh": "活动场次和活动汇总表的数字不分人员类别，选择人员类别时显示为 —。",
        "en": "Activities held and the event-summary figures have no person type: they "
        "show as — when person types are chosen.",
    },
    # units
    "unit.hours": {"zh": "{value} 小时", "en": "{value} h"},
    "unit.hours_axis": {"zh": "时长（小时）", "en": "Hours"},
    "unit.people_axis": {"zh": "人数 / {metric:person_times}", "en": "People / person-times"},
    # the sidebar filters
    "filters.title": {"zh": "筛选", "en": "Filters"},
    "filters.months": {"zh": "统计月份", "en": "Months"},
    "filters.single_month": {"zh": "统计月份：{month}", "en": "Month: {month}"},
    "filters.districts": {"zh": "区域", "en": "Districts"},
    "filters.districts.placeholder": {"zh": "全部区域", "en": "All districts"},
    "filters.all_districts": {"zh": "全部区域", "en": "All districts"},
    "filters.list_separator": {"zh": "、", "en": ", "},
    "filters.organizations": {"zh": "单位", "en": "Organizations"},
    "filters.person_types": {"zh": "人员类别", "en": "Person types"},
    "filters.categories": {"zh": "活动类别", "en": "Activity categories"},
    "filters.all": {"zh": "全部", "en": "All"},
    "filters.org_option": {"zh": "{name}（{code}）", "en": "{name} ({code})"},
    "filters.describe.period": {"zh": "统计期间：{period}", "en": "Period: {period}"},
    "filters.describe.districts": {"zh": "区域：{value}", "en": "Districts: {value}"},
    "filters.describe.organizations": {"zh": "单位：{value}", "en": "Organizations: {value}"},
    "filters.describe.person_types": {"zh": "人员类别：{value}", "en": "Person types: {value}"},
    "filters.describe.categories": {"zh": "活动类别：{value}", "en": "Categories: {value}"},
    "filters.describe.joiner": {"zh": "　", "en": "   "},
    # a link's values the view could not use (dashboard/link_notes.py)
    "filters.ignored.reversed": {
        "zh": "链接中的统计期间起止颠倒（from={first}，to={last}），已按 {used} 显示。",
        "en": "The link's period was reversed (from={first}, to={last}): shown as {used}.",
    },
    "filters.ignored.month": {
        "zh": "链接参数 {param} 的值 {value} 不是有数据的月份，已忽略；改用统计期间：{used}。",
        "en": "The link's {param} value {value} is not a month with data and was ignored; "
        "period used instead: {used}.",
    },
    "filters.ignored.unknown": {
        "zh": "链接参数 {param} 的值 {value} 不在数据或您的查看范围内，已忽略；改用：{used}。",
        "en": "The link's {param} value {value} is not in the data or in your view and was "
        "ignored; used instead: {used}.",
    },
    "filters.ignored.language": {
        "zh": "链接参数 lang 的值 {value} 不是看板的语言，已忽略；改用：{used}。",
        "en": "The link's lang value {value} is not a language of the dashboard and was "
        "ignored; used instead: {used}.",
    },
    "filters.ignored.more": {"zh": "等另外 {count} 个", "en": "and {count} more"},
    "language.label": {"zh": "语言 / Language", "en": "语言 / Language"},
    "language.zh": {"zh": "中文", "en": "中文"},
    "language.en": {"zh": "English", "en": "English"},
    # person types off the roster (the others: seeds/person_types.csv)
    "person_type.unknown": {"zh": "未在花名册", "en": "Not on the roster"},
    "org.unknown": {"zh": "未知单位", "en": "Unknown organization"},
    # charts
    "chart.monthly.title": {"zh": "月度趋势", "en": "Monthly trend"},
    "chart.monthly.hours": {"zh": "时长（小时）", "en": "Hours"},
    "chart.monthly.person_times": metric("person_times"),
    "chart.monthly.volunteers": metric("volunteers"),
    "chart.month_axis": {"zh": "月份", "en": "Month"},
    "chart.by_district.title": {"zh": "各区域服务时长", "en": "Hours by district"},
    "chart.by_category.title": {"zh": "各活动类别时长", "en": "Hours by activity category"},
    "chart.no_data": {"zh": "所选范围内没有数据", "en": "No data in the selected range"},
    # activity categories (dim_activity_types.activity_category)
    "category.volunteer_service": {"zh": "志愿服务", "en": "Volunteer service"},
    "category.organizational_life": {"zh": "组织生活", "en": "Organizational life"},
    "category.study_training": {"zh": "学习培训", "en": "Study and training"},
    "category.other": {"zh": "其他", "en": "Other"},
    # the `unknown` district collects organizations that cannot be placed
    "district.unknown": dict(UNKNOWN_DISTRICT),
    # when there is nothing to read
    "snapshot.missing": {
        "zh": "还没有发布的数据快照。请先导入数据并运行 `make build`，然后刷新本页。",
        "en": "No data snapshot has been published yet. Load data and run `make build`, "
        "then reload this page.",
    },
    "value.empty": {"zh": "—", "en": "—"},
    # navigation sections and pages
    "nav.section.analysis": {"zh": "分析", "en": "Analysis"},
    "nav.section.data": {"zh": "数据", "en": "Data"},
    "nav.section.exports": {"zh": "导出", "en": "Exports"},
    "nav.districts": {"zh": "区域", "en": "Districts"},
    "nav.units": {"zh": "单位", "en": "Units"},
    "nav.people": {"zh": "人员", "en": "People"},
    "nav.activities": {"zh": "活动", "en": "Activities"},
    "nav.data_quality": {"zh": "数据质量", "en": "Data quality"},
    "nav.exports": {"zh": "导出", "en": "Exports"},
    # signing in (dashboard/auth.py): who reads decides what every query may see
    "auth.sign_in": {"zh": "登录", "en": "Sign in"},
    "auth.sign_out": {"zh": "退出登录", "en": "Sign out"},
    "auth.username": {"zh": "用户名", "en": "User name"},
    "auth.password": {"zh": "密码", "en": "Password"},
    "auth.wrong": {
        "zh": "用户名或密码不正确。",
        "en": "The user name or the password is not right.",
    },
    "auth.too_many": {
        "zh": "登录失败次数过多，请 {seconds} 秒后再试。",
        "en": "Too many failed sign-ins: try again in {seconds} seconds.",
    },
    "auth.signed_in_as": {"zh": "当前用户：{name}", "en": "Signed in as {name}"},
    "auth.open_demo": {
        "zh": "开放演示模式（DASHBOARD_OPEN=1）：未配置用户文件，所有人可查看全部数据"
        "（make user 添加用户）。",
        "en": "Open demo mode (DASHBOARD_OPEN=1): no users file, so everyone sees everything "
        "(add users with make user).",
    },
    "auth.not_configured": {
        "zh": "看板未配置登录，因此不显示任何数据。管理员请用 `make user NAME=… ROLE=…` "
        "添加用户（写入 {path}），或配置统一身份认证；仅演示数据可用 `DASHBOARD_OPEN=1` "
        "开放查看（make run 即如此）。",
        "en": "No sign-in is configured, so the dashboard shows nothing. An administrator "
        "adds users with `make user NAME=… ROLE=…` (they go to {path}) or configures "
        "OIDC; for demo data only, `DASHBOARD_OPEN=1` opens it to everyone (as make run "
        "does).",
    },
    "auth.users_file_missing": {
        "zh": "找不到用户文件 {path}（DASHBOARD_USERS 所指），暂时无法登录。"
        "请更正 DASHBOARD_USERS，或用 `make user` 添加用户。",
        "en": "The users file {path} (named by DASHBOARD_USERS) does not exist, so nobody "
        "can sign in. Correct DASHBOARD_USERS, or add users with `make user`.",
    },
    "auth.users_file_unreadable": {
        "zh": "无法读取用户文件 {path}，暂时无法登录。请让运行看板的账号可以读取它。",
        "en": "The users file {path} cannot be read, so nobody can sign in. Let the "
        "account that runs the dashboard read it.",
    },
    "auth.oidc_prompt": {
        "zh": "请通过单位统一身份认证登录后查看数据。",
        "en": "Sign in with your organization's account to see the data.",
    },
    "auth.not_authorised": {
        "zh": "账号 {email} 未获授权，请联系管理员将其加入用户文件。",
        "en": "{email} is not authorised: ask the administrator to add it to the users file.",
    },
    "auth.users_file_error": {
        "zh": "用户文件有误，暂时无法登录：{error}",
        "en": "The users file cannot be used, so nobody can sign in: {error}",
    },
    # the exports page (dashboard/pages/exports.py; the files are export/'s)
    "exports.title": {"zh": "导出报表", "en": "Exports"},
    "exports.intro": {
        "zh": "与 `make export` 相同的文件，按当前所选统计期间、区域和单位生成：",
        "en": "The same files as `make export`, for the period, districts and units chosen:",
    },
    "exports.prepare": {"zh": "生成文件", "en": "Prepare the files"},
    "exports.filters_note": {
        "zh": "导出表格按区域和单位统计全部人员和活动类别；人员类别和活动类别筛选不适用。",
        "en": "The exported tables count every person type and activity category per "
        "district and unit; those two filters do not apply.",
    },
    "exports.suppress": {"zh": "小格抑制", "en": "Small-cell suppression"},
    "exports.suppress.help": {
        "zh": "人数少于 k 的格子显示为 *，并隐藏可据合计推算出它的格子。",
        "en": "Counts of fewer than k people show as *, with the cells that would reveal "
        "them through a total.",
    },
    "exports.suppress.default": {
        "zh": "默认：单位表 5 人以下隐藏，区域表完整",
        "en": "Default: units below 5 people hidden, districts complete",
    },
    "exports.suppress.off": {"zh": "不隐藏", "en": "Nothing hidden"},
    "exports.suppress.k": {
        "zh": "所有表格 {k} 人以下隐藏",
        "en": "Below {k} people hidden in every table",
    },
    "exports.file.district_monthly": {
        "zh": "区域月度统计 CSV",
        "en": "District monthly CSV",
    },
    "exports.file.organization_monthly": {
        "zh": "单位月度统计 CSV",
        "en": "Unit monthly CSV",
    },
    "exports.file.workbook": {"zh": "统计工作簿 Excel", "en": "Statistics workbook (Excel)"},
    "exports.file.manifest": {"zh": "清单 manifest.json", "en": "Manifest (manifest.json)"},
    "exports.file.zip": {"zh": "全部文件（ZIP）", "en": "Everything (ZIP)"},
    "exports.report.district": {"zh": "区域月报 PDF", "en": "District report (PDF)"},
    "exports.report.download": {"zh": "下载 {name} 月报", "en": "Download the {name} report"},
    "exports.no_districts": {
        "zh": "所选范围内没有区域。",
        "en": "No district in the selection.",
    },
    "exports.error": {
        "zh": "无法生成导出文件：{message}",
        "en": "Cannot build the export: {message}",
    },
    "exports.no_activity": {
        "zh": "{months}在当前快照中还没有任何已认定的活动记录，这些月份的数字均为 0；"
        "导入这些月份的活动数据并重新构建后，数字会相应变化。文件中也注明了这一点。",
        "en": "The snapshot holds no approved activity for {months} yet, so their figures "
        "are zeros until activity for them is loaded; the files say so too.",
    },
    # shared page pieces
    "note.as_of": {
        "zh": "数据截至 {as_of}（快照 {digest}，生成于 {built_at}）",
        "en": "Data as of {as_of} (snapshot {digest}, built {built_at})",
    },
    "page.no_data": {
        "zh": "当前快照中还没有已认定的活动记录。",
        "en": "The current snapshot holds no approved sessions yet.",
    },
    "page.no_units": {
        "zh": "所选范围内没有区域。",
        "en": "No district in the selection.",
    },
    # overview
    "overview.compared_with": {
        "zh": "变化：与上一期（{period}）相比",
        "en": "Change: against the previous period ({period})",
    },
    "overview.top": {"zh": "时长最多的 {count} 个区域", "en": "Top {count} districts by hours"},
    "overview.bottom": {
        "zh": "时长最少的 {count} 个区域",
        "en": "Bottom {count} districts by hours",
    },
    "change.points": {"zh": "{value} 个百分点", "en": "{value} pts"},
    # metrics (rankings, heatmaps): names from the catalog; a share's axis is in percent
    "unit.share_axis": {"zh": "{metric}（%）", "en": "{metric} (%)"},
    # districts
    "districts.title": {"zh": "区域对比", "en": "Districts compared"},
    "districts.metric": {"zh": "排名指标", "en": "Rank on"},
    "districts.heatmap_metric": {"zh": "热力图指标", "en": "Heatmap of"},
    "districts.yoy_caption": {
        "zh": "本期 {period} 与去年同期 {last_year} 对比",
        "en": "This period {period} against the same months last year {last_year}",
    },
    # units
    "units.title": {"zh": "单位详情", "en": "Units"},
    "units.district": {"zh": "区域", "en": "District"},
    "units.top_level": {
        "zh": "学校与机关（含下属支部）",
        "en": "Schools and offices (with their branches)",
    },
    "units.school": {"zh": "查看下属支部", "en": "Branches of"},
    "units.branches": {"zh": "{school} 的下属支部", "en": "Branches of {school}"},
    "units.activity": {"zh": "组织生活", "en": "Requirement"},
    "compliance.met": {"zh": "达标", "en": "Met"},
    "compliance.missed": {"zh": "未达标", "en": "Missed"},
    "compliance.in_progress": {"zh": "进行中", "en": "In progress"},
    "quota.member_community_report": {
        "zh": "党员双报到 50 小时",
        "en": "Members: 50 h report-and-serve",
    },
    "quota.probationary_community_report": {
        "zh": "预备党员双报到 50 小时",
        "en": "Probationary: 50 h report-and-serve",
    },
    "quota.staff_volunteer_service": {"zh": "教职工志愿服务 20 小时", "en": "Staff: 20 h service"},
    "quota.student_volunteer_service": {
        "zh": "学生志愿服务 20 小时",
        "en": "Students: 20 h service",
    },
    "quota.applicant_training": {"zh": "积极分子集中培训 1 次", "en": "Applicants: 1 training"},
    # people
    "people.title": {"zh": "人员", "en": "People"},
    "people.volunteers": metric("volunteers"),
    "people.volunteers.help": {
        "zh": "期间内有已认定记录的不同人数（上一期：{period}）",
        "en": "Distinct people with an approved session in the period (previous: {period})",
    },
    "people.new": {"zh": "新增志愿者", "en": "New volunteers"},
    "people.new.help": {
        "zh": "第一次已认定记录落在本期的人数（上一期：{period}）",
        "en": "People whose first approved session ever is in the period (previous: {period})",
    },
    "people.retained": {"zh": "持续参与", "en": "Retained volunteers"},
    "people.retained.help": {
        "zh": "本期志愿者中上一期（{period}）也是志愿者的人数",
        "en": "Volunteers of the period who were volunteers in the previous one ({period}) too",
    },
    "people.previous": {"zh": "上一期志愿者", "en": "Previous period's volunteers"},
    "people.previous.help": {
        "zh": "上一期（{period}）在相同筛选下的{metric:volunteers}",
        "en": "Volunteers of the previous period ({period}) under the same filters",
    },
    "people.leaderboard": {"zh": "服务时长前 {count} 名", "en": "Top {count} by hours"},
    "people.show_students": {"zh": "显示学生姓名", "en": "Show students' names"},
    "people.hidden_student": {"zh": "学生（姓名已隐藏）", "en": "Student (name hidden)"},
    "people.pick": {"zh": "查看个人记录", "en": "Show the history of"},
    "people.pick_placeholder": {"zh": "选择一位志愿者", "en": "Pick a volunteer"},
    "people.pick_option": {"zh": "第 {rank} 名　{name}", "en": "#{rank} {name}"},
    "people.history_total": {
        "zh": "{name}：累计 {hours} 小时，{sessions} 人次（全部月份）",
        "en": "{name}: {hours} h over {sessions} sessions (all months)",
    },
    # activities
    "activities.title": {"zh": "活动", "en": "Activities"},
    "activities.by_type": {"zh": "各活动类型", "en": "By activity type"},
    "activities.communities": {
        "zh": "双报到服务社区",
        "en": "Communities served (report-and-serve)",
    },
    "activities.no_communities": {
        "zh": "所选范围内没有填写报到社区的记录。",
        "en": "No session in the selection names a community.",
    },
    # tables
    "table.district": {"zh": "区域", "en": "District"},
    "table.unit": {"zh": "单位", "en": "Unit"},
    "table.units": {"zh": "单位数", "en": "Units"},
    "table.org_type": {"zh": "类型", "en": "Type"},
    "table.hours": {"zh": "时长（小时）", "en": "Hours"},
    "table.person_times": metric("person_times"),
    "table.volunteers": metric("volunteers"),
    "table.participation": {"zh": "{metric:participation_rate}", "en": "Participation"},
    "table.events_held": metric("events_held"),
    "table.reported_person_times": {
        "zh": "另据活动汇总表：参与人次",
        "en": "Also from event summaries: person-times",
    },
    "table.reported_hours": {
        "zh": "另据活动汇总表：服务时长（小时）",
        "en": "Also from event summaries: hours",
    },
    "table.rank": {"zh": "名次", "en": "Rank"},
    "table.name": {"zh": "姓名", "en": "Name"},
    "table.person_type": {"zh": "人员类别", "en": "Person type"},
    "table.activity_type": {"zh": "活动类型", "en": "Activity type"},
    "table.category": {"zh": "活动类别", "en": "Category"},
    "table.community": {"zh": "社区", "en": "Community"},
    "table.empty": {
        "zh": "所选范围内没有可列出的内容。",
        "en": "Nothing to list in the selection.",
    },
    # a long table on paper (layout.table)
    "print.all": {"zh": "打印版：打印完整列表", "en": "Print version: every row"},
    "print.cut": {
        "zh": "本表共 {total} 行，此处打印前 {shown} 行；"
        "打开侧栏的“打印版：打印完整列表”后再打印可得全表。",
        "en": "This table has {total} rows; the first {shown} are printed. Turn on "
        "“Print version: every row” in the sidebar and print again for all of them.",
    },
    # charts
    "chart.ranking.title": {"zh": "各区域{metric}排名", "en": "Districts ranked by {metric}"},
    "chart.heatmap.title": {"zh": "各区域逐月{metric}", "en": "{metric} by district and month"},
    "chart.yoy.title": {
        "zh": "{metric:total_hours}：本期与去年同期",
        "en": "{metric:total_hours}: this period against last year",
    },
    "chart.yoy.this_period": {"zh": "本期", "en": "This period"},
    "chart.yoy.last_year": {"zh": "去年同期", "en": "Same months last year"},
    "chart.participation.title": {
        "zh": "参与情况：{metric:roster_size}与{metric:active_members}",
        "en": "Participation: roster against active members",
    },
    "chart.participation.roster": {"zh": "{metric:roster_size}", "en": "On the roster"},
    "chart.participation.active": metric("active_members"),
    "chart.compliance.title": {"zh": "{activity}落实情况", "en": "{activity}: compliance"},
    "chart.period_axis": {"zh": "月份 / 季度", "en": "Month / quarter"},
    "chart.quota.title": {"zh": "年度指标完成率", "en": "Yearly quota attainment"},
    "chart.quota.row": {"zh": "{district} {year} {quota}", "en": "{district} {year} {quota}"},
    "chart.quota.label": {
        "zh": "{rate}（{met}/{total} 人）",
        "en": "{rate} ({met} of {total})",
    },
    "chart.distribution.title": {"zh": "志愿者服务时长分布", "en": "Hours per volunteer"},
    "chart.distribution.axis": {"zh": "期间内服务时长（小时）", "en": "Hours in the period"},
    "chart.distribution.bin": {"zh": "{lower}–{upper} 小时", "en": "{lower}–{upper} h"},
    "chart.distribution.open_bin": {"zh": "{lower} 小时以上", "en": "{lower} h and more"},
    "chart.person_history.title": {"zh": "个人逐月服务时长", "en": "Monthly hours of one person"},
    "chart.category_trend.title": {
        "zh": "各活动类别逐月时长",
        "en": "Hours by activity category and month",
    },
    "chart.type_trend.title": {
        "zh": "各活动类型逐月时长",
        "en": "Hours by activity type and month",
    },
    "chart.communities.title": {
        "zh": "双报到社区服务时长",
        "en": "Hours per community (report-and-serve)",
    },
    "chart.rejects.title": {"zh": "拒收行数（按原因）", "en": "Rejected rows by reason"},
    "unit.people_count_axis": {"zh": "人数", "en": "People"},
    "unit.percent_axis": {"zh": "完成率（%）", "en": "Attainment (%)"},
    "unit.rows_axis": {"zh": "行数", "en": "Rows"},
    "period.quarter": {"zh": "{year}年第{quarter}季度", "en": "Q{quarter} {year}"},
    # data quality
    "dq.title": {"zh": "数据质量", "en": "Data quality"},
    "dq.none": {"zh": "没有需要处理的问题。", "en": "Nothing to fix."},
    "dq.tile.files": {"zh": "已加载文件", "en": "Files loaded"},
    "dq.tile.rows_rejected": {"zh": "拒收行数", "en": "Rows rejected"},
    "dq.tile.unmapped": {"zh": "未匹配的活动名称", "en": "Unmapped labels"},
    "dq.tile.unknown_orgs": {"zh": "未知单位", "en": "Unknown organizations"},
    "dq.tile.pending": {"zh": "待审核记录", "en": "Pending sessions"},
    "dq.tile.missing_from_roster": {"zh": "不在花名册的记录", "en": "Sessions off the roster"},
    # which tiles and lists follow the filters (dashboard/pages/data_quality.py)
    "dq.bureau_wide": {
        "zh": "以下四项为全市全部已加载文件的数字，不随统计期间、区域和单位筛选变化",
        "en": "These four are bureau-wide, over every file loaded, whatever the period, "
        "districts and organizations chosen",
    },
    "dq.filtered": {
        "zh": "以下两项随筛选变化（{filters}）；人员类别、活动类别不适用",
        "en": "These two follow the filters ({filters}); person types and activity "
        "categories do not apply",
    },
    "dq.list_bureau_wide": {"zh": "（全市，不随筛选变化）", "en": " (bureau-wide, not filtered)"},
    "dq.bureau_only": {
        "zh": "文件级的数据质量（加载、拒收、重复、未匹配名称、未知单位）只对全市用户显示。",
        "en": "File-level data quality (loads, rejects, duplicates, unmapped labels, unknown "
        "organizations) is shown to bureau-wide readers only.",
    },
    "dq.section.returns": {"zh": "退回清单", "en": "Returns to senders"},
    "dq.section.returns.help": {
        "zh": "每个需要修改的文件一份工作簿：退回的行及修改方法、未保留的重复记录、未知单位、"
        "未识别的活动类型和审核状态；发给报送单位，改正后以相同文件名重新发送",
        "en": "One workbook per file with something to fix: its rejected rows and how to "
        "fix them, copies not kept, unknown organizations, unmapped labels and status "
        "words; send it to the file's sender, who sends the file again under the same name",
    },
    "dq.returns.file": {"zh": "文件", "en": "File"},
    "dq.returns.download": {"zh": "下载退回清单", "en": "Download the return"},
    "dq.returns.none": {
        "zh": "没有需要退回的文件。",
        "en": "No file has anything to send back.",
    },
    "dq.section.freshness": {"zh": "数据新鲜度", "en": "How fresh each source is"},
    "dq.section.freshness.help": {
        "zh": "每类数据有效文件的数量和最近一次加载时间（UTC）",
        "en": "Files in effect per kind of source and when the newest was loaded (UTC)",
    },
    "dq.section.file_loads": {"zh": "各文件加载情况", "en": "Loads per file"},
    "dq.section.file_loads.help": {
        "zh": "每次加载：读取行数 = 加载行数 + 拒收行数；被同名更正文件替换的标为已替换，"
        "撤回的标为已撤回",
        "en": "Every load: rows read = loaded + rejected; a file replaced by a corrected "
        "one of the same name is marked superseded, one taken back withdrawn",
    },
    "dq.section.rejects": {"zh": "拒收原因及示例", "en": "Rejects by reason, with examples"},
    "dq.section.rejects.help": {
        "zh": "示例中的身份证号、手机号已打码；修改文件后重新加载即可",
        "en": "ID and phone numbers in the examples are masked; fix the file and load it again",
    },
    "dq.section.duplicates": {"zh": "完全重复的记录", "en": "Exact duplicates"},
    "dq.section.duplicates.help": {
        "zh": "完全相同的记录只保留一条，其余不计入任何数字",
        "en": "Of identical rows one is kept; the others count in no figure",
    },
    "dq.section.unmapped_labels": {"zh": "未匹配的活动名称", "en": "Unmapped activity labels"},
    "dq.section.unmapped_labels.help": {
        "zh": "这些名称归入“其他”类；在 seeds/activity_types.csv 中添加别名后重新构建",
        "en": "These count as `other`; add an alias in seeds/activity_types.csv and rebuild",
    },
    "dq.section.unknown_organizations": {"zh": "未知单位", "en": "Unknown organizations"},
    "dq.section.unknown_organizations.help": {
        "zh": "记录归入“未归属区域”，时长不会丢失；请补充组织信息或更正编码",
        "en": "Their hours count under `Unassigned`; add the organization or fix the code",
    },
    "dq.section.missing_from_roster": {
        "zh": "不在花名册中的人员",
        "en": "People missing from the roster",
    },
    "dq.section.missing_from_roster.help": {
        "zh": "这些人的记录已计入时长和{metric:person_times}，但不计入{metric:participation_rate}",
        "en": "Their sessions count in hours and person-times but not in participation",
    },
    "dq.section.pending": {"zh": "待审核记录", "en": "Pending sessions"},
    "dq.section.pending.help": {
        "zh": "未认定的记录不计入任何数字；无法识别的状态词按待审核处理",
        "en": "Sessions not approved count in no figure; an unknown status word counts as pending",
    },
    "dq.col.kind": {"zh": "数据类型", "en": "Kind"},
    "dq.col.files": {"zh": "文件数", "en": "Files"},
    "dq.col.last_loaded_at": {"zh": "最近加载", "en": "Last loaded"},
    "dq.col.file": {"zh": "文件", "en": "File"},
    "dq.col.loaded_at": {"zh": "加载时间", "en": "Loaded at"},
    "dq.col.rows_read": {"zh": "读取行数", "en": "Rows read"},
    "dq.col.rows_loaded": {"zh": "加载行数", "en": "Rows loaded"},
    "dq.col.rows_rejected": {"zh": "拒收行数", "en": "Rows rejected"},
    "dq.col.load_status": {"zh": "状态", "en": "Status"},
    "dq.col.reason": {"zh": "原因", "en": "Reason"},
    "dq.col.rows": {"zh": "行数", "en": "Rows"},
    "dq.col.lines": {"zh": "示例行号", "en": "Example lines"},
    "dq.col.examples": {"zh": "示例说明", "en": "Examples"},
    # between two example messages, which hold commas and semicolons themselves
    "dq.examples_separator": {"zh": " ｜ ", "en": " | "},
    "dq.col.sessions_kept": {"zh": "保留记录", "en": "Sessions kept"},
    "dq.col.duplicates_removed": {"zh": "去除的重复", "en": "Duplicates removed"},
    "dq.col.label": {"zh": "活动名称", "en": "Label"},
    "dq.col.sessions": {"zh": "记录数", "en": "Sessions"},
    "dq.col.approved_hours": {"zh": "已认定时长（小时）", "en": "Approved hours"},
    "dq.col.hours": {"zh": "时长（小时）", "en": "Hours"},
    "dq.col.first_date": {"zh": "最早日期", "en": "First date"},
    "dq.col.last_date": {"zh": "最晚日期", "en": "Last date"},
    "dq.col.files_list": {"zh": "来源文件", "en": "Files"},
    "dq.col.org_code": {"zh": "单位编码", "en": "Organization code"},
    "dq.col.org_name": {"zh": "单位名称", "en": "Organization name"},
    "dq.col.why": {"zh": "问题", "en": "Problem"},
    "dq.col.month": {"zh": "月份", "en": "Month"},
    "dq.col.persons": {"zh": "人数", "en": "People"},
    "dq.col.names": {"zh": "姓名", "en": "Names"},
    "dq.col.status_word": {"zh": "状态词", "en": "Status word"},
    "dq.kind.activity": {"zh": "活动记录", "en": "Activity log"},
    "dq.kind.people": {"zh": "花名册", "en": "Roster"},
    "dq.kind.organizations": {"zh": "组织", "en": "Organizations"},
    "dq.kind.districts": {"zh": "区域", "en": "Districts"},
    "dq.kind.events": {"zh": "活动汇总", "en": "Event summaries"},
    "dq.kind.activity_types": {"zh": "活动类型", "en": "Activity types"},
    "dq.load_status.in_effect": {"zh": "有效", "en": "In effect"},
    "dq.load_status.superseded": {"zh": "已替换", "en": "Superseded"},
    "dq.load_status.withdrawn": {"zh": "已撤回", "en": "Withdrawn"},
    "dq.unknown_reason.code_not_found": {"zh": "编码不存在", "en": "Code not found"},
    "dq.unknown_reason.name_not_found": {"zh": "名称不存在", "en": "Name not found"},
    "dq.unknown_reason.name_ambiguous": {"zh": "名称对应多个单位", "en": "Name is ambiguous"},
}
