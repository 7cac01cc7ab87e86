"""The files of a download for a reader narrower than the bureau hold only figures of
their scope: the PDFs' data-quality notes keep the district's own (pending sessions,
people missing from the roster) and leave out what belongs to files (rejected rows,
unknown organizations), with a line that refers the reader to the bureau.

First-slice inbox (tests/fixtures/valid/first_slice_inbox): s01_2025q1.csv lines 7-18
are rejected, one per reason code, so the bureau's total is 12 rows. D02's own notes:
O01's 审核中 session on 2025-03-17 (1 h, pending) and 路人甲, not on the roster, at S02
on 2025-03-12. The unknown organization is B099 (s01 line 19, 2 h, T002).
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from export.bundle import build_bundle
from kernel.paths import warehouse_paths
from kernel.snapshot import SnapshotInfo, connect_current
from tests.conftest import Warehouse

pytestmark = pytest.mark.integration

REFER_TO_BUREAU = "按文件统计的数据质量情况（如格式错误的行）只提供给教育局，请向教育局查询。"
BUREAU_REJECTS = "全部导入文件中共有 12 行因格式错误被拒收，未计入统计（详见数据质量报告）。"
PENDING = "待审核或状态不明的活动 1 条（1.00 小时），未计入上述任何数字。"
NOT_ON_ROSTER = "不在花名册上的人员参加活动 1 人次：计入时长和人次，不计入参与率；请补报花名册。"
UNKNOWN_ORGS = "1 个组织编码或名称无法识别（1 人次），计入“未归属区域”；请在组织名单中补充。"


@pytest.fixture(scope="module")
def snapshot(first_slice: Warehouse) -> Iterator[tuple[duckdb.DuckDBPyConnection, SnapshotInfo]]:
    con, info = connect_current(warehouse_paths(first_slice.root))
    yield con, info
    con.close()


def _notes(pdf: bytes, tmp_path: Path) -> list[str]:
    """The bullet lines of a report's data-quality section, white space removed (and
    the page footers, which a page break may put between two of them)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    section = text.split("五、数据质量说明", 1)[1]
    lines = [
        line
        for line in section.splitlines()
        if not re.search(r"第 \d+ 页$|^数据截至 \d|^快照摘要 [0-9a-f]{64}$", line)
    ]
    return [_flat(note) for note in "".join(lines).split("•")[1:]]


def _flat(note: str) -> str:
    return re.sub(r"\s+", "", note)


def test_a_district_reader_gets_no_bureau_wide_reject_count(
    snapshot: tuple[duckdb.DuckDBPyConnection, SnapshotInfo], tmp_path: Path
) -> None:
    con, info = snapshot
    bundle = build_bundle(con, info, "2025-01", "2025-03", districts=["D02"], bureau=False)
    assert sorted(name for name in bundle if name.startswith("reports/")) == ["reports/D02.pdf"]
    notes = _notes(bundle["reports/D02.pdf"], tmp_path)
    assert notes == [
        _flat(PENDING),
        _flat(NOT_ON_ROSTER),
        _flat(REFER_TO_BUREAU),
    ]
    text = "".join(notes)
    assert "12行" not in text and "拒收" not in text
    # the rest of the download holds D02's figures only: nothing else counts files
    manifest = json.loads(bundle["manifest.json"])
    assert sorted(manifest) == [
        "as_of",
        "digest",
        "files",
        "months_without_activity",
        "period",
        "scope",
        "suppression",
    ]
    lines = bundle["district_monthly.csv"].decode("utf-8").splitlines()[1:]
    assert {line.split(",")[0] for line in lines} == {"D02"}
    # the collection templates of D02's school and office only (S01 is D01's)
    assert sorted(name for name in bundle if name.startswith("templates/")) == [
        "templates/O01_2025-04.xlsx",
        "templates/S02_2025-04.xlsx",
    ]


def test_the_bureau_still_gets_the_files_figures(
    snapshot: tuple[duckdb.DuckDBPyConnection, SnapshotInfo], tmp_path: Path
) -> None:
    con, info = snapshot
    bundle = build_bundle(con, info, "2025-01", "2025-03", districts=["D02"], bureau=True)
    notes = _notes(bundle["reports/D02.pdf"], tmp_path)
    assert notes == [
        _flat(PENDING),
        _flat(NOT_ON_ROSTER),
        _flat(BUREAU_REJECTS),
    ]


@pytest.mark.parametrize(
    ("bureau", "expected"),
    [(True, [UNKNOWN_ORGS, BUREAU_REJECTS]), (False, [REFER_TO_BUREAU])],
)
def test_unknown_organizations_are_a_file_figure_too(
    snapshot: tuple[duckdb.DuckDBPyConnection, SnapshotInfo],
    tmp_path: Path,
    bureau: bool,
    expected: list[str],
) -> None:
    # a reader given the district `unknown` (a users file may list it) gets its
    # sessions' figures, but the list of labels nobody could match is the bureau's
    con, info = snapshot
    bundle = build_bundle(con, info, "2025-03", "2025-03", districts=["unknown"], bureau=bureau)
    notes = _notes(bundle["reports/unknown.pdf"], tmp_path)
    # (in March nothing of `unknown` is pending, and T002 is on the roster)
    assert notes == [_flat(note) for note in expected]


def test_the_ranking_holds_only_the_units_chosen(
    snapshot: tuple[duckdb.DuckDBPyConnection, SnapshotInfo], tmp_path: Path
) -> None:
    # D02's units are S02 (第二小学) and O01 (教育局机关); the report compares March with
    # February, which the download's period (March) does not hold, so its tables are
    # built again for the two months: with the units chosen, not the whole district
    con, info = snapshot
    bundle = build_bundle(
        con, info, "2025-03", "2025-03", districts=["D02"], organizations=["S02"], bureau=False
    )
    path = tmp_path / "D02.pdf"
    path.write_bytes(bundle["reports/D02.pdf"])
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    ranking = text.split("三、各单位排名", 1)[1].split("四、", 1)[0]
    assert re.sub(r"\s+", " ", ranking).count(" 第二小学 ") == 1
    assert "教育局机关" not in ranking
