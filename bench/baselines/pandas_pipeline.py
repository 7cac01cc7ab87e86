"""What a user would write instead: the inbox to ``district_monthly.csv`` in plain pandas.

The baseline the benchmark compares the pipeline with. It reads the same
inbox (activity logs, event summaries, rosters, organizations, districts; CSV in
UTF-8, GB18030 or UTF-16, and ``.xlsx``), applies DESIGN.md's validation (a row that
has any reject reason is dropped), its exact-duplicate rules, its attribution and
metric definitions, and writes ``district_monthly.csv`` as the export contract says.

It is written from DESIGN.md, not from the pipeline's code: the aliases below are
the contract's, and nothing is imported from ``ingest``, ``publish`` or ``export``,
so that equal outputs are evidence, not a tautology. The reference seeds
(``seeds/activity_types.csv``, ``seeds/organization_types.csv``) are read from the
repository, as the pipeline reads them. It is a fair baseline, not a straw man:
text is parsed once per distinct value (``pd.factorize``), files one at a time, and
only the columns a metric needs are kept after validation. It does not pseudonymize
(it writes no personal number anywhere) and it does not read mapping files, merged
two-row headers, legacy ``.xls`` or activity-types files from the inbox (labels are
matched to the seed's types): the demo inbox has none.

    python -m bench.baselines.pandas_pipeline --inbox DIR --out DIR [--from YYYY-MM --to YYYY-MM]
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import io
import logging
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd

LOG = logging.getLogger("pandas_baseline")
REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
# the district of what cannot be placed, by the name the exports give it (README)
UNKNOWN_DISTRICT = "未归属区域"

# DESIGN.md "Input kinds and canonical columns": canonical column -> its aliases.
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
    # 总时长 and 小时 are hours in every kind ("event summary")
    "hours": ("服务时长", "志愿时长", "时长", "小时数", "总时长", "小时", "hours", "duration"),
    "minutes": ("分钟", "minutes"),
    "activity_type": ("活动类型", "服务类别", "活动类别", "type", "category"),
    "activity_title": ("活动名称", "活动主题", "活动内容", "title"),
    "location": ("地点", "服务地点", "活动地点"),
    "community": ("报到社区", "服务社区"),
    "status": ("状态", "审核状态", "认定状态", "status"),
    # event summaries: a headcount, hours per participant, year + month without a date
    "participants": ("参与人数", "人数", "志愿者人数", "headcount"),
    "hours_each": ("人均时长", "每人时长"),
    "year": ("年份",),
    "month": ("月份",),
    "person_type": ("人员类别", "人员类型"),
    "role": ("职务", "岗位"),
    "gender": ("性别",),
    "joined_date": ("加入日期", "入职日期"),
    "left_date": ("离开日期", "调离日期"),
    "effective_date": ("生效日期", "统计日期", "截至日期", "名册日期", "as_of_date"),
    "org_type": ("组织类型",),
    "parent_org_code": ("上级组织编码", "上级编码"),
    "district_code": ("区域编码", "协作区编码", "学区编码"),
    "district_name": ("区域名称", "协作区", "学区"),
    "district_type": ("区域类型",),
    "is_demonstration_site": ("示范点", "是否示范点"),
}
# An event summary: a headcount column and no column that names a person.
PERSON_COLUMNS = {"person_id", "id_number", "phone"}
# Otherwise a file is of a kind when its headers hold every column of one of its signatures.
SIGNATURES: dict[str, tuple[set[str], ...]] = {
    "activity": ({"activity_date", "activity_type"},),
    "people": (
        {"person_id", "person_type"},
        {"person_id", "role"},
        {"person_id", "joined_date"},
        {"person_id", "gender"},
    ),
    "organizations": (
        {"org_code", "org_type"},
        {"org_code", "parent_org_code"},
        {"org_code", "district_code"},
    ),
    "districts": ({"district_code", "district_name"},),
}
MINUTE_UNITS = {"分钟", "min", "mins", "minute", "minutes"}
STATUS = {
    **{w: "approved" for w in ("已认定", "已审核", "通过", "approved", "confirmed")},
    **{w: "pending" for w in ("待审核", "待认定", "pending")},
    **{w: "rejected" for w in ("驳回", "未通过", "rejected", "declined")},
}
TOTAL_WORD = re.compile(
    r"^(?:合\s*计|总\s*计|小\s*计|共\s*计|合\s*計|總\s*計|小\s*計|共\s*計"
    r"|total|sub\s*-?\s*total|grand\s*total|sum)\s*:?$",
    re.IGNORECASE,
)
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx"}
HEADER_SEARCH = 20
EARLIEST = dt.date(2000, 1, 1)
EXCEL_EPOCH = dt.date(1899, 12, 30)

DATE_SEPARATED = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?")
DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
EXCEL_SERIAL = re.compile(r"(\d{5})(?:\.0+)?")
DATE_PREFIX = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]+")
TIME_COLON = re.compile(r"(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?")
TIME_CHINESE = re.compile(r"(\d{1,2})[点时](?:(\d{1,2})分?)?(?:(\d{1,2})秒)?")
HOURS = re.compile(
    r"(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)\s*(?:小时|个小时|钟头|h|hr|hrs|hour|hours)?"
)
MINUTES = re.compile(r"(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)\s*(?:分钟|分|min|mins|minute|minutes)?")
ID_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+")
ID_ZEROED = re.compile(r"[0-9]{15}000")
ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PHONE_86 = re.compile(r"(?:00)?86([0-9]{11})")
YEAR = re.compile(r"(\d{4})\s*年?")
MONTH = re.compile(r"(\d{1,2})\s*月?")
WHOLE = re.compile(r"([0-9]+)(?:\.0*)?")

EXPORT_COLUMNS = (
    "district_code",
    "district_name",
    "month",
    "roster_size",
    "active_members",
    "participation_rate",
    "volunteers",
    "person_times",
    "total_hours",
    "volunteer_service_hours",
    "avg_hours_per_volunteer",
    "activity_day_coverage",
    "events_logged",
    "events_reported",
    "events_held",
    "reported_person_times",
    "reported_hours",
)
# What survives validation of an activity log: the columns the metrics need.
SESSION_COLUMNS = ("h1", "h2", "person", "org", "date", "minutes", "label", "title")
# ... and of an event summary (``key``: every summary column, for exact duplicates)
SUMMARY_COLUMNS = ("key", "org", "date", "participants", "minutes", "label")


class BaselineError(Exception):
    """A fault the baseline cannot get past; the message names the file."""


# --- text and headers ------------------------------------------------------------------


def nfkc(value: object) -> str | None:
    """A cell as the contract compares it: NFKC, trimmed; None when empty."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def header_key(header: str) -> str:
    return (nfkc(header) or "").lower()


ALIAS_OF = {header_key(a): c for c, aliases in ALIASES.items() for a in (c, *aliases)}
UNIT = re.compile(r"^(?P<base>.*?)\s*[(\[](?P<unit>[^()\[\]]*)[)\]]\s*$")


def canonical(header: str) -> str | None:
    name = header_key(header)
    if name in ALIAS_OF:
        return ALIAS_OF[name]
    match = UNIT.match(name)
    base = ALIAS_OF.get(match.group("base").strip()) if match else None
    if match and base in ("hours", "minutes") and match.group("unit").strip() in MINUTE_UNITS:
        return "minutes"
    return base


def header_map(cells: Sequence[object]) -> dict[str, int]:
    """Canonical column -> position; the first header for a column wins."""
    columns: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = canonical(str(cell)) if cell is not None else None
        if name and name not in columns:
            columns[name] = i
    return columns


def kind_of(columns: dict[str, int]) -> str | None:
    if "participants" in columns and not PERSON_COLUMNS & columns.keys():
        return "events"
    for kind, signatures in SIGNATURES.items():
        if any(s <= columns.keys() for s in signatures):
            return kind
    return None


def find_header(rows: Sequence[Sequence[object]]) -> tuple[int, str, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        columns = header_map(row)
        kind = kind_of(columns)
        if kind:
            return index, kind, columns
    return None


def per_unique(series: pd.Series, parse: Callable[[str | None], object]) -> np.ndarray:
    """``parse`` applied to each distinct value once, spread back over the rows."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = np.array([parse(u) for u in uniques] + [parse(None)], dtype=object)
    return values[codes]  # code -1 (missing) takes the last entry: parse(None)


# --- reading ---------------------------------------------------------------------------


def decode(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def decode_head(path: Path, size: int = 1 << 16) -> str:
    """The first bytes of a file as text (for its header only)."""
    with open(path, "rb") as handle:
        data = handle.read(size)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return codecs.getincrementaldecoder("utf-16")().decode(data)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(data)
        except UnicodeDecodeError:
            continue
    return ""


def read_csv_file(path: Path) -> list[tuple[str, dict[str, int], pd.DataFrame]]:
    text = decode(path)
    first_lines = text.splitlines()[: HEADER_SEARCH + 1]
    sample = "\n".join(first_lines)
    delimiter = max(",;\t|", key=sample.count)
    rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
    found = find_header(rows)
    if found is None:
        raise BaselineError(f"{path}: no recognisable header in the first {HEADER_SEARCH} rows")
    index, kind, columns = found
    frame = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        header=None,
        skiprows=index + 1,
        names=range(len(rows[index])),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        quotechar='"',
        engine="c",
    )
    return [(kind, columns, frame)]


def excel_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_excel_file(path: Path) -> list[tuple[str, dict[str, int], pd.DataFrame]]:
    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    tables = []
    for sheet in sheets.values():
        rows = [[excel_cell(v) for v in row] for row in sheet.itertuples(index=False)]
        found = find_header(rows)
        if found is None:
            continue
        index, kind, columns = found
        tables.append((kind, columns, pd.DataFrame(rows[index + 1 :], dtype=str)))
    return tables


def read_inbox_file(path: Path) -> list[tuple[str, dict[str, int], pd.DataFrame]]:
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return read_excel_file(path)
    return read_csv_file(path)


def canonical_frame(columns: dict[str, int], raw: pd.DataFrame, wanted: tuple[str, ...]):
    """Normalized canonical columns (None for empty), without blank and total rows."""
    normalized = {i: pd.Series(per_unique(raw[i], nfkc), index=raw.index) for i in raw.columns}
    cells = pd.DataFrame(normalized)
    keep = cells.notna().any(axis=1)
    first = cells.bfill(axis=1).iloc[:, 0] if len(cells.columns) else cells.index.to_series()
    is_total = pd.Series(False, index=cells.index)
    for column in [first, *(cells[c] for c in list(cells.columns)[1:3])]:
        is_total |= pd.Series(
            per_unique(column, lambda v: bool(v and TOTAL_WORD.match(v))), index=cells.index
        ).astype(bool)
    cells = cells[keep & ~is_total]
    return pd.DataFrame(
        {name: cells[columns[name]] if name in columns else None for name in wanted},
        index=cells.index,
    )


# --- values ----------------------------------------------------------------------------


def parse_date(v: str | None) -> dt.date | None:
    if v is None:
        return None
    for pattern in (DATE_SEPARATED, DATE_COMPACT):
        m = pattern.fullmatch(v)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    m = EXCEL_SERIAL.fullmatch(v)
    if m:
        return EXCEL_EPOCH + dt.timedelta(days=int(m.group(1)))
    return None


def parse_time(v: str | None) -> int | None:
    """Seconds since midnight, or None."""
    if v is None:
        return None
    v = DATE_PREFIX.sub("", v)
    m = TIME_COLON.fullmatch(v) or TIME_CHINESE.fullmatch(v)
    if not m:
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mi * 60 + s if h < 24 and mi < 60 and s < 60 else None


def number_parser(pattern: re.Pattern[str]) -> Callable[[str | None], Decimal | None]:
    def parse(v: str | None) -> Decimal | None:
        if v is None:
            return None
        m = pattern.fullmatch(v.lower())
        if not m:
            return None
        try:
            return Decimal(m.group(1)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            return None

    return parse


def id_number(v: str | None) -> str | None:
    return re.sub(r"\s", "", v).upper() if v else None


def id_is_valid(v: str | None) -> bool:
    if not v or not ID_SHAPE.fullmatch(v):
        return False
    total = sum(int(c) * w for c, w in zip(v[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == v[17]


def id_is_damaged(v: str | None) -> bool:
    if not v:
        return False
    return bool(ID_SCIENTIFIC.fullmatch(v) or (ID_ZEROED.fullmatch(v) and not id_is_valid(v)))


def phone(v: str | None) -> str | None:
    if not v:
        return None
    digits = re.sub(r"[^0-9]", "", v)
    m = PHONE_86.fullmatch(digits)
    return (m.group(1) if m else digits) or None


def status(v: str | None) -> str:
    return "approved" if v is None else STATUS.get(v.lower(), "pending")


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- reference kinds -------------------------------------------------------------------


def latest(frames: list[pd.DataFrame], key: str) -> pd.DataFrame:
    """Each key's row from the last file (path order) and last line that lists it."""
    if not frames:
        return pd.DataFrame(columns=[key])
    frame = pd.concat(frames, ignore_index=True).drop_duplicates(key, keep="last")
    return frame.astype(object).where(frame.notna(), None).reset_index(drop=True)


def seed_terms(path: Path, code_column: str) -> dict[str, str]:
    """Every word a seed accepts for a code (code, names, aliases), lower-cased."""
    seed = pd.read_csv(path, dtype=str, keep_default_na=False)
    terms: dict[str, str] = {}
    for row in seed.itertuples(index=False):
        row = row._asdict()
        words = [row[code_column], row["name_zh"], row["name_en"], *row["aliases"].split("|")]
        for word in words:
            if word.strip():
                terms.setdefault(word.strip().lower(), row[code_column])
    return terms


class Reference:
    """Districts, organizations with their district and branch units, the roster."""

    def __init__(self, districts: pd.DataFrame, orgs: pd.DataFrame, people: pd.DataFrame):
        self.districts = districts.set_index("district_code")["district_name"].to_dict()
        org_types = seed_terms(SEEDS / "organization_types.csv", "org_type_code")
        orgs = orgs.assign(
            org_type=[org_types.get((t or "").lower(), "other") for t in orgs["org_type"]]
        )
        parent = dict(zip(orgs["org_code"], orgs["parent_org_code"], strict=True))
        own = dict(zip(orgs["org_code"], orgs["district_code"], strict=True))
        self.org_district: dict[str, str] = {}
        for code in orgs["org_code"]:
            seen, at = set(), code
            district: str | None = None
            while at in own and at not in seen:  # nearest ancestor with a district
                seen.add(at)
                if own[at]:
                    district = own[at]
                    break
                at = parent[at]
            if district is None or district not in self.districts:
                district = "unknown"
            self.org_district[code] = district
        self.org_district["unknown"] = "unknown"
        names = orgs.dropna(subset=["org_name"]).assign(key=lambda f: f["org_name"].str.lower())
        counts = names["key"].value_counts()
        unique = names[names["key"].map(counts) == 1]
        self.org_by_name = dict(zip(unique["key"], unique["org_code"], strict=True))
        parents_of_branches = set(orgs.loc[orgs["org_type"] == "branch", "parent_org_code"])
        self.branch_units = set(
            orgs.loc[
                (orgs["org_type"] == "branch")
                | ((orgs["org_type"] == "school") & ~orgs["org_code"].isin(parents_of_branches)),
                "org_code",
            ]
        )
        self.people = people.assign(
            org=self.resolve_orgs(people["org_code"], people["org_name"]),
        )
        self.people["district"] = self.people["org"].map(self.org_district)
        ids = people[people["id_number"].notna() & ~people["id_damaged"]]
        self.person_by_id = unique_map(ids["id_number"], ids["person"])
        phones = people[people["phone"].notna()]
        self.person_by_phone = unique_map(phones["phone"], phones["person"])

    def resolve_orgs(self, codes: pd.Series, names: pd.Series) -> np.ndarray:
        """The organization code when known; else the unique name's; else ``unknown``."""
        known = codes.isin(self.org_district.keys()) & codes.ne("unknown")
        by_name = pd.Series(
            per_unique(names, lambda v: self.org_by_name.get(v.lower()) if v else None),
            index=names.index,
        )
        org = np.where(known, codes, np.where(codes.isna() & by_name.notna(), by_name, "unknown"))
        return org.astype(object)


def unique_map(keys: pd.Series, people: pd.Series) -> dict[str, str]:
    """Key -> person, for the keys that name exactly one person."""
    pairs = pd.DataFrame({"k": keys.values, "p": people.values}).drop_duplicates()
    counts = pairs["k"].value_counts()
    pairs = pairs[pairs["k"].map(counts) == 1]
    return dict(zip(pairs["k"], pairs["p"], strict=True))


def load_people(columns: dict[str, int], raw: pd.DataFrame) -> pd.DataFrame:
    wanted = ("person_id", "org_code", "org_name", "joined_date", "left_date", "effective_date")
    f = canonical_frame(columns, raw, (*wanted, "id_number", "phone"))
    person_id = f["person_id"].str.upper()
    dates = {
        c: per_unique(f[c], parse_date) for c in ("joined_date", "left_date", "effective_date")
    }
    bad = person_id.isna()
    for c, parsed in dates.items():
        bad |= f[c].notna() & pd.isna(pd.Series(parsed, index=f.index))
    ids = pd.Series(per_unique(f["id_number"], id_number), index=f.index)
    kept = ~bad
    return pd.DataFrame(
        {
            "person": "pid:" + person_id[kept],
            "org_code": f["org_code"][kept],
            "org_name": f["org_name"][kept],
            "joined": pd.to_datetime(pd.Series(dates["joined_date"], index=f.index)[kept]),
            "left": pd.to_datetime(pd.Series(dates["left_date"], index=f.index)[kept]),
            "id_number": ids[kept],
            "id_damaged": per_unique(ids[kept], id_is_damaged).astype(bool),
            "phone": per_unique(f["phone"][kept], phone),
        }
    )


# --- activity logs ---------------------------------------------------------------------

ACTIVITY_COLUMNS = (
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
)


def load_activity(
    columns: dict[str, int], raw: pd.DataFrame, ref: Reference, today: dt.date
) -> pd.DataFrame:
    """The approved sessions of one file that pass validation, with a dedup hash."""
    f = canonical_frame(columns, raw, ACTIVITY_COLUMNS)

    def parsed(column: str, parse: Callable[[str | None], object], dtype: str = "float64"):
        return pd.Series(per_unique(f[column], parse), index=f.index).astype(dtype)

    def minutes_of(parse: Callable, factor: int, rounded: bool) -> Callable:
        def value(v: str | None) -> float:
            number = parse(v)
            if number is None:
                return np.nan
            return float(round_half_up(number * factor) if rounded else number * factor)

        return value

    hours_parser, minutes_parser = number_parser(HOURS), number_parser(MINUTES)
    pid = pd.Series(per_unique(f["person_id"], lambda v: v.upper() if v else None), index=f.index)
    idn = pd.Series(per_unique(f["id_number"], id_number), index=f.index)
    ph = pd.Series(per_unique(f["phone"], phone), index=f.index)
    damaged = pd.Series(per_unique(idn, id_is_damaged), index=f.index).astype(bool)
    day = parsed("activity_date", lambda v: days_since_1970(parse_date(v)))
    start = parsed("start_time", lambda v: np.nan if parse_time(v) is None else parse_time(v))
    end = parsed("end_time", lambda v: np.nan if parse_time(v) is None else parse_time(v))
    hours = parsed("hours", minutes_of(hours_parser, 60, False))
    minutes = parsed("minutes", minutes_of(minutes_parser, 1, False))
    # minutes of the session: hours x 60, else minutes, else end - start
    span = (end - start) / 60
    duration = hours.fillna(minutes).fillna(span)

    # the reject reasons of DESIGN.md, in their order; a row with any of them is dropped
    rejected = pid.isna() & idn.isna() & ph.isna()  # missing_person
    rejected |= f["org_code"].isna() & f["org_name"].isna()  # missing_org
    rejected |= day.isna()  # missing_date, bad_date
    rejected |= ~day.between(days_since_1970(EARLIEST), days_since_1970(today))  # out of range
    rejected |= (f["start_time"].notna() & start.isna()) | (f["end_time"].notna() & end.isna())
    rejected |= end <= start  # end_before_start (false where either is missing)
    rejected |= f["hours"].isna() & f["minutes"].isna() & (start.isna() | end.isna())
    rejected |= (f["hours"].notna() & hours.isna()) | (f["minutes"].notna() & minutes.isna())
    rejected |= ~((duration > 0) & (duration <= 1440))  # hours_out_of_range
    rejected |= f["activity_type"].isna()  # missing_activity_type
    rejected |= damaged & pid.isna() & ph.isna()  # bad_id_number
    state = pd.Series(per_unique(f["status"], status), index=f.index)
    keep = ~rejected & (state == "approved")
    if not keep.any():
        return pd.DataFrame(columns=list(SESSION_COLUMNS))

    # exact duplicates: every activity-log column after normalization (dates, times
    # and numbers as values, status as approved/pending/rejected)
    text = ["person_name", "org_code", "org_name", "activity_type", "activity_title"]
    same = pd.DataFrame(
        {
            "person_id": pid,
            "id_number": idn,
            "phone": ph,
            **{c: f[c] for c in [*text, "location", "community"]},
            "status": state,
        }
    )[keep].fillna("\x00")
    same = same.assign(day=day[keep], start=start[keep], end=end[keep])
    same = same.assign(hours=hours[keep], minutes=minutes[keep])
    h1 = pd.util.hash_pandas_object(same, index=False, hash_key="0123456789123456")
    h2 = pd.util.hash_pandas_object(same, index=False, hash_key="a-second-hashkey")

    # the person: person_id; else the roster's by ID number, by phone; else the number
    # (keys are built once per distinct value, so rows share their strings)
    def keyed(values: pd.Series, key: Callable[[str], str | None]) -> pd.Series:
        return pd.Series(per_unique(values, lambda v: key(v) if v else None), index=values.index)

    usable_id = idn[keep].where(~damaged[keep])
    person = keyed(pid[keep], lambda v: "pid:" + v)
    person = person.fillna(keyed(usable_id, ref.person_by_id.get))
    person = person.fillna(keyed(ph[keep], ref.person_by_phone.get))
    person = person.fillna(keyed(usable_id, lambda v: "id:" + v))
    person = person.fillna(keyed(ph[keep], lambda v: "ph:" + v))
    # rounded half up to a whole minute (hours and minutes from their exact decimals)
    session_minutes = parsed("hours", minutes_of(hours_parser, 60, True))
    session_minutes = session_minutes.fillna(parsed("minutes", minutes_of(minutes_parser, 1, True)))
    session_minutes = session_minutes.fillna(np.floor(span + 0.5))
    return pd.DataFrame(
        {
            "h1": h1.values,
            "h2": h2.values,
            "person": person.values,
            "org": ref.resolve_orgs(f["org_code"][keep], f["org_name"][keep]),
            "date": day[keep].astype("int64").values.astype("datetime64[D]"),
            "minutes": session_minutes[keep].astype("int64").values,
            "label": per_unique(f["activity_type"][keep], lambda v: v.lower() if v else None),
            "title": f["activity_title"][keep].values,
        }
    )


def days_since_1970(d: dt.date | None) -> float:
    return np.nan if d is None else float((d - dt.date(1970, 1, 1)).days)


# --- event summaries -------------------------------------------------------------------

EVENT_COLUMNS = (
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
    "status",
)


def whole_number(v: str | None) -> int | None:
    """A headcount: a whole number (``30``, ``30.0``), else None."""
    m = WHOLE.fullmatch(v) if v else None
    return int(m.group(1)) if m else None


def month_day(year: str | None, month: str | None) -> dt.date | None:
    """年份 + 月份 without a day: the month's first day, else None."""
    y = YEAR.fullmatch(year) if year else None
    m = MONTH.fullmatch(month) if month else None
    if not (y and m and 1 <= int(m.group(1)) <= 12):
        return None
    return dt.date(int(y.group(1)), int(m.group(1)), 1)


def load_events(
    columns: dict[str, int], raw: pd.DataFrame, ref: Reference, today: dt.date
) -> pd.DataFrame:
    """The approved summary rows of one file that pass validation (one activity each).

    Summary files hold one row per activity held, a few hundred rows in all, so the
    rows are checked one by one in exact decimals.
    """
    f = canonical_frame(columns, raw, EVENT_COLUMNS)
    hours_parser = number_parser(HOURS)
    rows = []
    for r in f.itertuples(index=False):
        # a date, else 年份 + 月份 (the month's first day); a date that does not parse
        # is bad_date even where a year and month are given
        day = parse_date(r.activity_date) if r.activity_date else month_day(r.year, r.month)
        participants = whole_number(r.participants)
        hours = hours_parser(r.hours)
        each = hours_parser(r.hours_each)
        # the total: hours of all participants, else participants x hours_each
        if r.hours is not None:
            total = hours
        elif each is not None and participants is not None:
            total = each * participants
        else:
            total = None
        # the reject reasons of DESIGN.md, in their order (no person in a summary)
        rejected = (
            (r.org_code is None and r.org_name is None)  # missing_org
            or day is None  # missing_date, bad_date
            or not EARLIEST <= day <= today  # date_out_of_range
            or (r.hours is None and r.hours_each is None)  # missing_hours
            or (r.hours is not None and hours is None)  # bad_hours
            or (r.hours is None and each is None)  # bad_hours (hours_each)
            or participants is None  # bad_participants: not a whole number
            or participants < 1  # ... of 1 or more
            or total is None
            or not 0 < total <= 24 * participants  # hours_out_of_range, per participant
            or r.activity_type is None  # missing_activity_type
        )
        if rejected or status(r.status) != "approved":
            continue
        # exact duplicates: every summary column after normalization (the date as a
        # date, numbers as numbers, status as approved/pending/rejected)
        key = (
            r.org_code,
            r.org_name,
            day,
            r.activity_type,
            r.activity_title,
            r.location,
            r.community,
            participants,
            hours,
            each,
            "approved",
        )
        # minutes rounded once per row, from the exact total
        rows.append((key, r.org_code, r.org_name, day, participants, total, r.activity_type))
    if not rows:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    keys, codes, names, days, headcounts, totals, labels = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "key": keys,
            "org": ref.resolve_orgs(pd.Series(codes), pd.Series(names)),
            "date": pd.to_datetime(pd.Series(days)),
            "participants": np.array(headcounts, dtype="int64"),
            "minutes": np.array([round_half_up(t * 60) for t in totals], dtype="int64"),
            "label": [v.lower() for v in labels],
        }
    )


# --- metrics ---------------------------------------------------------------------------


def ratio(numerator: int, denominator: int, places: str) -> str:
    if denominator == 0:
        return ""
    value = Decimal(int(numerator)) / Decimal(int(denominator))
    return str(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def district_monthly(
    sessions: pd.DataFrame,
    summaries: pd.DataFrame,
    ref: Reference,
    first: str | None,
    last: str | None,
) -> list[list[str]]:
    types = pd.read_csv(SEEDS / "activity_types.csv", dtype=str, keep_default_na=False)
    category = dict(zip(types["activity_type_code"], types["category"], strict=True))
    terms = seed_terms(SEEDS / "activity_types.csv", "activity_type_code")

    def placed(frame: pd.DataFrame) -> pd.DataFrame:
        """Month, district (the attributed organization's) and activity type code."""
        return frame.assign(
            month=frame["date"].dt.strftime("%Y-%m"),
            district=frame["org"].map(ref.org_district),
            type=frame["label"].map(terms).fillna("other"),
        )

    sessions = placed(sessions.drop_duplicates(["h1", "h2"]))
    sessions["category"] = sessions["type"].map(category).fillna("other")
    summaries = placed(summaries.drop_duplicates("key"))  # exact duplicates count once
    # the default period: the first and last month with an approved session or an
    # approved summary row
    active_months = pd.concat([sessions["month"], summaries["month"]])
    if active_months.empty and not (first and last):
        raise BaselineError("no approved session or event summary: give --from and --to")
    first = first or active_months.min()
    last = last or active_months.max()
    months = pd.period_range(first, last, freq="M")

    by = ["district", "month"]
    service = sessions["minutes"].where(sessions["category"] == "volunteer_service", 0)
    metrics = (
        sessions.assign(service=service)
        .groupby(by)
        .agg(
            person_times=("minutes", "size"),
            volunteers=("person", "nunique"),
            minutes=("minutes", "sum"),
            service=("service", "sum"),
        )
    )
    # activities held: distinct (attributed organization, date, type, title) of the
    # logs, and the approved summary rows with their headcounts and minutes
    logged = sessions.drop_duplicates(["org", "date", "type", "title"]).groupby(by).size()
    reported = summaries.groupby(by).agg(
        events=("key", "size"),
        person_times=("participants", "sum"),
        minutes=("minutes", "sum"),
    )
    # a branch unit is covered by an approved activity_day session or summary row
    # attributed to it
    days = pd.concat([sessions[[*by, "org", "type"]], summaries[[*by, "org", "type"]]])
    covered = (
        days[(days["type"] == "activity_day") & days["org"].isin(ref.branch_units)]
        .groupby(by)["org"]
        .nunique()
    )
    units = pd.Series([ref.org_district[o] for o in ref.branch_units]).value_counts()

    # the roster of each month: joined empty or <= its end, left empty or >= its start
    active = set(zip(sessions["person"], sessions["month"], strict=True))
    roster_rows = []
    for period in months:
        start, end = period.start_time.normalize(), period.end_time.normalize()
        people = ref.people[
            (ref.people["joined"].isna() | (ref.people["joined"] <= end))
            & (ref.people["left"].isna() | (ref.people["left"] >= start))
        ]
        month = str(period)
        is_active = [(p, month) in active for p in people["person"]]
        roster_rows.append(
            people.assign(month=month, active=is_active)[["district", "month", "active"]]
        )
    roster = pd.concat(roster_rows).groupby(by)["active"].agg(["size", "sum"])

    grid = [(code, name) for code, name in sorted(ref.districts.items())]
    unknown_months = {m for d, m in [*metrics.index, *reported.index] if d == "unknown"}
    rows = []
    for code, name in [*grid, ("unknown", UNKNOWN_DISTRICT)]:
        for period in months:
            month = str(period)
            if code == "unknown" and month not in unknown_months:
                continue
            key = (code, month)
            m = metrics.loc[key] if key in metrics.index else None
            times, volunteers = (
                (int(m["person_times"]), int(m["volunteers"])) if m is not None else (0, 0)
            )
            minutes, service = (int(m["minutes"]), int(m["service"])) if m is not None else (0, 0)
            size, members = roster.loc[key] if key in roster.index else (0, 0)
            in_logs = int(logged.get(key, 0))
            r = reported.loc[key] if key in reported.index else None
            events, people, event_minutes = (
                (int(r["events"]), int(r["person_times"]), int(r["minutes"]))
                if r is not None
                else (0, 0, 0)
            )
            rows.append(
                [
                    code,
                    name if isinstance(name, str) else "",
                    month,
                    str(int(size)),
                    str(int(members)),
                    ratio(members, size, "0.0001"),
                    str(volunteers),
                    str(times),
                    ratio(minutes, 60, "0.01"),
                    ratio(service, 60, "0.01"),
                    ratio(minutes, 60 * volunteers, "0.01"),
                    ratio(covered.get(key, 0), units.get(code, 0), "0.0001"),
                    str(in_logs),
                    str(events),
                    str(in_logs + events),
                    str(people),
                    ratio(event_minutes, 60, "0.01"),
                ]
            )
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows


def concat(frames: list[pd.DataFrame], columns: tuple[str, ...]) -> pd.DataFrame:
    """The files' rows in one frame (an empty one with its dates typed as dates)."""
    frames = [f for f in frames if not f.empty]
    if frames:
        return pd.concat(frames, ignore_index=True)
    empty = pd.DataFrame(columns=list(columns))
    return empty.assign(date=pd.to_datetime(empty["date"]))


def run(inbox: Path, out: Path, first: str | None, last: str | None, today: dt.date) -> int:
    files = sorted(
        p
        for p in inbox.rglob("*")
        if p.is_file()
        and p.suffix.lower() in CSV_SUFFIXES | EXCEL_SUFFIXES
        and not any(part.startswith((".", "~$")) for part in p.relative_to(inbox).parts)
    )
    tables: dict[str, list[tuple[dict[str, int], pd.DataFrame]]] = {
        kind: [] for kind in (*SIGNATURES, "events")
    }
    activity_files = []
    for path in files:
        if path.suffix.lower() in CSV_SUFFIXES:
            # logs are read one at a time later; here only the kind of each file
            head = "\n".join(decode_head(path).splitlines()[: HEADER_SEARCH + 1])
            delimiter = max(",;\t|", key=head.count)
            found = find_header(list(csv.reader(io.StringIO(head), delimiter=delimiter)))
            if found and found[1] == "activity":
                activity_files.append(path)
                continue
        for kind, columns, frame in read_inbox_file(path):
            tables[kind].append((columns, frame))

    districts = latest(
        [
            canonical_frame(c, f, ("district_code", "district_name")).dropna(
                subset=["district_code"]
            )
            for c, f in tables["districts"]
        ],
        "district_code",
    )
    org_columns = ("org_code", "org_name", "org_type", "parent_org_code", "district_code")
    orgs = latest(
        [
            canonical_frame(c, f, org_columns).dropna(subset=["org_code"])
            for c, f in tables["organizations"]
        ],
        "org_code",
    )
    people = latest([load_people(c, f) for c, f in tables["people"]], "person")
    ref = Reference(districts, orgs, people)

    sessions = []
    for path in activity_files:
        for kind, columns, frame in read_inbox_file(path):
            if kind == "activity":
                sessions.append(load_activity(columns, frame, ref, today))
        LOG.info("read %s", path.relative_to(inbox))
    summaries = [load_events(c, f, ref, today) for c, f in tables["events"]]
    rows = district_monthly(
        concat(sessions, SESSION_COLUMNS), concat(summaries, SUMMARY_COLUMNS), ref, first, last
    )
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "district_monthly.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--from", dest="first")
    parser.add_argument("--to", dest="last")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        rows = run(args.inbox, args.out, args.first, args.last, args.today)
    except (BaselineError, OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        print(f"pandas baseline: {error}", file=sys.stderr)
        return 1
    print(f"pandas baseline: {rows} rows in {args.out / 'district_monthly.csv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
