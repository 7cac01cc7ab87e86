"""The dashboard's users file: bcrypt hashes only, mode 0600, clear messages for a
wrong entry, and the `make user` command (python -m dashboard.users)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.users import (
    User,
    UsersFileError,
    add_user,
    authenticate,
    load_users,
    remove_user,
)
from tests.conftest import REPO


def check_password(user: User, password: str) -> bool:
    """Whether sign-in with ``password`` succeeds for ``user`` (the one check there is)."""
    return authenticate({user.username: user}, user.username, password) == user


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


def _users_cli(
    tmp_path,
    *args: str,
    password: str | None,
    stdin: str | None = None,
    warehouse: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m dashboard.users`` as ``make user`` runs it: no terminal, and standard
    input ``stdin`` (empty when None); the password in ``DASHBOARD_PASSWORD`` unless None."""
    env = {
        **os.environ,
        "DASHBOARD_USERS": str(tmp_path / "users.yaml"),
        "WAREHOUSE_DIR": str(warehouse or tmp_path / "no_warehouse"),
    }
    env.pop("DASHBOARD_PASSWORD", None)
    if password is not None:
        env["DASHBOARD_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "dashboard.users", *args],
        cwd=REPO,
        env=env,
        input=stdin or "",
        capture_output=True,
        text=True,
    )


def test_make_user_adds_one_and_refuses_a_short_password(tmp_path, first_slice) -> None:
    added = _users_cli(
        tmp_path,
        "add",
        "wang",
        "--role",
        "district",
        "--scope",
        "D01",
        password="long enough",
        warehouse=first_slice.root,
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout == f"{tmp_path / 'users.yaml'}: wang (district D01)\n"
    refused = _users_cli(
        tmp_path,
        "add",
        "li",
        "--role",
        "unit",
        "--scope",
        "S01",
        password="short",
        warehouse=first_slice.root,
    )
    assert refused.returncode == 2
    assert refused.stderr == "error: the password must have at least 8 characters\n"
    listed = _users_cli(tmp_path, "list", password="")
    assert listed.stdout == "wang\tdistrict\tD01\n"


def test_make_user_refuses_codes_the_published_snapshot_does_not_know(
    tmp_path, first_slice
) -> None:
    root = first_slice.root
    refused = _users_cli(
        tmp_path,
        *("add", "wang", "--role", "district", "--scope", "D01,ZZZ99,S01"),
        password="long enough",
        warehouse=root,
    )
    assert refused.returncode == 2
    # S01 is a school, not a district: a district reader's scope holds districts only
    assert refused.stderr == (
        f"error: the published snapshot in {root} has no district ZZZ99, S01: use the codes "
        "of the inbox's districts and organizations files, or add them unchecked with "
        "FORCE=1 (--force); nothing was changed\n"
    )
    assert not (tmp_path / "users.yaml").exists()
    unit = _users_cli(
        tmp_path,
        *("add", "li", "--role", "unit", "--scope", "B011,D01"),
        password="long enough",
        warehouse=root,
    )
    assert (unit.returncode, unit.stderr) == (
        2,
        f"error: the published snapshot in {root} has no organization D01: use the codes "
        "of the inbox's districts and organizations files, or add them unchecked with "
        "FORCE=1 (--force); nothing was changed\n",
    )
    forced = _users_cli(
        tmp_path,
        *("add", "li", "--role", "unit", "--scope", "B011,S99", "--force"),
        password="long enough",
        warehouse=root,
    )
    assert forced.returncode == 0, forced.stderr
    assert forced.stderr == (
        "warning: the published snapshot has no organization S99: added unchecked\n"
    )
    assert load_users(tmp_path / "users.yaml")["li"].scope == ("B011", "S99")


def test_make_user_without_a_snapshot_refuses_a_scope_unless_forced(tmp_path) -> None:
    empty = tmp_path / "new_warehouse"  # nothing built or published yet
    refused = _users_cli(
        tmp_path,
        *("add", "wang", "--role", "district", "--scope", "D01"),
        password="long enough",
        warehouse=empty,
    )
    assert refused.returncode == 2
    assert refused.stderr == (
        f"error: no published snapshot in {empty}, so the district codes D01 cannot be "
        "checked: run `make build` first, or add them unchecked with FORCE=1 (--force); "
        "nothing was changed\n"
    )
    assert not (tmp_path / "users.yaml").exists()
    forced = _users_cli(
        tmp_path,
        *("add", "wang", "--role", "district", "--scope", "D01", "--force"),
        password="long enough",
        warehouse=empty,
    )
    assert forced.returncode == 0, forced.stderr
    assert (
        forced.stderr == f"warning: no published snapshot in {empty}: the codes were not checked\n"
    )
    # a bureau user has no codes to check
    boss = _users_cli(tmp_path, "add", "boss", "--role", "bureau", password="long enough")
    assert boss.returncode == 0, boss.stderr
    assert sorted(load_users(tmp_path / "users.yaml")) == ["boss", "wang"]


def test_make_user_without_a_terminal_reads_the_password_from_a_file_or_stdin(
    tmp_path,
) -> None:
    add = ("add", "boss", "--role", "bureau")
    nothing = _users_cli(tmp_path, *add, password=None)  # stdin empty, as under cron or CI
    assert nothing.returncode == 2
    assert nothing.stderr == (
        "error: no password: standard input is not a terminal and its first line is empty; "
        "give PASSWORD_FILE=file (--password-file), or run make user in a terminal\n"
    )
    piped = _users_cli(tmp_path, *add, password=None, stdin="piped secret 1\nignored\n")
    assert piped.returncode == 0, piped.stderr
    assert check_password(load_users(tmp_path / "users.yaml")["boss"], "piped secret 1")
    secret = tmp_path / "password.txt"
    secret.write_text("from a file 2\r\n", encoding="utf-8")
    filed = _users_cli(tmp_path, *add, "--password-file", str(secret), password=None)
    assert filed.returncode == 0, filed.stderr
    user = load_users(tmp_path / "users.yaml")["boss"]
    assert check_password(user, "from a file 2")
    assert not check_password(user, "piped secret 1")
    missing = _users_cli(
        tmp_path, *add, "--password-file", str(tmp_path / "nope.txt"), password=None
    )
    assert (missing.returncode, missing.stderr) == (
        2,
        f"error: {tmp_path / 'nope.txt'}: cannot read the password file "
        "(No such file or directory)\n",
    )


def test_a_password_longer_than_bcrypt_reads_is_refused(tmp_path) -> None:
    long = _users_cli(tmp_path, "add", "boss", "--role", "bureau", password="密" * 25)
    assert (long.returncode, long.stderr) == (
        2,
        "error: the password must have at most 72 bytes (bcrypt reads no more)\n",
    )


def test_make_user_passes_the_password_file_and_force_on() -> None:
    # a dry run (make -n) prints the command; it runs nothing, not even the set-up
    command = subprocess.run(
        [
            "make",
            "-n",
            "--no-print-directory",
            "user",
            "NAME=wang",
            "ROLE=district",
            "SCOPE=D01",
            "PASSWORD_FILE=/run/secrets/pw",
            "FORCE=1",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    joined = " ".join(command.replace("\\\n", " ").split())
    assert joined[joined.index(".venv/bin/python -m dashboard.users") :] == (
        ".venv/bin/python -m dashboard.users add 'wang' --role 'district' --scope 'D01' "
        "--password-file '/run/secrets/pw' --force"
    )
