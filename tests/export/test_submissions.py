"""``submissions.csv`` (报送情况) on the first-slice fixture, worked out by hand from
tests/fixtures/valid/first_slice_inbox (its README.md). The export's period is
2025-01..2025-03; the units are S01 (with its branches B011, B012; D01), O01 and S02
(D02). February 2025 is a break month: the seed's winter break runs to 2025-02-16, 16
of its 28 days.

- S01 2025-01: s01 lines 2-4 (B011, B011, B012) and s02 line 2 (B012, a duplicate of
  s01 line 4, landed all the same): 4 rows, none pending -> 已报送.
- S01 2025-02: loaded s01 lines 5 (B011) and 6 (B012, 待审核) and s02 line 3 (B012): 3
  rows, 1 pending; rejected s01 lines 7, 10 (2025-02-30 is still February), 12-18: 9
  rows -> 有退回. Lines 8 (no unit), 9 (no date) and 11 (1999-12-31, outside the grid)
  are in no unit's row.
- S01 2025-03: nothing (line 19's B099 is unknown; line 20 names 第二小学) -> 未报送.
- O01 2025-01: nothing -> 未报送; 2025-02: nothing in a break month -> 假期;
  2025-03: s01 lines 24-26, 1 pending (审核中, an unknown word) -> 已报送.
- S02 2025-01: s02 line 5 -> 1 row; 2025-02: s02 lines 4 and 6 (no status: approved)
  -> 2 rows; 2025-03: s01 lines 20-23 -> 4 rows; each 已报送.
"""

from __future__ import annotations

import csv
import io
import json

import duckdb

from export.district_monthly import Period
from export.submissions import COLUMNS, write_submissions
from export.tables import Tables
from tests.conftest import Warehouse


def _load_times(first_slice: Warehouse) -> dict[str, str]:
    rows = first_slice.query(
        "select source_file, strftime(loaded_at, '%Y-%m-%dT%H:%M:%SZ') from dq_file_loads"
    )
    return dict(rows)


def test_one_row_per_unit_and_month_with_its_status(first_slice: Warehouse) -> None:
    data = (first_slice.exports / "submissions.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert tuple(rows[0]) == COLUMNS
    times = _load_times(first_slice)
    s01, s02 = times["logs/s01_2025q1.csv"], times["logs/s02_2025q1_gb18030.csv"]
    both = [min(s01, s02), max(s01, s02)]
    assert rows[1:] == [
        ["D01", "城东协作区", "S01", "第一中学", "2025-01", "4", "0", "0", *both, "已报送"],
        ["D01", "城东协作区", "S01", "第一中学", "2025-02", "3", "9", "1", *both, "有退回"],
        ["D01", "城东协作区", "S01", "第一中学", "2025-03", "0", "0", "0", "", "", "未报送"],
        ["D02", "城西协作区", "O01", "教育局机关", "2025-01", "0", "0", "0", "", "", "未报送"],
        ["D02", "城西协作区", "O01", "教育局机关", "2025-02", "0", "0", "0", "", "", "假期"],
        ["D02", "城西协作区", "O01", "教育局机关", "2025-03", "3", "0", "1", s01, s01, "已报送"],
        ["D02", "城西协作区", "S02", "第二小学", "2025-01", "1", "0", "0", s02, s02, "已报送"],
        ["D02", "城西协作区", "S02", "第二小学", "2025-02", "2", "0", "0", s02, s02, "已报送"],
        ["D02", "城西协作区", "S02", "第二小学", "2025-03", "4", "0", "0", s01, s01, "已报送"],
    ]
    manifest = json.loads((first_slice.exports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["submissions.csv"]["rows"] == 9


def test_rejects_no_unit_and_month_holds_are_the_rest(first_slice: Warehouse) -> None:
    # s01's 12 rejected rows: 9 placed in S01 2025-02, lines 8, 9 and 11 in none
    [(placed, rejected)] = first_slice.query(
        "select (select sum(rows_rejected) from dq_submissions), "
        "(select sum(rows_rejected) from dq_file_loads where is_in_effect)"
    )
    assert (placed, rejected) == (9, 12)


def test_a_snapshot_without_the_mart_writes_no_file(tmp_path, caplog) -> None:
    con = duckdb.connect()  # a snapshot of an older release: no dq_submissions
    tables = Tables(Period("2025-01", "2025-03"), [], [], 0, 0)
    assert write_submissions(con, tables, tmp_path) == {}
    assert list(tmp_path.iterdir()) == []
    assert "run `make build` to add it" in caplog.text
