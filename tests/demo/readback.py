"""Reading a demo inbox back without the generator: decode, find headers, judge rows.

Headers are mapped with ingest's alias table (the contract of DESIGN.md); values are
judged by a small re-implementation of DESIGN.md's validation table, so a test can
say which reason code a row would get without asking the generator or running ingest.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ingest.headers import canonical_column
from ingest.schema import ALIASES

TODAY = dt.date.today()
EARLIEST = dt.date(2000, 1, 1)
# The reasons an activity row can be rejected for, in precedence order, from the one
# list (seeds/reject_reasons.csv); a CSV row's extra cells, an event summary's headcount,
# a district row's missing code and an activity types row's faults do not occur in the
# demo's activity logs.
NOT_IN_ACTIVITY_LOGS = (
    "extra_cells",
    "bad_participants",
    "missing_district",
    "missing_type_code",
    "bad_category",
)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$|^(\d{1,2})[点时](?:(\d{1,2})分?)?$")
_HOURS = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)\s*(?:小时|h)?$")
_MINUTES = re.compile(r"^(\d+(?:\.\d*)?)\s*(?:分钟)?$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")


def normalize(value: object) -> str | None:
    """NFKC, trimmed, empty as None: what ingest compares."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data.decode("gb18030")  # raises when it is neither
        return "gb18030"
    return "utf-8"


@dataclass
class Table:
    """One file: its encoding, header, canonical columns and rows (raw and normalized)."""

    path: str
    encoding: str
    headers: list[str]
    columns: dict[str, int]
    raw: list[tuple[str, ...]]
    title_rows: int = 0

    def records(self) -> list[dict[str, str | None]]:
        out = []
        for line, cells in enumerate(self.raw, start=self.title_rows + 2):
            record: dict[str, str | None] = dict.fromkeys(ALIASES)
            for name, i in self.columns.items():
                record[name] = normalize(cells[i]) if i < len(cells) else None
            record["_file"] = self.path
            record["_line"] = str(line)
            out.append(record)
        return out


def _locate_header(rows: list[list[object]], needed: set[str]) -> int:
    for index, row in enumerate(rows[:20]):
        mapped = {canonical_column(str(c)) for c in row if c is not None}
        if needed <= mapped:
            return index
    raise AssertionError(f"no header with {sorted(needed)} in the first rows: {rows[:2]}")


def read_csv(path: Path, root: Path, needed: set[str]) -> Table:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    delimiter = "\t" if path.suffix == ".txt" else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = _locate_header(rows, needed)
    headers = rows[header]
    columns: dict[str, int] = {}
    for i, h in enumerate(headers):
        name = canonical_column(h)
        if name and name not in columns:
            columns[name] = i
    return Table(
        path=path.relative_to(root).as_posix(),
        encoding=encoding,
        headers=headers,
        columns=columns,
        raw=[tuple(r) for r in rows[header + 1 :]],
        title_rows=header,
    )


def read_xlsx(path: Path, root: Path, needed: set[str]) -> Table:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    header = _locate_header(rows, needed)
    headers = [str(h) for h in rows[header]]
    columns = {canonical_column(h): i for i, h in enumerate(headers) if canonical_column(h)}
    return Table(
        path=path.relative_to(root).as_posix(),
        encoding="xlsx",
        headers=headers,
        columns=columns,
        raw=[tuple(r) for r in rows[header + 1 :]],
        title_rows=header,
    )


@dataclass
class Inbox:
    root: Path
    logs: list[Table] = field(default_factory=list)
    rosters: list[Table] = field(default_factory=list)
    organizations: list[dict[str, str | None]] = field(default_factory=list)
    districts: list[dict[str, str | None]] = field(default_factory=list)
    activity: list[dict[str, str | None]] = field(default_factory=list)
    people: list[dict[str, str | None]] = field(default_factory=list)
    _loaded: list[dict[str, str | None]] | None = None

    def loaded(self) -> list[dict[str, str | None]]:
        """The activity rows ingest must load (no reason code applies)."""
        if self._loaded is None:
            self._loaded = [r for r in self.activity if first_reason(r) is None]
        return self._loaded


def read_inbox(root: Path) -> Inbox:
    inbox = Inbox(root)
    inbox.districts = read_csv(root / "districts.csv", root, {"district_code"}).records()
    inbox.organizations = read_csv(root / "organizations.csv", root, {"org_code"}).records()
    for path in sorted((root / "logs").rglob("*")):
        if path.is_file():
            inbox.logs.append(read_csv(path, root, {"activity_date", "activity_type"}))
    for path in sorted((root / "roster").glob("*.xlsx")):
        inbox.rosters.append(read_xlsx(path, root, {"person_id", "person_type"}))
    inbox.activity = [r for t in inbox.logs for r in t.records()]
    inbox.people = [r for t in inbox.rosters for r in t.records()]
    return inbox


def parse_date(text: str) -> dt.date | None:
    """The date a text stands for; None when it is not a real date in an accepted form."""
    if _SERIAL.match(text):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(text))
    match = _DATE.match(text) or _COMPACT.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_time(text: str) -> int | None:
    """Minutes after midnight, or None."""
    match = _TIME.match(text)
    if not match:
        return None
    hour = int(match.group(1) or match.group(4))
    minute = int(match.group(2) or match.group(5) or 0)
    second = int(match.group(3) or 0)
    if hour >= 24 or minute >= 60 or second >= 60:
        return None
    return hour * 60 + minute


def number(text: str, pattern: re.Pattern[str]) -> float | None:
    match = pattern.match(text.lower())
    return float(match.group(1)) if match else None


def session_minutes(row: dict[str, str | None]) -> float | None:
    """Hours × 60, else minutes, else end − start (DESIGN.md's session minutes)."""
    if row.get("hours"):
        value = number(row["hours"], _HOURS)
        return None if value is None else value * 60
    if row.get("minutes"):
        return number(row["minutes"], _MINUTES)
    start, end = row.get("start_time"), row.get("end_time")
    if start and end and parse_time(start) is not None and parse_time(end) is not None:
        return parse_time(end) - parse_time(start)
    return None


def first_reason(row: dict[str, str | None]) -> str | None:
    """The reason code ingest must give this activity row, or None when it loads."""
    person, id_number, phone = row.get("person_id"), row.get("id_number"), row.get("phone")
    if not (person or id_number or phone):
        return "missing_person"
    if not (row.get("org_code") or row.get("org_name")):
        return "missing_org"
    text = row.get("activity_date")
    if not text:
        return "missing_date"
    day = parse_date(text)
    if day is None:
        return "bad_date"
    if day < EARLIEST or day > TODAY:
        return "date_out_of_range"
    start, end = row.get("start_time"), row.get("end_time")
    if (start and parse_time(start) is None) or (end and parse_time(end) is None):
        return "bad_time"
    if start and end and parse_time(end) <= parse_time(start):
        return "end_before_start"
    hours, minutes = row.get("hours"), row.get("minutes")
    if not hours and not minutes and not (start and end):
        return "missing_hours"
    if (hours and number(hours, _HOURS) is None) or (minutes and number(minutes, _MINUTES) is None):
        return "bad_hours"
    duration = session_minutes(row)
    if duration is None or duration <= 0 or duration > 24 * 60:
        return "hours_out_of_range"
    if not row.get("activity_type"):
        return "missing_activity_type"
    if id_number and not person and not phone and _SCIENTIFIC.match(id_number.upper()):
        return "bad_id_number"
    return None


def read_seed(name: str) -> list[dict[str, str]]:
    path = Path(__file__).resolve().parents[2] / "seeds" / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


REASONS = tuple(
    row["reason_code"]
    for row in sorted(read_seed("reject_reasons.csv"), key=lambda r: int(r["precedence"]))
    if row["reason_code"] not in NOT_IN_ACTIVITY_LOGS
)


@functools.cache
def activity_terms() -> dict[str, str]:
    """Every label that names an activity type (normalized, lower case) -> its code."""
    terms = {}
    for row in read_seed("activity_types.csv"):
        words = [row["activity_type_code"], row["name_zh"], row["name_en"]]
        words += [a for a in row["aliases"].split("|") if a]
        for word in words:
            terms[normalize(word).lower()] = row["activity_type_code"]
    return terms
