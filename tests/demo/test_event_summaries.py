"""The demo's event summaries (活动汇总): three schools, one file a month each, read back
without the generator.

What is checked by hand: DESIGN.md's event-summary headers in the three shapes the
module's docstring names; 24 months (2024-11..2026-10, ``demo.rhythm``) x 3 schools =
72 files; every headcount a whole number >= 1 and every person's hours in (0, 24]; each
row dated inside its file's month; each school one organization of organizations.csv,
in the zones D02, D05 and D08.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

from tests.demo.commands import SEED, SMALL, write_inbox
from tests.demo.readback import Inbox, activity_terms, read_seed

MONTHS = 24
WINDOW = [(2024, 11), (2024, 12), *[(y, m) for y in (2025, 2026) for m in range(1, 13)][:22]]
HEADERS = {
    ".csv code": ["组织编码", "活动日期", "活动类型", "活动名称", "参与人数", "总时长"],
    ".csv name": ["学校", "年份", "月份", "活动类型", "活动名称", "参与人数", "总时长"],
    ".xlsx": ["学校", "活动日期", "活动类型", "活动名称", "参与人数", "人均时长"],
}


def _rows(path: Path) -> tuple[list[str], list[list[object]]]:
    """The header and the data rows of one summary file, as written."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
        return [str(h) for h in rows[0]], rows[1:]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    return lines[0], [list(line) for line in lines[1:]]


def _files(root: Path) -> dict[str, list[Path]]:
    """Each school folder's files (``S017_未来路小学``), in name order."""
    folders = sorted(p for p in (root / "events").iterdir() if p.is_dir())
    return {folder.name: sorted(folder.iterdir()) for folder in folders}


def _month_of(path: Path) -> tuple[int, int]:
    stem = path.stem  # 2025年03月活动汇总
    return int(stem[:4]), int(stem[5:7])


def test_three_schools_send_one_file_a_month(small_dir: Path, small: Inbox) -> None:
    files = _files(small_dir)
    assert len(files) == 3
    organizations = {r["org_code"]: r for r in small.organizations}
    zones = set()
    for folder, paths in files.items():
        code, name = folder.split("_", 1)
        assert organizations[code]["org_name"] == name
        zones.add(organizations[code]["district_code"])
        # 2024-11 .. 2026-10, one file each
        assert [_month_of(p) for p in paths] == WINDOW
    assert zones == {"D02", "D05", "D08"}
    suffixes = Counter(p.suffix for paths in files.values() for p in paths)
    assert suffixes == {".csv": 2 * MONTHS, ".xlsx": MONTHS}


def test_each_school_writes_its_own_headers(small_dir: Path) -> None:
    seen = set()
    for paths in _files(small_dir).values():
        headers = {tuple(_rows(path)[0]) for path in paths}
        assert len(headers) == 1, "a school changed its headers between months"
        seen.add(headers.pop())
    assert seen == {tuple(h) for h in HEADERS.values()}


def test_the_rows_are_headcounts_with_hours_a_person_can_give(small_dir: Path) -> None:
    categories = {r["activity_type_code"]: r["category"] for r in read_seed("activity_types.csv")}
    terms = activity_terms()
    by_category: Counter[str] = Counter()
    for folder, paths in _files(small_dir).items():
        code, name = folder.split("_", 1)
        for path in paths:
            header, rows = _rows(path)
            year, month = _month_of(path)
            assert rows, f"{path.name} has no activity"
            for row in rows:
                cells = dict(zip(header, row, strict=True))
                assert cells.get("组织编码", cells.get("学校")) in (code, name)
                if "年份" in cells:
                    assert (int(cells["年份"]), int(cells["月份"])) == (year, month)
                else:
                    day = cells["活动日期"]
                    day = day.date() if isinstance(day, dt.datetime) else dt.date.fromisoformat(day)
                    assert (day.year, day.month) == (year, month)
                participants = int(cells["参与人数"])
                assert participants >= 1 and str(cells["参与人数"]) == str(participants)
                if "人均时长" in cells:
                    each = Decimal(str(cells["人均时长"]))
                else:
                    each = Decimal(str(cells["总时长"])) / participants
                assert 0 < each <= 24
                by_category[categories[terms[str(cells["活动类型"]).lower()]]] += 1
    # mostly volunteer services, some 党员活动日 (organizational life), nothing else
    assert set(by_category) == {"volunteer_service", "organizational_life"}
    assert by_category["volunteer_service"] > 2 * by_category["organizational_life"] > 0


def test_the_manifest_counts_the_rows_and_a_second_run_writes_as_many(
    small_dir: Path, tmp_path: Path
) -> None:
    def counted(root: Path) -> dict[str, int]:
        manifest = json.loads((root / ".demo_manifest.json").read_text(encoding="utf-8"))
        return {f["path"]: f["rows"] for f in manifest["files"] if f["kind"] == "events"}

    listed = counted(small_dir)
    read = {
        path.relative_to(small_dir).as_posix(): len(_rows(path)[1])
        for paths in _files(small_dir).values()
        for path in paths
    }
    assert listed == read
    manifest = json.loads((small_dir / ".demo_manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["event_summary_rows"] == sum(read.values())
    # the summaries do not depend on --rows: the same seed gives the same rows
    assert SMALL != 5_000
    assert counted(write_inbox(tmp_path / "again", 5_000, SEED)) == listed
