"""Shared helpers for the ingest tests: a warehouse in ``tmp_path``, CSV writers, lake readers.

Every test gets its own warehouse and inbox under ``tmp_path`` and a fixed secret,
so keys are deterministic and no test sees another's files. Helpers are handed out
through the ``warehouse`` fixture (``tests/ingest`` is not a package, so a test
module cannot import this file).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingest.loader import FileResult, load_inbox
from kernel.paths import warehouse_paths

SECRET = b"test-secret"
TODAY = dt.date(2026, 1, 1)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# The activity-log header every row-level test writes: each canonical column that a
# reason can name, under a Chinese alias (so reason_column shows the file's header).
ACTIVITY_HEADERS = [
    "人员编号",
    "身份证号",
    "手机号",
    "姓名",
    "组织编码",
    "单位",
    "日期",
    "开始时间",
    "结束时间",
    "时长",
    "活动类型",
    "状态",
]

# One row that loads: 2 hours of 党员活动日 on 2025-03-05, approved.
VALID_ACTIVITY = {
    "人员编号": "T001",
    "身份证号": "",
    "手机号": "",
    "姓名": "张三",
    "组织编码": "S01",
    "单位": "第一中学",
    "日期": "2025-03-05",
    "开始时间": "",
    "结束时间": "",
    "时长": "2",
    "活动类型": "党员活动日",
    "状态": "已认定",
}


def activity_row(changes: dict[str, str] | None = None) -> dict[str, str]:
    """The valid activity row with some cells changed (keys are header names)."""
    row = dict(VALID_ACTIVITY)
    for header, value in (changes or {}).items():
        assert header in row, f"unknown header {header}"
        row[header] = value
    return row


def write_csv(
    path: Path,
    headers: list[str],
    rows: list[dict[str, str]] | list[list[str]],
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """A CSV with a header line and one line per row (LF line ends)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row[h] for h in headers] if isinstance(row, dict) else row)
    return path


def _fetch_dicts(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    con = duckdb.connect()
    try:
        cursor = con.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


class Warehouse:
    """A warehouse folder and its inbox, with ways to load and to read what landed."""

    secret = SECRET
    today = TODAY
    activity_headers = ACTIVITY_HEADERS

    def __init__(self, root: Path) -> None:
        self.root = root
        self.paths = warehouse_paths(root / "warehouse")
        self.inbox = root / "inbox"
        self.inbox.mkdir(parents=True, exist_ok=True)

    activity_row = staticmethod(activity_row)

    def write(
        self,
        name: str,
        headers: list[str],
        rows: list[dict[str, str]] | list[list[str]],
        encoding: str = "utf-8",
        delimiter: str = ",",
    ) -> Path:
        return write_csv(self.inbox / name, headers, rows, encoding, delimiter)

    def write_activity(self, rows: list[dict[str, str]], name: str = "activity.csv") -> Path:
        return self.write(name, ACTIVITY_HEADERS, rows)

    def copy_fixture(self, relative: str, name: str | None = None) -> Path:
        source = FIXTURES / relative
        target = self.inbox / (name or source.name)
        shutil.copyfile(source, target)
        return target

    def load(self, append: bool = False) -> list[FileResult]:
        return load_inbox(self.paths, self.inbox, append=append, today=TODAY)

    def load_one(self, append: bool = False) -> FileResult:
        results = self.load(append=append)
        assert len(results) == 1, results
        return results[0]

    def rows(self, kind: str, batch_id: str) -> list[dict[str, Any]]:
        """The loaded rows of one batch, in file order."""
        path = self.paths.kind_dir(kind) / f"{batch_id}.parquet"
        return _fetch_dicts("select * from read_parquet(?) order by source_line", [str(path)])

    def rejects(self, batch_id: str) -> list[dict[str, Any]]:
        """The rejected rows of one batch, in file order, raw_values decoded."""
        path = self.paths.kind_dir("rejects") / f"{batch_id}.parquet"
        rows = _fetch_dicts("select * from read_parquet(?) order by source_line", [str(path)])
        for row in rows:
            row["raw_values"] = json.loads(row["raw_values"])
        return rows

    def manifest(self) -> list[dict[str, Any]]:
        text = self.paths.manifest.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def load_activity(self, changes: dict[str, str] | None = None) -> FileResult:
        """Load a one-row activity file (the valid row with ``changes``)."""
        self.write_activity([activity_row(changes)])
        return self.load_one()

    def only_row(self, changes: dict[str, str] | None = None) -> dict[str, Any]:
        """The landed row of a one-row activity file that must load."""
        result = self.load_activity(changes)
        assert (result.outcome, result.rows_loaded, result.rows_rejected) == ("loaded", 1, 0), (
            result,
            self.rejects(result.batch_id),
        )
        (row,) = self.rows("activity", result.batch_id)
        return row

    def only_reject(self, changes: dict[str, str] | None = None) -> dict[str, Any]:
        """The reject of a row that must be rejected (line 2), followed by the valid row
        (line 3: a file that loads no row fails as a whole, and lands nothing)."""
        self.write_activity([activity_row(changes), activity_row()])
        result = self.load_one()
        assert (result.outcome, result.rows_loaded, result.rows_rejected) == ("loaded", 1, 1), (
            result
        )
        (row,) = self.rejects(result.batch_id)
        return row


@pytest.fixture(autouse=True)
def _fixed_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAREHOUSE_SECRET", SECRET.decode())
    monkeypatch.delenv("WAREHOUSE_DIR", raising=False)


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path)
