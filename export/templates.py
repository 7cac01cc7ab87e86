"""Collection templates (报送模板): one workbook per school or office and month, which
the unit fills in and sends back, and which ingest loads with no rejects.

``templates/<org_code>_<YYYY-MM>.xlsx``, for every organization of type school or
office in the published snapshot's ``dim_organizations`` (``unknown`` aside): a new
name each month, so this month's file never replaces last month's in the inbox.
Each workbook holds three sheets:

- **活动记录**, the data sheet: the activity log's canonical Chinese headers
  (``HEADERS``, each an alias ingest maps to the column named beside it), frozen;
  ``ROWS`` rows under it carry the columns' formats and data validation: 组织编码 a
  drop-down of the unit's own code and its branches' codes, 活动类型 a drop-down of
  the published activity types (``dim_activity_types.name_zh``; ``other`` and
  ``unknown`` left out), 活动日期 a date within the month (yyyy-mm-dd), 开始时间 and
  结束时间 times (hh:mm), 服务时长 a decimal from 0.01 to 24 (0.00), 状态 已认定 or
  待审核 (empty: approved). Input and error messages are in Chinese.
- **填表说明**: what to fill in and how, and an example row under headers ingest
  does not map (``示例-人员编号`` …), with the unit's codes beside their names under
  headers ingest does not map either, so nothing on it ever loads.
- **可选值**, hidden: the two drop-down lists, one value a row (an inline list is
  limited to 255 characters), under headers ingest does not map.

Ingest reads every sheet of a workbook and skips, without a warning, a sheet with
no recognisable header as long as another sheet has one (``ingest.excel``): a
filled template loads as one batch, ``<org_code>_<YYYY-MM>.xlsx``, from its data
sheet alone. An untouched template has a header and no rows: ingest reports it as
failed, "the file has a header but no rows of data; nothing was loaded", as any
file that loads nothing, and nothing earlier is replaced.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path

import duckdb

from export.district_monthly import BadArgument, ExportError
from export.parallel import built
from export.tables import Tables
from export.template_book import Unit, month_after, template_bytes
from kernel import seeds
from kernel.snapshot import SnapshotInfo

log = logging.getLogger(__name__)

FOLDER = "templates"
LEFT_OUT_TYPES = ("other", "unknown")
ORG_TYPES = ("school", "office")

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# -- months ---------------------------------------------------------------------------------


def check_month(month: str) -> str:
    """``month`` when it is YYYY-MM; BadArgument otherwise."""
    if not _MONTH.match(month or ""):
        raise BadArgument(f"MONTH={month!r} is not a month; write it as 2025-04")
    return month


def default_month(snapshot: SnapshotInfo) -> str:
    """The month after the month of the snapshot's data cut-off (``as_of``): a bureau
    that builds at the end of a month sends the coming month's templates."""
    return month_after(snapshot.as_of[:7])


# -- what the snapshot says -----------------------------------------------------------------


def units(con: duckdb.DuckDBPyConnection) -> list[Unit]:
    """Every school and office of the snapshot, by code, with its branches' codes."""
    rows = con.execute(
        "select org_code, org_name, org_type, parent_org_code from dim_organizations "
        "where org_type <> 'unknown' order by org_code"
    ).fetchall()
    kinds = {code: kind for code, _, kind, _ in rows}
    parents = {code: parent for code, _, _, parent in rows}
    names = {code: name or "" for code, name, _, _ in rows}

    def unit_of(code: str) -> str | None:
        """The nearest school or office at or above ``code``."""
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            if kinds.get(current) in ORG_TYPES:
                return current
            seen.add(current)
            current = parents.get(current)
        return None

    below: dict[str, list[str]] = {}
    for code, *_ in rows:
        owner = unit_of(code)
        if owner is not None and owner != code:
            below.setdefault(owner, []).append(code)
    found = []
    for code, name, kind, _ in rows:
        if kind in ORG_TYPES:
            codes = (code, *below.get(code, []))
            found.append(Unit(code, name or "", codes, tuple(names[c] for c in codes)))
    return found


def activity_type_names(con: duckdb.DuckDBPyConnection, order: Iterable[str] = ()) -> list[str]:
    """The published activity types' Chinese names, ``other`` and ``unknown`` left out:
    the codes of ``order`` (the seed's order) first, then the rest by code."""
    rank = {code: i for i, code in enumerate(order)}
    rows = con.execute(
        "select activity_type_code, name_zh from dim_activity_types "
        "where activity_type_code not in (?, ?) and name_zh is not null",
        list(LEFT_OUT_TYPES),
    ).fetchall()
    rows.sort(key=lambda row: (rank.get(row[0], len(rank)), row[0]))
    names: list[str] = []
    for _, name in rows:
        if name.strip() and name not in names:
            names.append(name)
    return names


# -- one workbook ---------------------------------------------------------------------------


# what a file name cannot hold on Windows or Linux, and control characters
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(unit: Unit, month: str) -> str:
    """``<org_code>_<YYYY-MM>.xlsx``; a character of the code a file name cannot hold
    (``/``, ``\\``, ``:`` …) written ``_``, and a leading dot too, so that a code never
    names a file outside the folder or a hidden one."""
    code = _UNSAFE.sub("_", unit.code)
    return f"_{code[1:]}_{month}.xlsx" if code.startswith(".") else f"{code}_{month}.xlsx"


# -- the folder -----------------------------------------------------------------------------


def write_templates(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    tables: Tables,
    stamp: str,
    side_by_side: bool = False,
) -> dict[str, dict]:
    """``make export``'s call: the templates for the month after the export's period,
    under ``folder/templates``, of the schools and offices its tables hold (all of
    them for ``make export``; the reader's own in the dashboard's download, whose
    tables are cut to the reader's units); their manifest entries, named by their path
    under ``folder`` (``templates/S01_2025-04.xlsx``). None without schools or offices.
    ``stamp``: the snapshot's ``as_of``, the workbooks' time (the same bytes each time).
    ``side_by_side``: the workbooks built in worker processes (``export.parallel``)."""
    month = month_after(tables.period.last)
    scope = {row.labels["org_code"] for row in tables.organizations}
    written = _write_into(con, folder / FOLDER, month, stamp, scope, side_by_side)
    return {f"{FOLDER}/{name}": entry for name, entry in written.items()}


def _write_into(
    con: duckdb.DuckDBPyConnection,
    target: Path,
    month: str,
    stamp: str,
    scope: set[str] | None = None,
    side_by_side: bool = False,
) -> dict[str, dict]:
    """The template for ``month`` of every unit (of those in ``scope``) in ``target``;
    file name -> manifest entry."""
    check_month(month)
    chosen = [unit for unit in units(con) if scope is None or unit.code in scope]
    if not chosen:
        return {}
    types = activity_type_names(con, seeds.activity_type_names())
    target.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    build = functools.partial(template_bytes, month=month, types=types, stamp=stamp)
    for unit, content in zip(chosen, built(build, chosen, side_by_side), strict=True):
        path = target / file_name(unit, month)
        path.write_bytes(content)
        files[path.name] = {"sha256": hashlib.sha256(content).hexdigest()}
    log.info("export: %s templates for %s written", len(files), month)
    return files


def publish_templates(
    con: duckdb.DuckDBPyConnection, snapshot: SnapshotInfo, out: Path, month: str | None
) -> tuple[Path, dict]:
    """``make templates``: every template under ``out/templates``, published there in one
    atomic switch (``export.folder``, as an export is: the folder is replaced whole, its
    previous version kept until the next run) with a ``manifest.json`` of its own (the
    month, the snapshot's ``as_of`` and digest, the files). Nothing else in ``out`` is
    touched. Returns the published folder and its manifest."""
    from export.folder import MANIFEST, check_out, published_path, publishing

    month = check_month(month) if month else default_month(snapshot)
    if not units(con):
        raise ExportError(
            "the snapshot holds no school or office (dim_organizations): load the "
            "organizations file and run make build first"
        )
    target = published_path(out / FOLDER)
    if target.is_dir() and not target.is_symlink() and (target.parent / MANIFEST).is_file():
        raise ExportError(
            f"OUT={out} is an export's folder, and its {FOLDER}/ are the export's own "
            "(make export writes them, for the month after its period); give make "
            "templates another OUT, e.g. outbox"
        )
    check_out(target)
    with publishing(target) as work:
        files = _write_into(con, work, month, snapshot.as_of, side_by_side=True)
        manifest = {
            "month": month,
            "as_of": snapshot.as_of,
            "digest": snapshot.digest,
            "files": files,
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (work / MANIFEST).write_text(text, encoding="utf-8")
    return target, manifest
