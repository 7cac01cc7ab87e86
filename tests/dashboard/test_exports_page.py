"""The 导出 page under AppTest on the first-slice warehouse: its download buttons hold
the same files as `make export`, cut to the filters chosen."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.users import add_user
from tests.conftest import REPO, Warehouse
from tests.test_pipeline import EXPECTED_CSV

pytestmark = pytest.mark.integration

PAGE = REPO / "dashboard" / "pages" / "exports.py"
OIDC = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "warehouse",
    "client_secret": "not-used-here",
    "server_metadata_url": "https://sso.example.org/.well-known/openid-configuration",
}


def _run(first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    monkeypatch.setenv("DASHBOARD_OPEN", "1")  # no users file here: open demo mode, asked for
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    # the files are made only when asked for: no download before the button
    assert at.download_button.len == 0
    at.button(key="exports.prepare").click().run()
    assert not at.exception, at.exception
    return at


def test_the_page_offers_the_export_files(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch, downloads: dict[str, bytes]
) -> None:
    at = _run(first_slice, monkeypatch)
    assert at.title[0].value == "导出报表"
    assert [b.label for b in at.download_button] == [
        "区域月度统计 CSV",
        "单位月度统计 CSV",
        "统计工作簿 Excel",
        "清单 manifest.json",
        "全部文件（ZIP）",
        "下载 城东协作区 月报",
    ]
    period = "2025-01_2025-03"  # the filters open on every month with a session
    assert sorted(downloads) == sorted(
        [
            f"district_monthly_{period}.csv",
            f"organization_monthly_{period}.csv",
            f"district_stats_{period}.xlsx",
            f"manifest_{period}.json",
            f"exports_{period}.zip",
            "D01_2025-03.pdf",
        ]
    )
    # the same bytes as `make export` for the same period (hand-checked in test_pipeline
    # and tests/export/test_exports.py)
    assert downloads[f"district_monthly_{period}.csv"] == EXPECTED_CSV.encode("utf-8")
    assert (
        downloads[f"organization_monthly_{period}.csv"]
        == (first_slice.exports / "organization_monthly.csv").read_bytes()
    )
    book = openpyxl.load_workbook(io.BytesIO(downloads[f"district_stats_{period}.xlsx"]))
    assert book.sheetnames == [
        "汇总",
        "D01 城东协作区",
        "D02 城西协作区",
        "D03 高新协作区",
        "unknown 未归属区域",
    ]
    archive = zipfile.ZipFile(io.BytesIO(downloads[f"exports_{period}.zip"]))
    assert sorted(archive.namelist()) == [
        "district_monthly.csv",
        "district_stats.xlsx",
        "manifest.json",
        "organization_monthly.csv",
        "reports/D01.pdf",
        "reports/D02.pdf",
        "reports/D03.pdf",
        "reports/unknown.pdf",
        "submissions.csv",
        # the month after the period, for the bureau reader's every school and office
        "templates/O01_2025-04.xlsx",
        "templates/S01_2025-04.xlsx",
        "templates/S02_2025-04.xlsx",
    ]
    assert downloads["D01_2025-03.pdf"] == archive.read("reports/D01.pdf")
    assert downloads["D01_2025-03.pdf"].startswith(b"%PDF-")


def test_the_files_follow_the_district_filter(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch, downloads: dict[str, bytes]
) -> None:
    at = _run(first_slice, monkeypatch)
    at.sidebar.multiselect[0].set_value(["D02"]).run()
    assert not at.exception, at.exception
    period = "2025-01_2025-03"
    lines = downloads[f"district_monthly_{period}.csv"].decode("utf-8").splitlines()
    expected = EXPECTED_CSV.splitlines()
    assert lines == [expected[0]] + [line for line in expected if line.startswith("D02,")]
    units = downloads[f"organization_monthly_{period}.csv"].decode("utf-8").splitlines()
    assert {line.split(",")[2] for line in units[1:]} == {"O01", "S02"}
    # submission status too: D02's units only, each month of the period
    archive = zipfile.ZipFile(io.BytesIO(downloads[f"exports_{period}.zip"]))
    status = archive.read("submissions.csv").decode("utf-8").splitlines()
    assert [line.split(",")[2] for line in status[1:]] == ["O01"] * 3 + ["S02"] * 3
    assert at.selectbox(key="exports.report").options == ["城西协作区"]
    assert at.download_button[-1].label == "下载 城西协作区 月报"


def test_suppression_can_be_switched_off(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch, downloads: dict[str, bytes]
) -> None:
    at = _run(first_slice, monkeypatch)
    at.selectbox(key="exports.suppress").set_value(0).run()
    assert not at.exception, at.exception
    units = downloads["organization_monthly_2025-01_2025-03.csv"].decode("utf-8")
    assert "*" not in units
    # S02 in March, by hand: 2 on the roster, both active, 4 volunteers (tests/export);
    # s01 20-23 are 4 activities of their own, no event summary
    assert (
        "D02,城西协作区,S02,第二小学,school,,2025-03,2,2,1.0000,4,4,5.25,4.25,1.31,1.0000,"
        "4,0,4,0,0.00"
    ) in units.splitlines()


# --- what the files say about the data ------------------


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", text)


def test_a_district_readers_report_holds_no_bureau_wide_figure(
    first_slice: Warehouse,
    monkeypatch: pytest.MonkeyPatch,
    downloads: dict[str, bytes],
    tmp_path: Path,
) -> None:
    users = tmp_path / "users.yaml"
    add_user(users, "wang", "district", ["D02"], None, email="wang@jyj.example.gov.cn")
    monkeypatch.setenv("DASHBOARD_USERS", str(users))
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.secrets["auth"] = OIDC
    at.user = {"is_logged_in": True, "email": "wang@jyj.example.gov.cn"}
    at.run()
    at.button(key="exports.prepare").click().run()
    assert not at.exception, at.exception
    text = _pdf_text(downloads["D02_2025-03.pdf"], tmp_path)
    # the bureau's 12 rejected rows (s01_2025q1.csv lines 7-18) are not D02's figure
    assert "12行" not in text and "拒收" not in text
    assert "按文件统计的数据质量情况（如格式错误的行）只提供给教育局，请向教育局查询。" in text
    # D02's own notes stay: O01's pending session (1 h) and 路人甲, not on the roster
    assert "待审核或状态不明的活动1条（1.00小时），未计入上述任何数字。" in text
    assert "不在花名册上的人员参加活动1人次" in text


def test_months_past_the_latest_activity_are_warned_of(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch, downloads: dict[str, bytes]
) -> None:
    # the filters offer the months up to the last with an approved session (2025-03 in
    # the first slice); a page offered more (as a period picker up to the data cut-off
    # would be) must say which months are zeros only because nothing was loaded yet
    from dashboard import queries

    months = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]
    monkeypatch.setattr(queries, "available_months", lambda snapshot: months)
    at = _run(first_slice, monkeypatch)
    assert [w.value for w in at.warning if "活动记录" in w.value] == [
        "2025年4月、2025年5月在当前快照中还没有任何已认定的活动记录，这些月份的数字均为 0；"
        "导入这些月份的活动数据并重新构建后，数字会相应变化。文件中也注明了这一点。"
    ]
    manifest = json.loads(downloads["manifest_2025-01_2025-05.json"])
    assert manifest["months_without_activity"] == ["2025-04", "2025-05"]
    # the period the filters open on (January to March) has no such warning
    monkeypatch.undo()
    at = _run(first_slice, monkeypatch)
    assert [w.value for w in at.warning if "活动记录" in w.value] == []


NO_DATA = {
    "zh": "当前快照中还没有已认定的活动记录。",
    "en": "The current snapshot holds no approved sessions yet.",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("warehouse", ["reference_only", "empty_lake"])
def test_a_snapshot_without_activity_has_no_data_to_export(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, warehouse: str, lang: str
) -> None:
    root = request.getfixturevalue(warehouse).root
    monkeypatch.setenv("WAREHOUSE_DIR", str(root))
    monkeypatch.setenv("DASHBOARD_OPEN", "1")  # no users file here: open demo mode, asked for
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [NO_DATA[lang]]
    assert at.button.len == 0 and at.download_button.len == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_snapshot_without_activity_says_so_whatever_months_are_offered(
    reference_only: Warehouse, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    # the roster alone gives every month rows of zeros: offered such months (as the test
    # above does for activity), the page must still say there is nothing to export
    from dashboard import queries

    monkeypatch.setattr(queries, "available_months", lambda snapshot: ["2025-01", "2025-02"])
    monkeypatch.setenv("WAREHOUSE_DIR", str(reference_only.root))
    monkeypatch.setenv("DASHBOARD_OPEN", "1")  # no users file here: open demo mode, asked for
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.button(key="exports.prepare").click().run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [NO_DATA[lang]]
    assert at.download_button.len == 0
