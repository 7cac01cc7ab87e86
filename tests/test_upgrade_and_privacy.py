"""A warehouse the last release wrote keeps working, and no personal number stays in clear.

``tests/fixtures/valid/release_b9a0288`` holds the lake, dbt database and snapshot that
release b9a0288 wrote; its reject messages quoted an ID number and a phone number in
clear. This module upgrades it the way a user would (``python -m ingest``, then
``python -m publish``, then ``python -m export``) while loading hostile files: an ID
number (410105199001011065) and a phone number (13981234504) in every column of every
kind, a phone number written with spaces and with dashes, and a CSV row with a cell more
than its header. Then it checks that:

- the old rejects read in today's format, with their messages written when shown;
- the old snapshot was rewritten without the numbers and keeps its digest;
- the extra cell is rejected and the build still publishes;
- neither number is anywhere under the warehouse or the exports, in any file (Parquet
  and DuckDB files read through DuckDB, workbooks unzipped, PDFs as text), nor in
  anything the commands printed.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from tests.conftest import file_texts

REPO = Path(__file__).resolve().parent.parent
RELEASE = REPO / "tests" / "fixtures" / "valid" / "release_b9a0288"
SECRET = "release-fixture-secret"  # the secret the release's lake was keyed with
OLD_SNAPSHOT = "20261205T090254876243-0ac65d69ab66.duckdb"
OLD_DIGEST = "0ac65d69ab660e91809ea89c1b0de0abf0cef299eaad8172ef1347b6b8b41fcf"

ID_NUMBER = "410105199001011065"
PHONE = "13981234504"
# how the hostile files also write the phone: the digits must not survive either
SPACED, DASHED = "139 8123 4504", "139-8123-4504"
NEEDLES = (ID_NUMBER, PHONE, SPACED, DASHED)

ACTIVITY = {
    "人员编号": "H001",
    "身份证号": "",
    "手机号": "",
    "姓名": "韩梅",
    "组织编码": "S01",
    "组织名称": "",
    "活动日期": "2025-03-05",
    "开始时间": "",
    "结束时间": "",
    "服务时长": "2",
    "活动类型": "党员活动日",
    "活动名称": "主题党日",
    "服务地点": "学校",
    "报到社区": "幸福社区",
    "审核状态": "已认定",
}
PEOPLE = {
    "人员编号": "H101",
    "姓名": "李雷",
    "性别": "男",
    "人员类别": "党员",
    "职务": "教师",
    "组织编码": "S01",
    "加入日期": "2020-09-01",
    "离开日期": "",
    "身份证号": "",
    "手机号": "",
    "生效日期": "",
}
ORGANIZATIONS = {
    "组织编码": "X00",
    "组织名称": "某校",
    "组织类型": "学校",
    "上级组织编码": "",
    "区域编码": "D01",
    "示范点": "否",
}
DISTRICTS = {"区域编码": "DX0", "区域名称": "某学区", "区域类型": "学区"}


def _hostile_rows(base: dict[str, str], key: str | None) -> list[list[str]]:
    """The base row with each column in turn holding the ID number, then the phone
    number (and, for ``key``, a code of its own on every row, so rows stay distinct)."""
    rows = []
    for i, column in enumerate(base):
        for j, number in enumerate((ID_NUMBER, PHONE)):
            row = dict(base)
            if key is not None and column != key:
                row[key] = f"{base[key][:-1]}{2 * i + j + 1}"
            row[column] = number
            rows.append(list(row.values()))
    return rows


def _write(path: Path, headers: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


def _hostile_inbox(inbox: Path) -> None:
    activity = _hostile_rows(ACTIVITY, None)
    spaced = dict(ACTIVITY, 活动名称=f"联系 {SPACED}", 服务地点=f"电话{DASHED}")
    extra = [*ACTIVITY.values(), ID_NUMBER]  # line 34: one cell more than the header
    _write(inbox / "hostile/activity.csv", list(ACTIVITY), [*activity, list(spaced.values())])
    with (inbox / "hostile/activity.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(extra)
    _write(inbox / "hostile/people.csv", list(PEOPLE), _hostile_rows(PEOPLE, "人员编号"))
    _write(
        inbox / "hostile/organizations.csv",
        list(ORGANIZATIONS),
        _hostile_rows(ORGANIZATIONS, "组织编码"),
    )
    _write(inbox / "hostile/districts.csv", list(DISTRICTS), _hostile_rows(DISTRICTS, "区域编码"))
    book = openpyxl.Workbook()
    book.active.append(list(ACTIVITY))
    for column in ("姓名", "活动名称", "服务时长"):
        row = dict(ACTIVITY, 人员编号="H002")
        row[column] = int(PHONE)  # a number cell, as Excel keeps a typed phone number
        book.active.append(list(row.values()))
    book.save(inbox / "hostile/activity.xlsx")


class Upgraded:
    """The release's warehouse after today's ingest, build and export."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.root = tmp / "warehouse"
        self.inbox = tmp / "inbox"
        self.exports = tmp / "exports"
        self.root.mkdir()
        with tarfile.open(RELEASE / "warehouse.tar.xz") as archive:
            archive.extractall(self.root, filter="data")
        shutil.copytree(RELEASE / "inbox", self.inbox)
        _hostile_inbox(self.inbox)
        self.env = {**os.environ, "WAREHOUSE_DIR": str(self.root), "WAREHOUSE_SECRET": SECRET}
        for name in ("FROM", "TO", "OUT", "AS_OF", "DASHBOARD_USERS"):
            self.env.pop(name, None)
        self.printed: list[str] = []

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
        )
        self.printed += [result.stdout, result.stderr]
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    def snapshot(self, name: str) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.root / "snapshots" / name), read_only=True)

    def current(self) -> str:
        return (self.root / "snapshots" / "CURRENT").read_text().strip()


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory: pytest.TempPathFactory) -> Upgraded:
    warehouse = Upgraded(tmp_path_factory.mktemp("upgrade"))
    warehouse.ingest = warehouse.run("ingest", "--inbox", str(warehouse.inbox), "--json")
    warehouse.build = warehouse.run("publish")
    warehouse.export = warehouse.run("export", "--out", str(warehouse.exports))
    for lang in ("zh", "en"):
        warehouse.run("ingest", "rejects", "--lang", lang)
    return warehouse


def test_the_old_rejects_read_in_todays_format(upgraded: Upgraded) -> None:
    result = upgraded.run(
        "ingest", "rejects", "--file", "logs/s03_leaky.csv", "--json", "--lang", "en"
    )

    assert json.loads(result.stdout) == [
        {
            "file": "logs/s03_leaky.csv",
            "line": 2,
            "reason": "bad_date",
            "message": "column 活动日期: '410****1065' is not a real date; write it as 2025-03-05",
        },
        {
            "file": "logs/s03_leaky.csv",
            "line": 3,
            "reason": "hours_out_of_range",
            "message": "column 服务时长: '139****4504' is out of range: a session lasts more "
            "than 0 and at most 24 hours (1,440 minutes); in an event summary, each "
            "participant's hours",
        },
    ]
    assert (upgraded.root / "lake" / "FORMAT").read_text() == "2\n"
    # the release's 6 batches and the 5 hostile files', a data and a rejects file each
    assert upgraded.run("ingest", "status", "--verify").stdout == (
        "all 22 batch files match the manifest\n"
    )


def test_the_old_snapshot_is_rewritten_and_keeps_its_digest(upgraded: Upgraded) -> None:
    con = upgraded.snapshot(OLD_SNAPSHOT)
    rows = con.execute(
        "select reason_code, example_lines, example_columns, example_values "
        "from dq_rejects_by_reason where source_file = 'logs/s03_leaky.csv' order by all"
    ).fetchall()
    digest = con.execute("select digest from _snapshot").fetchall()

    assert rows == [
        ("bad_date", [2], ["活动日期"], ["410****1065"]),
        ("hours_out_of_range", [3], ["服务时长"], ["139****4504"]),
    ]
    assert digest == [(OLD_DIGEST,)]


def test_the_old_dbt_database_is_rebuilt_in_full(upgraded: Upgraded) -> None:
    said = upgraded.build.stderr.splitlines()
    assert said[:2] == [
        "migrated: deleted the dbt database of an older format; the next build is full",
        f"migrated: rewrote snapshot {OLD_SNAPSHOT} without reject messages",
    ]
    assert "full refresh of the session facts (first build)" in said


def test_a_row_with_an_extra_cell_never_stops_publication(upgraded: Upgraded) -> None:
    assert upgraded.current() != OLD_SNAPSHOT
    rows = upgraded.snapshot(upgraded.current()).execute(
        "select example_lines, example_columns, example_values from dq_rejects_by_reason "
        "where source_file = 'hostile/activity.csv' and reason_code = 'extra_cells'"
    )
    # 30 rows of numbers in every column, one with spaces and dashes, then the extra cell
    assert rows.fetchall() == [([33], ["column 16"], ["410****1065"])]


def test_no_personal_number_is_anywhere_the_project_writes(upgraded: Upgraded) -> None:
    files = [p for p in upgraded.tmp.rglob("*") if p.is_file() and "inbox" not in p.parts]
    assert any(p.suffix == ".pdf" for p in files) and any(p.suffix == ".xlsx" for p in files)
    assert any(p.parent.name == "templates" for p in files)  # the collection templates too
    # the returns to schools (退回清单) too: the extra cell holds the ID number
    assert "hostile__activity.csv.xlsx" in {p.name for p in files if "returns" in p.parts}
    hits = {
        (path.relative_to(upgraded.tmp).as_posix(), needle)
        for path in files
        for text in file_texts(path)
        for needle in NEEDLES
        if needle in text
    }
    assert sorted(hits) == []
    assert [needle for needle in NEEDLES if any(needle in t for t in upgraded.printed)] == []
