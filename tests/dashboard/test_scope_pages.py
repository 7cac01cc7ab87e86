"""Signed in through OIDC (``AppTest.user``), a reader gets exactly their scope on every
page: logged out, only the sign-in; a district reader (D02) nothing of D01 through any
page, filter, URL parameter or download; a unit reader only their branch; an email the
users file does not list, nothing. D01 is 城东协作区 with school 第一中学 and its branches
(tests/fixtures/valid/first_slice_inbox); their names must never reach a D02 reader.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.users import add_user
from tests.conftest import Warehouse
from tests.dashboard.pages import PAGES, TIMEOUT

SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "warehouse",
    "client_secret": "not-used-here",
    "server_metadata_url": "https://sso.example.org/.well-known/openid-configuration",
}
PAGE_NAMES = [
    "overview",
    "districts",
    "units",
    "people",
    "activities",
    "data_quality",
    "submissions",
    "exports",
]
D01_NAMES = ("城东协作区", "第一中学")


@pytest.fixture
def oidc_users(tmp_path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "users.yaml"
    add_user(path, "wang", "district", ["D02"], None, email="wang@jyj.example.gov.cn")
    add_user(path, "li", "unit", ["B011"], None, email="li@jyj.example.gov.cn")
    add_user(path, "zhou", "unit", ["S01"], None, email="zhou@jyj.example.gov.cn")
    add_user(path, "boss", "bureau", [], None, email="boss@jyj.example.gov.cn")
    monkeypatch.setenv("DASHBOARD_USERS", str(path))
    return path


def _run(first_slice: Warehouse, monkeypatch, page: str, user: dict, query=None) -> AppTest:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    at = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=TIMEOUT)
    at.secrets["auth"] = SECRETS
    at.user = user
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def _everything_shown(at: AppTest) -> str:
    """All the text a page put on screen: labels, values, tables, charts, options."""
    parts: list[str] = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error"):
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [f"{metric.label} {metric.value}" for metric in at.metric]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [json.dumps(chart.proto.spec, ensure_ascii=False) for chart in at.get("plotly_chart")]
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in getattr(at, kind):
            parts += [str(option) for option in widget.options]
    return "\n".join(parts)


def test_logged_out_only_the_sign_in(first_slice, oidc_users, monkeypatch) -> None:
    for page in PAGE_NAMES:
        at = _run(first_slice, monkeypatch, page, {"is_logged_in": False})
        assert at.metric.len == 0 and at.dataframe.len == 0, page
        assert [button.label for button in at.button] == ["登录"], page


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_a_district_reader_gets_nothing_of_another_district(
    first_slice,
    oidc_users,
    monkeypatch,
    downloads,
    page: str,
) -> None:
    user = {"is_logged_in": True, "email": "Wang@jyj.example.gov.cn"}
    query = {"district": ["D01"], "org": ["S01", "B011"]}  # a link made for D01
    at = _run(first_slice, monkeypatch, page, user, query)
    if page == "exports":  # make the files, then read every one of them
        at.button(key="exports.prepare").click().run()
        assert not at.exception, at.exception
        assert downloads, "the exports page offered no file"
    shown = _everything_shown(at)
    assert "城西协作区" in shown or page == "people"  # their own district is there
    for name in D01_NAMES:
        assert name not in shown, f"{page} shows {name}"
    for file_name, data in downloads.items():
        if file_name.endswith(".csv"):
            text = data.decode("utf-8")
            assert not [line for line in text.splitlines() if line.startswith("D01,")]
            assert all(name not in text for name in D01_NAMES), file_name


def test_a_unit_reader_sees_their_branch(first_slice, oidc_users, monkeypatch) -> None:
    user = {"is_logged_in": True, "email": "li@jyj.example.gov.cn"}
    at = _run(first_slice, monkeypatch, "overview", user)
    assert {metric.label: metric.value for metric in at.metric}["总时长(小时)"] == "7.50"


def test_a_school_reader_who_picks_a_branch_exports_that_branch(
    first_slice, oidc_users, monkeypatch, downloads
) -> None:
    # a reader of the school S01 may see its branches: the files for B011 are the ones
    # the bureau gets for B011 (its scope is not the branch's code, yet covers it)
    files = {}
    for email in ("zhou@jyj.example.gov.cn", "boss@jyj.example.gov.cn"):
        user = {"is_logged_in": True, "email": email}
        at = _run(first_slice, monkeypatch, "exports", user, {"org": ["B011"]})
        at.button(key="exports.prepare").click().run()
        assert not at.exception, at.exception
        (name,) = [n for n in downloads if n.startswith("organization_monthly_")]
        files[email] = downloads.pop(name).decode("utf-8").splitlines()
        downloads.clear()
    school, bureau = files.values()
    assert school == bureau
    rows = [line for line in school[1:] if line]
    assert rows and all(",B011," in line for line in rows), school


def test_the_bureau_sees_everything(first_slice, oidc_users, monkeypatch) -> None:
    user = {"is_logged_in": True, "email": "boss@jyj.example.gov.cn"}
    at = _run(first_slice, monkeypatch, "overview", user)
    assert {metric.label: metric.value for metric in at.metric}["总时长(小时)"] == "24.30"


def test_an_email_not_in_the_users_file_sees_nothing(first_slice, oidc_users, monkeypatch) -> None:
    user = {"is_logged_in": True, "email": "stranger@example.org"}
    at = _run(first_slice, monkeypatch, "overview", user)
    assert at.metric.len == 0
    # the email comes from the identity provider: Markdown-escaped, and a word joiner
    # (U+2060) after @ and before . so that it is not made a mailto: link
    assert [error.value for error in at.error] == [
        "账号 stranger\\@\u2060example\u2060\\.org 未获授权，请联系管理员将其加入用户文件。"
    ]


@pytest.mark.parametrize(
    ("email", "caption"),
    [
        # a district reader: their district, not "all districts"
        ("wang@jyj.example.gov.cn", "统计期间：2025年1月 – 2025年3月　区域：城西协作区"),
        # a unit reader: their branch (no district: they see none whole)
        (
            "li@jyj.example.gov.cn",
            "统计期间：2025年1月 – 2025年3月　单位：第一中学语文组党支部（B011）",
        ),
        ("boss@jyj.example.gov.cn", "统计期间：2025年1月 – 2025年3月　区域：全部区域"),
    ],
)
def test_the_caption_names_the_readers_scope(
    first_slice, oidc_users, monkeypatch, email: str, caption: str
) -> None:
    at = _run(first_slice, monkeypatch, "overview", {"is_logged_in": True, "email": email})
    assert at.caption[0].value == caption


def test_a_link_to_another_district_is_said_without_its_name(
    first_slice, oidc_users, monkeypatch
) -> None:
    user = {"is_logged_in": True, "email": "wang@jyj.example.gov.cn"}
    at = _run(first_slice, monkeypatch, "overview", user, {"district": ["D01"]})
    assert [w.value for w in at.warning if w.icon == ":material/link_off:"] == [
        "链接参数 district 的值 “D01” 不在数据或您的查看范围内，已忽略；改用：城西协作区。"
    ]
    assert at.caption[0].value == "统计期间：2025年1月 – 2025年3月　区域：城西协作区"
