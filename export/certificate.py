"""Volunteer-hours certificates (志愿服务时长证明) and their verification.

A certificate states a person's approved hours by activity type over a period, read
from the published snapshot. Everything it certifies is a JSON payload (embedded in
the PDF's metadata and printed on it); its digest is SHA-256 over that payload, which
includes the snapshot's digest. ``verify`` checks that the payload still gives its
digest, that the printed text still shows its figures, and that the warehouse (the
current snapshot, or a named one) still gives the same figures for that person.

The person is found by the number they type: their person number, or their ID or
phone number, turned into the warehouse's key with the same HMAC as ingest. The
typed number is never written: an ID number is shown masked (4101**********1234).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb

from export.district_monthly import BadArgument, ExportError, Period, mart_rows
from kernel import catalog
from kernel.formatting import HOURS, format_month, ratio
from kernel.pseudonymize import hmac_key, mask
from kernel.snapshot import SnapshotInfo

TITLE = "志愿服务时长证明"
# how a reader has the certificate checked, in words; the command itself follows in a
# smaller line, for the person who runs it
VERIFY_NOTE = (
    "如何核验：请将本证明（PDF 文件）交出具单位，由其从数据仓库按证明编号重新计算上述"
    "人次、时长和证明摘要；全部一致即为有效，证明上任何数字被改动都会被发现。"
)
VERIFY_COMMAND = "出具单位的核验命令：make verify CERT=证明文件"
PAYLOAD_MARK = "volunteer-certificate:"
_ID_NUMBER = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_PHONE = re.compile(r"^1\d{10}$")


class CertificateError(ExportError):
    """A certificate that cannot be issued; the message never holds a personal number."""


class BadPeriod(CertificateError, BadArgument):
    """FROM or TO is not a month, or FROM is after TO (exit 2)."""


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    identifier: str  # what the certificate shows: the person number, or a masked number
    roster_org_code: str | None


def candidates(typed: str) -> list[tuple[str, str, str]]:
    """(kind, normalized value, how to show it) for each way ``typed`` may name someone,
    normalized as ingest normalizes it (NFKC, trimmed, upper-case; a phone's digits
    without a leading 86)."""
    text = unicodedata.normalize("NFKC", typed).strip()
    upper = text.upper()
    found = []
    compact = re.sub(r"\s", "", upper)
    if _ID_NUMBER.match(compact):
        found.append(("id_number", compact, mask(compact) or ""))
    digits = re.sub(r"[^0-9]", "", text)
    phone = re.sub(r"^(00)?86(\d{11})$", r"\2", digits)
    if _PHONE.match(phone):
        found.append(("phone", phone, mask(phone) or ""))
    if upper:
        # a person number that looks like an ID or phone number is shown masked, as that
        shown = found[0][2] if found else upper
        found.insert(0, ("person_id", upper, shown or ""))
    return found


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {d[0] for d in con.execute(f"select * from {table} limit 0").description}


def find_person(con: duckdb.DuckDBPyConnection, secret: bytes, typed: str) -> Person:
    """The person whose number was typed, by their warehouse key."""
    options = candidates(typed)
    if not options:
        raise CertificateError("PERSON is empty: give the person number, ID or phone number")
    people_columns = _columns(con, "dim_people")
    for kind, value, shown in options:
        key = hmac_key(secret, kind, value)
        # the key itself (person numbers, and numbers never matched to the roster);
        # a roster person's ID or phone key when dim_people carries it
        lookups = ["person_key = ?"]
        for column in (f"{kind}_key",):
            if column in people_columns:
                lookups.append(f"{column} = ?")
        # dim_people may keep a row per roster version: the current one first
        current = ", is_current desc" if "is_current" in people_columns else ""
        rows = mart_rows(
            con,
            "select person_key, person_name, roster_org_code, is_on_roster from dim_people "
            f"where {' or '.join(lookups)} order by is_on_roster desc{current} limit 1",
            [key] * len(lookups),
        )
        if rows:
            row = rows[0]
            return Person(
                row["person_key"], row["person_name"] or "", shown, row["roster_org_code"]
            )
    shown = options[-1][2]
    raise CertificateError(
        f"no one in the snapshot has the number {shown}; check it, or use the person "
        "number (人员编号) on the roster"
    )


def _canonical(payload: dict) -> bytes:
    body = {k: v for k, v in payload.items() if k != "digest"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def payload_digest(payload: dict) -> str:
    """SHA-256 over the payload without its digest (keys sorted, no spaces)."""
    return hashlib.sha256(_canonical(payload)).hexdigest()


def figures(con: duckdb.DuckDBPyConnection, person_key: str, period: Period) -> dict:
    """Approved sessions and hours of the person in the period, by activity type."""
    rows = mart_rows(
        con,
        "select s.activity_type_code as code, coalesce(t.name_zh, s.activity_type_code) "
        "as name_zh, s.activity_category as category, count(*) as sessions, "
        "sum(s.session_minutes) as minutes "
        "from fct_volunteer_sessions as s "
        "left join dim_activity_types as t using (activity_type_code) "
        "where s.person_key = ? and s.status = 'approved' and s.month between ? and ? "
        "group by all order by code",
        [person_key, period.first, period.last],
    )
    minutes = sum(int(r["minutes"]) for r in rows)
    service = sum(int(r["minutes"]) for r in rows if r["category"] == "volunteer_service")
    return {
        "by_type": [
            {
                "code": r["code"],
                "name_zh": r["name_zh"],
                "sessions": int(r["sessions"]),
                "hours": str(ratio(int(r["minutes"]), 60, HOURS)),
            }
            for r in rows
        ],
        "sessions": sum(int(r["sessions"]) for r in rows),
        "total_hours": str(ratio(minutes, 60, HOURS)),
        "volunteer_service_hours": str(ratio(service, 60, HOURS)),
    }


def unit_of(con: duckdb.DuckDBPyConnection, person: Person, period: Period) -> str:
    """The person's roster organization, else where they served most in the period."""
    code = person.roster_org_code if person.roster_org_code not in (None, "unknown") else None
    if code is None:
        rows = con.execute(
            "select org_code from fct_volunteer_sessions where person_key = ? "
            "and status = 'approved' and month between ? and ? "
            "group by org_code order by sum(session_minutes) desc, org_code limit 1",
            [person.key, period.first, period.last],
        ).fetchall()
        code = rows[0][0] if rows else None
    if code is None:
        return ""
    names = con.execute(
        "select org_name from dim_organizations where org_code = ?", [code]
    ).fetchall()
    return (names[0][0] if names else None) or code


def person_period(
    con: duckdb.DuckDBPyConnection, person_key: str, first: str | None, last: str | None
) -> Period:
    """FROM and TO, defaulting to the person's first and last month with hours."""
    span = con.execute(
        "select min(month), max(month) from fct_volunteer_sessions "
        "where person_key = ? and status = 'approved'",
        [person_key],
    ).fetchall()[0]
    first, last = first or span[0], last or span[1]
    if first is None or last is None:
        raise CertificateError(
            "this person has no approved session in the snapshot; give FROM= and TO= "
            "to certify a period anyway"
        )
    for name, value in (("FROM", first), ("TO", last)):
        if not re.match(r"^\d{4}-(0[1-9]|1[0-2])$", value):
            raise BadPeriod(f"{name}={value!r} is not a month; write it as 2025-03")
    if first > last:
        raise BadPeriod(f"FROM={first} is after TO={last}")
    return Period(first, last)


def certify(
    con: duckdb.DuckDBPyConnection,
    snapshot: SnapshotInfo,
    person: Person,
    period: Period,
    issuer: str,
    issued_on: dt.date,
) -> dict:
    """The certificate's payload, with its number and digest."""
    seed = f"{person.key}|{period.first}|{period.last}|{snapshot.digest}|{issued_on}"
    number = f"VH-{issued_on:%Y%m%d}-{hashlib.sha256(seed.encode()).hexdigest()[:8].upper()}"
    payload = {
        "type": TITLE,
        "number": number,
        "person_key": person.key,
        "name": person.name,
        "identifier": person.identifier,
        "unit": unit_of(con, person, period),
        "period": {"from": period.first, "to": period.last},
        **figures(con, person.key, period),
        "issuer": issuer,
        "issued_on": issued_on.isoformat(),
        "snapshot": {"as_of": snapshot.as_of, "digest": snapshot.digest},
    }
    payload["digest"] = payload_digest(payload)
    return payload


def printed_figures(payload: dict) -> list[str]:
    """The strings the printed certificate must show for its payload to stand."""
    return [
        payload["number"],
        payload["digest"],
        payload["total_hours"],
        payload["volunteer_service_hours"],
        *(row["hours"] for row in payload["by_type"]),
    ]


def write_pdf(payload: dict, target: Path) -> None:
    """The certificate on A4, the payload in the PDF's metadata (subject)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from export.pdf_common import styles
    from export.report_pdf import _table

    style = styles()
    period = payload["period"]
    span = format_month(period["from"])
    if period["to"] != period["from"]:
        span += f"至{format_month(period['to'])}"
    who = escape(payload["name"])
    if payload["identifier"]:
        who += f"（{escape(payload['identifier'])}）"
    unit = f"在{escape(payload['unit'])}" if payload["unit"] else ""
    story: list[object] = [
        Spacer(1, 10 * mm),
        Paragraph(TITLE, style["title"]),
        Paragraph(f"证明编号：{payload['number']}", style["subtitle"]),
        Spacer(1, 8 * mm),
        Paragraph(
            f"兹证明 {who} 于 {span} 期间{unit}参加志愿服务及组织活动，"
            f"经审核认定共 {payload['sessions']} 人次、{payload['total_hours']} 小时，"
            f"其中志愿服务 {payload['volunteer_service_hours']} 小时。明细如下：",
            style["base"],
        ),
        Spacer(1, 4 * mm),
    ]
    data: list[list[object]] = [["活动类型", catalog.label("person_times", "zh"), "时长(小时)"]]
    for row in payload["by_type"]:
        data.append([row["name_zh"], str(row["sessions"]), row["hours"]])
    data.append(["合计", str(payload["sessions"]), payload["total_hours"]])
    story.append(_table(data, [70 * mm, 30 * mm, 40 * mm]))
    story += [
        Spacer(1, 12 * mm),
        Paragraph(f"出具单位：{escape(payload['issuer'])}", style["base"]),
        Paragraph(f"出具日期：{payload['issued_on']}", style["base"]),
        Spacer(1, 10 * mm),
        Paragraph(
            f"数据截至 {payload['snapshot']['as_of']}，快照摘要 {payload['snapshot']['digest']}",
            style["small"],
        ),
        Paragraph(f"证明摘要：{payload['digest']}", style["small"]),
        Paragraph(VERIFY_NOTE, style["small"]),
        Paragraph(VERIFY_COMMAND, style["tiny"]),
    ]
    doc = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        title=f"{TITLE} {payload['number']}",
        author=payload["issuer"],
        subject=PAYLOAD_MARK + json.dumps(payload, ensure_ascii=True, sort_keys=True),
        invariant=1,
    )
    doc.build(story)


@dataclass(frozen=True)
class Verdict:
    valid: bool
    reasons: tuple[str, ...]
    payload: dict


def read_certificate(path: Path) -> tuple[dict, str | None]:
    """The payload of a certificate PDF (or its JSON), and the PDF's printed text."""
    try:
        if path.suffix.lower() == ".json":
            return json.loads(path.read_text(encoding="utf-8")), None
        from pypdf import PdfReader

        # pypdf logs what it repairs in a damaged file; the one-line error below says it
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(str(path))
        subject = (reader.metadata or {}).get("/Subject") or ""
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except FileNotFoundError:
        raise CertificateError(f"{path}: no such file") from None
    except Exception as error:  # a damaged file: say so, never a traceback
        raise CertificateError(f"{path}: not a readable certificate ({error})") from None
    if not str(subject).startswith(PAYLOAD_MARK):
        raise CertificateError(f"{path}: not a certificate written by `make certificate`")
    try:
        return json.loads(str(subject)[len(PAYLOAD_MARK) :]), text
    except json.JSONDecodeError:
        raise CertificateError(f"{path}: its certificate data is damaged") from None


def verify(
    con: duckdb.DuckDBPyConnection, snapshot: SnapshotInfo, payload: dict, text: str | None
) -> Verdict:
    """Valid when the payload gives its digest, the printed text shows its figures and
    the snapshot gives the same figures for the person and period."""
    reasons = []
    if payload_digest(payload) != payload.get("digest"):
        reasons.append("its contents do not give its digest: the certificate was altered")
    if text is not None:
        flat = re.sub(r"\s", "", text)
        missing = [s for s in printed_figures(payload) if re.sub(r"\s", "", s) not in flat]
        if missing:
            reasons.append(f"the printed certificate does not show {', '.join(missing)}")
    try:
        period = Period(payload["period"]["from"], payload["period"]["to"])
        recomputed = figures(con, payload["person_key"], period)
    except (KeyError, TypeError):
        reasons.append("its data is incomplete")
        return Verdict(False, tuple(reasons), payload)
    for field in ("sessions", "total_hours", "volunteer_service_hours", "by_type"):
        if recomputed[field] != payload.get(field):
            reasons.append(
                f"{field} is {_short(payload.get(field))} on the certificate but "
                f"{_short(recomputed[field])} in snapshot {snapshot.digest[:12]}"
            )
    return Verdict(not reasons, tuple(reasons), payload)


def _short(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(f"{v['code']} {v['sessions']}x {v['hours']} h" for v in value) or "none"
    return str(value)
