"""Who sees what: sign-in with the users file, roles scoping every query (and the
exports), open demo mode without one, and OIDC when secrets.toml configures it.

Figures are the first-slice warehouse's, worked out by hand in tests/test_pipeline.py
and tests/dashboard/test_districts_page.py: D02 has 12.25 h from 5 volunteers and 3 of
its 3 roster members (at S02 and O01) all active; branch B011 has 7.50 h; the whole
bureau 24.30 h.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.users import add_user
from tests.conftest import Warehouse
from tests.dashboard.pages import PAGES, TIMEOUT
from tests.dashboard.test_exports_page import EXPECTED_CSV

PASSWORD = "s3cret-password"


@pytest.fixture
def users(tmp_path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "users.yaml"
    add_user(path, "wang", "district", ["D02"], PASSWORD, "王主任")
    add_user(path, "li", "unit", ["B011"], PASSWORD, "李书记")
    add_user(path, "boss", "bureau", [], PASSWORD, "局长")
    monkeypatch.setenv("DASHBOARD_USERS", str(path))
    return path


def _page(first_slice: Warehouse, monkeypatch, page: str = "overview") -> AppTest:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    at = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    return at


def _sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="auth.username").input(username)
    at.text_input(key="auth.password").input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def _tiles(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_without_sign_in_a_page_shows_no_figure(first_slice, users, monkeypatch) -> None:
    at = _page(first_slice, monkeypatch)
    assert at.metric.len == 0
    assert [field.label for field in at.text_input] == ["User name", "Password"]


def test_a_wrong_password_is_refused_without_saying_which(first_slice, users, monkeypatch) -> None:
    at = _sign_in(_page(first_slice, monkeypatch), "wang", "not-the-password")
    assert at.metric.len == 0
    assert [error.value for error in at.error] == ["The user name or the password is not right."]
    at = _sign_in(at, "nobody", PASSWORD)
    assert [error.value for error in at.error] == ["The user name or the password is not right."]


def test_a_district_reader_sees_only_their_district(first_slice, users, monkeypatch) -> None:
    at = _sign_in(_page(first_slice, monkeypatch), "wang", PASSWORD)
    tiles = _tiles(at)
    assert (tiles["Total hours"], tiles["Volunteers"], tiles["Participation rate"]) == (
        "12.25",
        "5",
        "100.0%",
    )
    assert at.sidebar.multiselect[0].options == ["城西协作区"]  # the one district in scope
    assert [caption.value for caption in at.sidebar.caption if "Signed in" in caption.value] == [
        "Signed in as 王主任"
    ]


def test_a_hostile_link_cannot_widen_the_scope(first_slice, users, monkeypatch) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    at = AppTest.from_file(str(PAGES / "overview.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.query_params.update({"district": ["D01", "D02' or '1'='1"]})
    at.run()
    at = _sign_in(at, "wang", PASSWORD)
    assert _tiles(at)["Total hours"] == "12.25"


def test_a_unit_reader_sees_only_their_unit(first_slice, users, monkeypatch) -> None:
    at = _sign_in(_page(first_slice, monkeypatch), "li", PASSWORD)
    assert _tiles(at)["Total hours"] == "7.50"


def test_signing_out_ends_the_view(first_slice, users, monkeypatch) -> None:
    at = _sign_in(_page(first_slice, monkeypatch), "boss", PASSWORD)
    assert _tiles(at)["Total hours"] == "24.30"
    at.sidebar.button(key="auth.sign_out").click().run()
    assert at.metric.len == 0


def test_a_removed_user_loses_access_on_the_next_run(first_slice, users, monkeypatch) -> None:
    from dashboard.users import remove_user

    at = _sign_in(_page(first_slice, monkeypatch), "wang", PASSWORD)
    assert _tiles(at)["Total hours"] == "12.25"
    remove_user(users, "wang")
    at.run()
    assert at.metric.len == 0


def test_the_exports_follow_the_readers_scope(
    first_slice,
    users,
    monkeypatch,
    downloads,
) -> None:
    at = _sign_in(_page(first_slice, monkeypatch, "exports"), "wang", PASSWORD)
    at.button(key="exports.prepare").click().run()
    assert not at.exception, at.exception
    period = "2025-01_2025-03"
    lines = downloads[f"district_monthly_{period}.csv"].decode("utf-8").splitlines()
    expected = EXPECTED_CSV.splitlines()
    assert lines == [expected[0]] + [line for line in expected if line.startswith("D02,")]


def test_without_a_users_file_the_app_says_it_is_open(first_slice, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DASHBOARD_USERS", str(tmp_path / "none.yaml"))
    at = _page(first_slice, monkeypatch)
    assert _tiles(at)["Total hours"] == "24.30"
    assert [warning.value for warning in at.sidebar.warning] == [
        "Open demo mode: no users file, so everyone sees everything (add users with make user)."
    ]


def test_with_oidc_configured_the_reader_signs_in_at_the_provider(
    first_slice, users, monkeypatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    at = AppTest.from_file(str(PAGES / "overview.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "warehouse",
        "client_secret": "not-used-here",
        "server_metadata_url": "https://sso.example.org/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception, at.exception
    assert at.metric.len == 0
    assert [button.label for button in at.button] == ["Sign in"]
    assert [info.value for info in at.info] == [
        "Sign in with your organization's account to see the data."
    ]
