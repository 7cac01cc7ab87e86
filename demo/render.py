"""Rendering one activity-log file: session integers to text columns, one ``take`` each.

Every column is a lookup table (all dates in every format, every quarter-hour in
every hours format, every person's number ...) with the fault values appended, and
an index per row, null where the cell is empty. Per-row choices (date format, who
is named by ID or phone only, labels given as aliases) are drawn with the file's own
random generator, so one file never shifts another.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from demo.catalog import UNMAPPED_LABELS, Catalog
from demo.events import SLOTS_PER_DAY
from demo.faults import code
from demo.identity import damaged_by_excel
from demo.layout import Style
from demo.organizations import Tree
from demo.people import People
from demo.rhythm import Calendar
from demo.sessions import APPROVED, PENDING, REJECTED, Sessions
from demo.vocabulary import Vocabulary

DATE_FORMATS = ("iso", "slash", "dot", "cn", "compact", "serial")
TIME_FORMATS = ("h:mm", "hh:mm", "hh:mm:ss", "cn")
HOUR_FORMATS = ("decimal", "fullwidth", "unit", "h")
MINUTE_FORMATS = ("plain", "unit")
QUARTERS = 24 * 4 + 1  # 0 to 24 hours in quarter-hours

BAD_DATES = ("2025-02-30", "2025/2/29", "2026年4月31日", "2025.13.1", "20251341", "2025-06-31")
OUT_OF_RANGE_DATES = ("1925-03-05", "2205/3/5", "1900年1月1日", "2205-07-01")
BAD_TIMES = ("25:30", "8点70分", "上午", "24:61")
BAD_HOURS = ("两小时", "2..5", "约2小时", "半天")
OUT_OF_RANGE_HOURS = ("0", "25", "36", "120")
OUT_OF_RANGE_MINUTES = ("0", "1500", "2880")
REMARKS = ("补录", "线上活动", "代签到", "雨天改期")
PHONE_FORMATS = 3  # 13800138000, 138 0013 8000, +86-138-0013-8000
ID_FORMATS = 2  # clean, damaged by Excel
CODE_FORMATS = 3  # the code, a letter O for a zero, the zero dropped
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _column(values: list[str]) -> pa.Array:
    return pa.array(values, type=pa.string())


def _decimal(quarter: int) -> str:
    text = f"{quarter / 4:.2f}".rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class Tables:
    """Every text a cell can hold, per column, and where each block starts."""

    person_id: pa.Array
    person_name: pa.Array
    id_number: pa.Array  # ID_FORMATS blocks of people
    phone: pa.Array  # PHONE_FORMATS blocks of people
    org_code: pa.Array  # CODE_FORMATS blocks of organizations
    org_name: pa.Array
    dates: pa.Array  # DATE_FORMATS blocks of days, then bad, then out of range
    times: pa.Array  # TIME_FORMATS blocks of slots, then bad
    hours: pa.Array  # HOUR_FORMATS blocks of quarters, then bad, then out of range
    minutes: pa.Array  # MINUTE_FORMATS blocks of quarters, then bad, then out of range
    labels: pa.Array  # per type: name_zh, name_en, code, aliases...; then unmapped
    label_offset: np.ndarray
    alias_count: np.ndarray
    titles: pa.Array
    locations: pa.Array
    communities: pa.Array
    remarks: pa.Array
    people: int
    orgs: int
    days: int


def build_tables(
    people: People, tree: Tree, cal: Calendar, catalog: Catalog, vocab: Vocabulary
) -> Tables:
    """All lookup tables, built once per run (small: thousands of entries)."""
    ids = list(people.id_number)
    phones = list(people.phone)
    codes = list(tree.code)
    dates = []
    serial = (cal.dates - np.datetime64("1899-12-30")).astype(int)
    years = cal.dates.astype("datetime64[Y]").astype(int) + 1970
    for form in DATE_FORMATS:
        for i in range(cal.days):
            y, m, d = int(years[i]), int(cal.month_of_year[i]), int(cal.day_of_month[i])
            dates.append(
                {
                    "iso": f"{y}-{m:02d}-{d:02d}",
                    "slash": f"{y}/{m}/{d}",
                    "dot": f"{y}.{m}.{d}",
                    "cn": f"{y}年{m}月{d}日",
                    "compact": f"{y}{m:02d}{d:02d}",
                    "serial": str(serial[i]),
                }[form]
            )
    times = []
    for form in TIME_FORMATS:
        for slot in range(SLOTS_PER_DAY):
            h, m = divmod(slot * 5, 60)
            times.append(
                {
                    "h:mm": f"{h}:{m:02d}",
                    "hh:mm": f"{h:02d}:{m:02d}",
                    "hh:mm:ss": f"{h:02d}:{m:02d}:00",
                    "cn": f"{h}点{m}分" if m else f"{h}点",
                }[form]
            )
    hours = []
    for form in HOUR_FORMATS:
        for q in range(QUARTERS):
            text = _decimal(q)
            hours.append(
                {
                    "decimal": text,
                    "fullwidth": text.translate(FULL_WIDTH),
                    "unit": f"{text}小时",
                    "h": f"{text}h",
                }[form]
            )
    minutes = [
        {"plain": str(q * 15), "unit": f"{q * 15}分钟"}[form]
        for form in MINUTE_FORMATS
        for q in range(QUARTERS)
    ]
    labels: list[str] = []
    offsets, alias_counts = [], []
    for kind in catalog.types:
        offsets.append(len(labels))
        alias_counts.append(len(kind.aliases))
        labels.extend((kind.name_zh, kind.name_en, kind.code, *kind.aliases))
    return Tables(
        person_id=_column(list(people.pid)),
        person_name=_column(list(people.name)),
        id_number=_column(ids + [damaged_by_excel(i) for i in ids]),
        phone=_column(
            phones
            + [f"{p[:3]} {p[3:7]} {p[7:]}" for p in phones]
            + [f"+86-{p[:3]}-{p[3:7]}-{p[7:]}" for p in phones]
        ),
        org_code=_column(
            codes + [c.replace("0", "O", 1) for c in codes] + [c.replace("0", "", 1) for c in codes]
        ),
        org_name=_column(list(tree.name)),
        dates=_column(dates + list(BAD_DATES) + list(OUT_OF_RANGE_DATES)),
        times=_column(times + list(BAD_TIMES)),
        hours=_column(hours + list(BAD_HOURS) + list(OUT_OF_RANGE_HOURS)),
        minutes=_column(minutes + list(BAD_HOURS) + list(OUT_OF_RANGE_MINUTES)),
        labels=_column(labels + list(UNMAPPED_LABELS)),
        label_offset=np.array(offsets, dtype=np.int64),
        alias_count=np.array(alias_counts, dtype=np.int64),
        titles=_column(vocab.titles),
        locations=_column(vocab.locations),
        communities=_column(vocab.communities),
        remarks=_column(list(REMARKS)),
        people=people.size,
        orgs=tree.size,
        days=cal.days,
    )


def _take(table: pa.Array, index: np.ndarray) -> pa.Array:
    """``table[index]``, null where ``index`` is negative."""
    return pc.take(table, pa.array(index.astype(np.int32), mask=index < 0))


def _pick(
    rng: np.random.Generator,
    shares: tuple[tuple[str, float], ...],
    names: tuple[str, ...],
    n: int,
) -> np.ndarray:
    """A format index (into ``names``) per row, by the style's shares."""
    options = np.array([names.index(name) for name, _ in shares])
    p = np.array([share for _, share in shares])
    return options[rng.choice(len(options), n, p=p / p.sum())]


def _faulty(
    fault: np.ndarray, rng: np.random.Generator, name: str, values: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows with fault ``name``, and which of ``values`` fault texts each shows."""
    rows = np.flatnonzero(fault == code(name))
    return rows, rng.integers(0, values, len(rows))


def render(
    rng: np.random.Generator,
    s: Sessions,
    fault: np.ndarray,
    style: Style,
    tables: Tables,
) -> pa.Table:
    """The file's rows as a table of strings, headed as the style's template says."""
    n = s.size
    fields = style.fields
    columns: dict[str, pa.Array] = {}
    n_people, n_orgs, n_days = tables.people, tables.orgs, tables.days
    person = s.person.astype(np.int64)

    # who: a person number, else an ID number only, else a phone only
    has_id, has_phone = "id_number" in fields, "phone" in fields
    roll = rng.random(n)
    id_only = has_id & (roll < style.id_only)
    phone_only = has_phone & ~id_only & (roll < style.id_only + style.phone_only)
    by_number = ~id_only & ~phone_only
    filled = by_number & (rng.random(n) < style.personal_filled)
    missing = fault == code("missing_person")
    damaged = fault == code("bad_id_number")
    pid = np.where(by_number & ~missing & ~damaged, person, -1)
    id_index = np.where((id_only | filled) & ~missing, person, -1)
    id_index = np.where(damaged, person + n_people, id_index)
    phone_index = np.where((phone_only | filled) & ~missing & ~damaged, person, -1)
    phone_form = rng.choice(PHONE_FORMATS, n, p=(0.8, 0.1, 0.1))
    phone_index = np.where(phone_index >= 0, phone_index + n_people * phone_form, -1)
    columns["person_id"] = _take(tables.person_id, pid)
    columns["person_name"] = _take(tables.person_name, person)
    columns["id_number"] = _take(tables.id_number, id_index)
    columns["phone"] = _take(tables.phone, phone_index)

    # where: organization code and name
    org = s.org.astype(np.int64)
    no_org = fault == code("missing_org")
    code_index = np.where(no_org | (fault == code("org_name_only")), -1, org)
    unknown = fault == code("unknown_org_code")
    code_index = np.where(unknown, org + n_orgs * rng.integers(1, CODE_FORMATS, n), code_index)
    columns["org_code"] = _take(tables.org_code, code_index)
    columns["org_name"] = _take(tables.org_name, np.where(no_org, -1, org))

    # when: the date, and for templates with times, sign-in and sign-out
    date_form = _pick(rng, style.dates, DATE_FORMATS, n)
    date_index = date_form * n_days + s.day.astype(np.int64)
    date_index[fault == code("missing_date")] = -1
    rows, which = _faulty(fault, rng, "bad_date", len(BAD_DATES))
    date_index[rows] = len(DATE_FORMATS) * n_days + which
    rows, which = _faulty(fault, rng, "date_out_of_range", len(OUT_OF_RANGE_DATES))
    date_index[rows] = len(DATE_FORMATS) * n_days + len(BAD_DATES) + which
    columns["activity_date"] = _take(tables.dates, date_index)

    no_hours = fault == code("missing_hours")
    quarter = (s.minutes // 15).astype(np.int64)
    times_only = np.zeros(n, bool)
    if "start_time" in fields:
        shape = rng.choice(3, n, p=(0.55, 0.25, 0.20))  # both, times only, hours only
        time_faults = (fault == code("bad_time")) | (fault == code("end_before_start"))
        shape = np.where(time_faults & (shape == 2), 0, shape)
        shape = np.where(no_hours, 3, shape)
        times_only = shape == 1
        block = TIME_FORMATS.index(style.times) * SLOTS_PER_DAY
        start = s.slot.astype(np.int64)
        end = start + s.minutes.astype(np.int64) // 5
        start_index = np.where(shape <= 1, block + start, -1)
        end_index = np.where(shape <= 1, block + end, -1)
        swap = fault == code("end_before_start")
        start_index = np.where(swap, block + end, start_index)
        end_index = np.where(swap, block + start, end_index)
        rows, which = _faulty(fault, rng, "bad_time", len(BAD_TIMES))
        bad = len(TIME_FORMATS) * SLOTS_PER_DAY + which
        on_end = rng.random(len(rows)) < 0.3
        start_index[rows[~on_end]] = bad[~on_end]
        end_index[rows[on_end]] = bad[on_end]
        columns["start_time"] = _take(tables.times, start_index)
        columns["end_time"] = _take(tables.times, end_index)

    # how long: hours (in several spellings) or minutes
    in_minutes = "minutes" in fields
    formats = MINUTE_FORMATS if in_minutes else HOUR_FORMATS
    table = tables.minutes if in_minutes else tables.hours
    shares = style.hours
    if in_minutes:  # a minutes column is plain numbers, or numbers with 分钟
        shares = tuple((name if name == "unit" else "plain", share) for name, share in shares)
    form = _pick(rng, shares, formats, n)
    length_index = form * QUARTERS + quarter
    length_index = np.where(times_only | no_hours, -1, length_index)
    fault_base = len(formats) * QUARTERS
    rows, which = _faulty(fault, rng, "bad_hours", len(BAD_HOURS))
    length_index[rows] = fault_base + which
    out_of_range = len(OUT_OF_RANGE_MINUTES if in_minutes else OUT_OF_RANGE_HOURS)
    rows, which = _faulty(fault, rng, "hours_out_of_range", out_of_range)
    length_index[rows] = fault_base + len(BAD_HOURS) + which
    columns["minutes" if in_minutes else "hours"] = _take(table, length_index)

    # what: the activity label (name, English name, code or alias), title, place
    t = s.type.astype(np.int64)
    aliases = tables.alias_count[t]
    label_roll = rng.random(n)
    alias = 3 + (rng.random(n) * np.maximum(aliases, 1)).astype(np.int64)
    if style.labels == "en":
        variant = np.where(label_roll < 0.6, 1, np.where(label_roll < 0.85, 2, 0))
    elif style.labels == "mixed":
        variant = np.where(label_roll < 0.7, 0, np.where(label_roll < 0.85, 1, alias))
    else:
        variant = np.where(label_roll < 0.88, 0, alias)
    variant = np.where((variant >= 3) & (aliases == 0), 0, variant)
    label_index = tables.label_offset[t] + variant
    label_index[fault == code("missing_activity_type")] = -1
    rows, which = _faulty(fault, rng, "unmapped_label", len(UNMAPPED_LABELS))
    label_index[rows] = len(tables.labels) - len(UNMAPPED_LABELS) + which
    columns["activity_type"] = _take(tables.labels, label_index)
    columns["activity_title"] = _take(tables.titles, s.title.astype(np.int64))
    columns["location"] = _take(tables.locations, s.location.astype(np.int64))
    columns["community"] = _take(tables.communities, s.community.astype(np.int64))

    if "status" in fields:
        words = list(style.words)
        status_table = _column(words)
        status_index = np.select(
            [s.status == APPROVED, s.status == PENDING, s.status == REJECTED], [0, 1, 2]
        )
        if not words[0]:
            status_index = np.where(status_index == 0, -1, status_index)
        columns["status"] = _take(status_table, status_index)
    if "remark" in fields:
        remark = rng.random(n)
        remark_index = np.where(remark < 0.02, (remark * 200).astype(np.int64) % len(REMARKS), -1)
        columns["remark"] = _take(tables.remarks, remark_index)
    return pa.table([columns[f] for f in fields], names=list(style.headers))


def with_repeats(table: pa.Table, positions: np.ndarray, rng: np.random.Generator) -> pa.Table:
    """The table with the rows at ``positions`` repeated a little further down."""
    if len(positions) == 0:
        return table
    n = table.num_rows
    offset = rng.integers(0, 20, len(positions))
    keys = np.concatenate(
        [np.arange(n, dtype=np.int64) * 2, np.minimum(positions + offset, n - 1) * 2 + 1]
    )
    sources = np.concatenate([np.arange(n), positions])
    order = sources[np.argsort(keys, kind="stable")]
    return table.take(pa.array(order))
