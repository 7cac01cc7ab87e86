"""The dashboard's users file: bcrypt hashes only, mode 0600, clear messages for a
wrong entry, and the `make user` command (python -m dashboard.users)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from dashboard.users import (
    UsersFileError,
    add_user,
    check_password,
    load_users,
    remove_user,
)
from tests.conftest import REPO


def test_a_user_is_stored_with_a_bcrypt_hash_in_a_private_file(tmp_path) -> None:
    path = tmp_path / "users.yaml"
    add_user(path, "wang", "district", ["D01", "D02"], "correct horse", "王主任")
    text = path.read_text(encoding="utf-8")
    assert "correct horse" not in text
    assert "$2b$" in text
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    user = load_users(path)["wang"]
    assert (user.display_name, user.role, user.scope, user.email) == (
        "王主任",
        "district",
        ("D01", "D02"),
        None,
    )
    assert check_password(user, "correct horse")
    assert not check_password(user, "correct horsE")
    assert not check_password(user, "")


def test_replacing_and_removing_users(tmp_path) -> None:
    path = tmp_path / "users.yaml"
    add_user(path, "wang", "district", ["D01"], "password-1")
    add_user(path, "li", "unit", ["S01"], "password-2")
    add_user(path, "wang", "bureau", [], "password-3")
    users = load_users(path)
    assert sorted(users) == ["li", "wang"]
    assert users["wang"].role == "bureau" and check_password(users["wang"], "password-3")
    remove_user(path, "li")
    assert sorted(load_users(path)) == ["wang"]
    with pytest.raises(UsersFileError, match="there is no user 'li'"):
        remove_user(path, "li")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "role: admin\n    scope: []\n    password: $2b$12$x",
            "field 'role': expected one of bureau, district, unit, not 'admin'",
        ),
        (
            "role: bureau\n    scope: [D01]\n    password: $2b$12$x",
            "field 'scope': a bureau user sees everything: leave the scope empty",
        ),
        (
            "role: district\n    password: $2b$12$x",
            "field 'scope': a district user needs the codes they may see",
        ),
        (
            "role: unit\n    scope: [S01]\n    password: secret123",
            "field 'password': expected a bcrypt hash ($2b$...): add users with `make user`",
        ),
        (
            'role: unit\n    scope: ["S01\'; drop table x"]\n    password: $2b$12$x',
            "field 'scope': expected a list of district or organization codes",
        ),
    ],
)
def test_a_wrong_entry_is_named_with_its_field(tmp_path, entry: str, message: str) -> None:
    path = tmp_path / "users.yaml"
    path.write_text(f"users:\n  zhao:\n    {entry}\n", encoding="utf-8")
    with pytest.raises(UsersFileError) as raised:
        load_users(path)
    assert str(raised.value) == f"{path}: user 'zhao', {message}"


def _users_cli(tmp_path, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DASHBOARD_USERS": str(tmp_path / "users.yaml"),
        "DASHBOARD_PASSWORD": password,
    }
    return subprocess.run(
        [sys.executable, "-m", "dashboard.users", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )


def test_make_user_adds_one_and_refuses_a_short_password(tmp_path) -> None:
    added = _users_cli(
        tmp_path, "add", "wang", "--role", "district", "--scope", "D01", password="long enough"
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout == f"{tmp_path / 'users.yaml'}: wang (district D01)\n"
    refused = _users_cli(
        tmp_path, "add", "li", "--role", "unit", "--scope", "S01", password="short"
    )
    assert refused.returncode == 2
    assert refused.stderr == "error: the password must have at least 8 characters\n"
    listed = _users_cli(tmp_path, "list", password="")
    assert listed.stdout == "wang\tdistrict\tD01\n"
