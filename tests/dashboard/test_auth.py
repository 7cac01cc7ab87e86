"""Who sees what: sign-in with the users file, roles scoping every query (and the
exports), open demo mode only when asked for (DASHBOARD_OPEN=1) and no users file, a
refusal when nothing is configured or the users file named is missing, failed sign-ins
that take one bcrypt check whether the name exists or not and pause per user name
across sessions, OIDC when secrets.toml configures it, and how make serves it.

Figures are the first-slice warehouse's, worked out by hand in tests/test_pipeline.py
and tests/dashboard/test_districts_page.py: D02 has 12.25 h from 5 volunteers and 3 of
its 3 roster members (at S02 and O01) all active; branch B011 has 7.50 h; the whole
bureau 24.30 h.
"""

from __future__ import annotations

import os
import re
import subprocess

import bcrypt
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.users import add_user
from tests.conftest import REPO, Warehouse
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


def test_open_demo_mode_only_when_asked_for(first_slice, monkeypatch) -> None:
    monkeypatch.delenv("DASHBOARD_USERS", raising=False)  # and no users.yaml in the warehouse
    monkeypatch.setenv("DASHBOARD_OPEN", "1")
    at = _page(first_slice, monkeypatch)
    assert _tiles(at)["Total hours"] == "24.30"
    assert [warning.value for warning in at.sidebar.warning] == [
        "Open demo mode (DASHBOARD_OPEN=1): no users file, so everyone sees everything "
        "(add users with make user)."
    ]


def _plain(markdown: str) -> str:
    """What a Markdown text reads as: without its backslash escapes and word joiners."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def test_with_no_sign_in_configured_the_app_shows_nothing(first_slice, monkeypatch) -> None:
    monkeypatch.delenv("DASHBOARD_USERS", raising=False)
    monkeypatch.delenv("DASHBOARD_OPEN", raising=False)
    at = _page(first_slice, monkeypatch)
    assert at.metric.len == 0
    assert at.text_input.len == 0  # no sign-in either: there is nobody to sign in as
    assert [_plain(error.value) for error in at.error] == [
        "No sign-in is configured, so the dashboard shows nothing. An administrator adds "
        f"users with `make user NAME=… ROLE=…` (they go to {first_slice.root}/users.yaml) "
        "or configures OIDC; for demo data only, `DASHBOARD_OPEN=1` opens it to everyone "
        "(as make run does)."
    ]


@pytest.mark.parametrize("asked_open", [None, "1"])
def test_a_users_file_named_but_missing_stops_the_app(
    first_slice, monkeypatch, tmp_path, asked_open: str | None
) -> None:
    typo = tmp_path / "userz.yaml"
    monkeypatch.setenv("DASHBOARD_USERS", str(typo))
    if asked_open:
        monkeypatch.setenv("DASHBOARD_OPEN", asked_open)  # a typo never opens the data
    at = _page(first_slice, monkeypatch)
    assert at.metric.len == 0
    assert at.text_input.len == 0
    assert not at.sidebar.warning
    assert [_plain(error.value) for error in at.error] == [
        f"The users file {typo} (named by DASHBOARD_USERS) does not exist, so nobody can "
        "sign in. Correct DASHBOARD_USERS, or add users with `make user`."
    ]


def test_a_users_file_that_cannot_be_read_stops_the_app(first_slice, monkeypatch, tmp_path) -> None:
    folder = tmp_path / "users.yaml"  # a folder where the file should be: no one can read it
    folder.mkdir()
    monkeypatch.setenv("DASHBOARD_USERS", str(folder))
    monkeypatch.setenv("DASHBOARD_OPEN", "1")
    at = _page(first_slice, monkeypatch)
    assert at.metric.len == 0
    assert [_plain(error.value) for error in at.error] == [
        f"The users file {folder} cannot be read, so nobody can sign in. Let the account "
        "that runs the dashboard read it."
    ]


def test_a_users_file_wins_over_open_demo_mode(first_slice, users, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_OPEN", "1")  # as make run sets it
    at = _page(first_slice, monkeypatch)
    assert at.metric.len == 0
    assert [field.label for field in at.text_input] == ["User name", "Password"]
    assert _tiles(_sign_in(at, "wang", PASSWORD))["Total hours"] == "12.25"


WRONG = "The user name or the password is not right."


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("nobody", PASSWORD),  # no such user
        ("wang", "not-the-password"),  # a user, the wrong password
        ("zhao", PASSWORD),  # a user who signs in through OIDC only: no hash
    ],
)
def test_every_failed_sign_in_costs_one_bcrypt_check_of_the_files_cost(
    first_slice, users, monkeypatch, username: str, password: str
) -> None:
    # the time a refusal takes must not tell which user names exist: one bcrypt check
    # each time, against a hash of the same cost as the file's ($2b$12$)
    add_user(users, "zhao", "district", ["D01"], None, email="zhao@example.org")
    at = _page(first_slice, monkeypatch)
    checked: list[bytes] = []
    original = bcrypt.checkpw

    def checkpw(password: bytes, hashed: bytes) -> bool:
        checked.append(hashed[:7])
        return original(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", checkpw)
    at = _sign_in(at, username, password)
    assert [error.value for error in at.error] == [WRONG]
    assert checked == [b"$2b$12$"]


def test_five_failures_pause_that_user_name_in_a_new_session_too(
    first_slice, users, monkeypatch
) -> None:
    at = _page(first_slice, monkeypatch)
    for _ in range(5):
        at = _sign_in(at, "wang", "not-the-password")
        assert [error.value for error in at.error] == [WRONG]
    # a reload, another tab or another browser is a new session: still paused
    again = _sign_in(_page(first_slice, monkeypatch), "wang", PASSWORD)
    assert again.metric.len == 0
    assert [error.value for error in again.error] == [
        "Too many failed sign-ins: try again in 30 seconds."
    ]
    # the pause is the user name's: another reader signs in as usual
    other = _sign_in(_page(first_slice, monkeypatch), "li", PASSWORD)
    assert _tiles(other)["Total hours"] == "7.50"


def test_a_password_longer_than_bcrypt_reads_is_refused_not_a_crash(
    first_slice, users, monkeypatch
) -> None:
    at = _sign_in(_page(first_slice, monkeypatch), "wang", "密" * 30)  # 90 bytes in UTF-8
    assert at.metric.len == 0
    assert [error.value for error in at.error] == [WRONG]


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


def _make_dry_run(*args: str) -> str:
    """The commands ``make -n`` prints for ``args``, continuation lines joined (a dry run
    executes nothing but the sub-make it would call, itself dry)."""
    env = {key: value for key, value in os.environ.items() if key not in ("ADDRESS", "PORT")}
    printed = subprocess.run(
        ["make", "-n", "--no-print-directory", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return printed.replace("\\\n", " ")


def _streamlit_line(printed: str) -> str:
    (line,) = [line for line in printed.splitlines() if "-m streamlit run" in line]
    return " ".join(line.split())


def test_make_dashboard_listens_on_this_machine_unless_told() -> None:
    assert _streamlit_line(_make_dry_run("dashboard")) == (
        ".venv/bin/python -m streamlit run dashboard/server.py --server.port '8501' "
        "--server.address '127.0.0.1'"
    )
    told = _streamlit_line(_make_dry_run("dashboard", "ADDRESS=0.0.0.0", "PORT=8611"))
    assert "--server.port '8611' --server.address '0.0.0.0'" in told


def test_make_run_serves_the_demo_in_open_demo_mode() -> None:
    # open unless DASHBOARD_OPEN says otherwise; a users file still wins (see above)
    lines = _make_dry_run("run").splitlines()
    assert "DASHBOARD_OPEN=${DASHBOARD_OPEN:-1} make --no-print-directory dashboard" in lines
