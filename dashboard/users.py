"""The dashboard's users file: who may sign in, with which role and what they may see.

``WAREHOUSE_DIR/users.yaml`` (or the file ``DASHBOARD_USERS`` names), written with mode
0600 and never committed (``.gitignore``). Passwords are kept only as bcrypt hashes.
Roles: ``bureau`` sees everything; ``district`` sees its districts (``scope``: district
codes); ``unit`` sees its schools and their branches (``scope``: organization codes).
An ``email`` lets the same entry sign in through an OIDC provider (``st.login``).

``python -m dashboard.users add NAME --role district --scope D01`` (``make user``) adds
or replaces one. Its scope must name codes the published snapshot knows (districts for
``district``, organizations for ``unit``); ``--force`` adds codes it cannot check (no
snapshot yet, or a unit whose data has not arrived). The password is asked twice on a
terminal, else read from the first line of ``--password-file`` (``PASSWORD_FILE=``),
``DASHBOARD_PASSWORD`` or standard input.

Signing in (``authenticate``) costs one bcrypt check whether the user name exists or
not, against a dummy hash of the file's own cost for a name it does not hold, so the
time taken does not tell which names exist.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import os
import re
import secrets
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import bcrypt
import yaml

from kernel.cli import Parser
from kernel.errors import UserError, reports_user_errors, run_cli
from kernel.paths import warehouse_paths
from kernel.settings import settings
from kernel.snapshot import NoSnapshot, connect_current

ROLES = ("bureau", "district", "unit")
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further (and bcrypt 5 refuses longer ones)
BCRYPT_ROUNDS = 12  # the cost factor of every hash `make user` writes (bcrypt's default)
_COST = re.compile(r"^\$2[aby]\$(\d\d)\$")


class UsersFileError(UserError):
    """The users file cannot be used; the message names the file, the user and the field.
    ``python -m dashboard.users`` exits 2 with it."""

    exit_code = 2


class UsersFileMissing(UsersFileError):
    """The users file configured does not exist."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: no such file; correct DASHBOARD_USERS, or add a user with `make user`"
        )
        self.path = path


class UsersFileUnreadable(UsersFileError):
    """The users file exists but cannot be opened (permissions, a folder)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: cannot be read ({reason}); give the dashboard read access")
        self.path = path


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    scope: tuple[str, ...]
    email: str | None
    password_hash: str | None


def users_file() -> Path:
    """``DASHBOARD_USERS``, else ``WAREHOUSE_DIR/users.yaml``."""
    chosen = settings().dashboard_users
    return chosen.resolve() if chosen else warehouse_paths().root / "users.yaml"


def users_file_named() -> bool:
    """Whether ``DASHBOARD_USERS`` names the users file: then it must be there."""
    return settings().dashboard_users is not None


def _user(path: Path, username: str, entry: object) -> User:
    def fault(field: str, what: str) -> UsersFileError:
        return UsersFileError(f"{path}: user {username!r}, field {field!r}: {what}")

    if not _USERNAME.match(str(username)):
        raise fault("name", "use 1 to 64 letters, digits and _ . @ -")
    if not isinstance(entry, dict):
        raise fault("(entry)", "expected a mapping with role, scope and password")
    role = entry.get("role")
    if role not in ROLES:
        raise fault("role", f"expected one of {', '.join(ROLES)}, not {role!r}")
    scope = entry.get("scope") or []
    if isinstance(scope, str):
        scope = [scope]
    if not isinstance(scope, list) or not all(_CODE.match(str(code)) for code in scope):
        raise fault("scope", "expected a list of district or organization codes")
    if role == "bureau" and scope:
        raise fault("scope", "a bureau user sees everything: leave the scope empty")
    if role != "bureau" and not scope:
        raise fault("scope", f"a {role} user needs the codes they may see")
    password = entry.get("password")
    email = entry.get("email")
    if password is None and email is None:
        raise fault("password", "give a bcrypt hash (make user) or an email for OIDC")
    if password is not None and not str(password).startswith(("$2a$", "$2b$", "$2y$")):
        raise fault("password", "expected a bcrypt hash ($2b$...): add users with `make user`")
    return User(
        username=str(username),
        display_name=str(entry.get("name") or username),
        role=role,
        scope=tuple(str(code) for code in scope),
        email=str(email).lower() if email else None,
        password_hash=str(password) if password is not None else None,
    )


def load_users(path: Path) -> dict[str, User]:
    """Every user of the file; UsersFileError when it cannot be read or is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsersFileMissing(path) from None
    except OSError as error:
        raise UsersFileUnreadable(path, error.strerror or type(error).__name__) from None
    except UnicodeDecodeError as error:
        raise UsersFileError(f"{path}: cannot be read as YAML ({error})") from None
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise UsersFileError(f"{path}: cannot be read as YAML ({error})") from None
    entries = document.get("users") if isinstance(document, dict) else None
    if not isinstance(entries, dict):
        raise UsersFileError(f"{path}: expected `users:` with one entry per user name")
    return {str(name): _user(path, str(name), entry) for name, entry in entries.items()}


def _secret_bytes(password: str) -> bytes:
    # what bcrypt reads of a password: its first 72 bytes (bcrypt 5 raises beyond)
    return password.encode("utf-8")[:MAX_PASSWORD_BYTES]


def hash_password(password: str) -> str:
    salt = bcrypt.gensalt(rounds=BCRYPT_ROUNDS)
    return bcrypt.hashpw(password.encode("utf-8"), salt).decode("ascii")


def hash_cost(users: Mapping[str, User]) -> int:
    """The cost factor most of the file's hashes have (``BCRYPT_ROUNDS`` without any)."""
    costs = Counter(
        int(match[1])
        for user in users.values()
        if user.password_hash and (match := _COST.match(user.password_hash))
    )
    return costs.most_common(1)[0][0] if costs else BCRYPT_ROUNDS


@functools.lru_cache(maxsize=4)
def dummy_hash(cost: int) -> bytes:
    """A hash of a random password at ``cost``, checked for names the file does not
    hold, so that an unknown name takes as long as a wrong password."""
    return bcrypt.hashpw(secrets.token_hex(16).encode("ascii"), bcrypt.gensalt(rounds=cost))


def authenticate(users: Mapping[str, User], username: str, password: str) -> User | None:
    """The user these are the name and password of, else None. Exactly one bcrypt check
    whatever the case (unknown name, no password hash, wrong password), at the cost
    of the file's hashes, so the answer takes the same time."""
    user = users.get(username)
    if user is not None and user.password_hash:
        stored = user.password_hash.encode("ascii")
    else:
        stored = dummy_hash(hash_cost(users))
    matches = bcrypt.checkpw(_secret_bytes(password), stored)
    if matches and password and user is not None and user.password_hash:
        return user
    return None


def _write(path: Path, entries: dict[str, dict]) -> None:
    """Write the file atomically with mode 0600 (owner read/write only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# dashboard users: make user NAME=... ROLE=... SCOPE=... (never commit)\n")
        yaml.safe_dump({"users": entries}, handle, allow_unicode=True, sort_keys=True)
    os.replace(temporary, path)


def _raw_entries(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    load_users(path)  # refuse to add to a file that is already wrong
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(document.get("users") or {})


def add_user(
    path: Path,
    username: str,
    role: str,
    scope: list[str],
    password: str | None,
    display_name: str | None = None,
    email: str | None = None,
) -> User:
    """Add or replace one user; the entry is validated before the file is written."""
    if password is not None and len(password) < MIN_PASSWORD:
        raise UsersFileError(f"the password must have at least {MIN_PASSWORD} characters")
    if password is not None and len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UsersFileError(
            f"the password must have at most {MAX_PASSWORD_BYTES} bytes (bcrypt reads no more)"
        )
    entry: dict = {"role": role, "scope": list(scope)}
    if display_name:
        entry["name"] = display_name
    if email:
        entry["email"] = email
    if password is not None:
        entry["password"] = hash_password(password)
    user = _user(path, username, entry)
    entries = _raw_entries(path)
    entries[username] = entry
    _write(path, entries)
    return user


def remove_user(path: Path, username: str) -> None:
    entries = _raw_entries(path)
    if username not in entries:
        raise UsersFileError(f"{path}: there is no user {username!r}")
    del entries[username]
    _write(path, entries)


# what a scope's codes are checked against in the published snapshot, per role
_SCOPE_TABLES = {
    "district": ("dim_districts", "district_code", "district"),
    "unit": ("dim_organizations", "org_code", "organization"),
}


def unknown_scope(role: str, scope: list[str]) -> list[str]:
    """The codes of ``scope`` the published snapshot of ``WAREHOUSE_DIR`` does not hold
    (districts for ``district``, organizations for ``unit``); ``NoSnapshot`` without one."""
    if role not in _SCOPE_TABLES or not scope:
        return []
    table, column, _ = _SCOPE_TABLES[role]
    con, _info = connect_current(warehouse_paths())
    try:
        known = {str(row[0]) for row in con.execute(f"select {column} from {table}").fetchall()}
    finally:
        con.close()
    return [code for code in scope if code not in known]


def check_scope(role: str, scope: list[str], force: bool) -> list[str]:
    """Refuse (UsersFileError) a scope with codes the published snapshot does not know,
    or any scope when nothing is published yet, unless ``force``; returns the warnings
    a forced scope gets."""
    if role not in _SCOPE_TABLES or not scope:
        return []
    what = _SCOPE_TABLES[role][2]
    root = warehouse_paths().root
    try:
        unknown = unknown_scope(role, scope)
    except NoSnapshot:
        if force:
            return [f"no published snapshot in {root}: the codes were not checked"]
        raise UsersFileError(
            f"no published snapshot in {root}, so the {what} codes {', '.join(scope)} cannot "
            "be checked: run `make build` first, or add them unchecked with FORCE=1 "
            "(--force); nothing was changed"
        ) from None
    if not unknown:
        return []
    listed = ", ".join(unknown)
    if force:
        return [f"the published snapshot has no {what} {listed}: added unchecked"]
    raise UsersFileError(
        f"the published snapshot in {root} has no {what} {listed}: use the codes of "
        "the inbox's districts and organizations files, or add them unchecked with "
        "FORCE=1 (--force); nothing was changed"
    )


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _password(args: argparse.Namespace) -> str | None:
    """The new user's password: none for OIDC only; else the first line of
    ``--password-file``, else ``DASHBOARD_PASSWORD``, else asked twice on a terminal,
    else the first line of standard input (a pipe, a script)."""
    if args.oidc_only:
        return None
    if args.password_file is not None:
        try:
            password = _first_line(Path(args.password_file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise UsersFileError(
                f"{args.password_file}: cannot read the password file ({reason})"
            ) from None
        if not password:
            raise UsersFileError(f"{args.password_file}: the first line is empty, no password")
        return password
    from_env = settings().dashboard_password
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        password = _first_line(sys.stdin.read())
        if not password:
            raise UsersFileError(
                "no password: standard input is not a terminal and its first line is empty; "
                "give PASSWORD_FILE=file (--password-file), or run make user in a terminal"
            )
        return password
    try:
        first = getpass.getpass(f"password for {args.name}: ")
        again = getpass.getpass("again: ")
    except EOFError:
        raise UsersFileError("no password given; nothing was changed") from None
    if again != first:
        raise UsersFileError("the two passwords differ; nothing was changed")
    return first


@reports_user_errors
def main(argv: list[str] | None = None) -> int:
    parser = Parser(
        prog="python -m dashboard.users",
        description="Manage the dashboard's users file (bcrypt passwords, roles, scopes).",
        epilog="example: python -m dashboard.users add wang --role district --scope D01",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add or replace a user")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--scope", default="", help="comma-separated district or unit codes")
    add.add_argument("--display-name", default=None)
    add.add_argument("--email", default=None, help="to sign in through OIDC (st.login)")
    add.add_argument("--oidc-only", action="store_true", help="no password: OIDC sign-in only")
    add.add_argument(
        "--password-file", default=None, help="read the password from the file's first line"
    )
    add.add_argument(
        "--force",
        action="store_true",
        help="add scope codes the published snapshot does not hold (or with no snapshot yet)",
    )
    remove = commands.add_parser("remove", help="remove a user")
    remove.add_argument("name")
    commands.add_parser("list", help="list the users (never the hashes)")
    args = parser.parse_args(argv)
    path = users_file()
    if args.command == "add":
        scope = [code.strip() for code in args.scope.split(",") if code.strip()]
        for warning in check_scope(args.role, scope, args.force):
            print(f"warning: {warning}", file=sys.stderr)
        user = add_user(
            path,
            args.name,
            args.role,
            scope,
            _password(args),
            args.display_name,
            args.email,
        )
        print(f"{path}: {user.username} ({user.role} {','.join(user.scope) or 'all'})")
    elif args.command == "remove":
        remove_user(path, args.name)
        print(f"{path}: removed {args.name}")
    else:
        users = load_users(path) if path.exists() else {}
        for user in users.values():
            print(f"{user.username}\t{user.role}\t{','.join(user.scope) or 'all'}")
    return 0


if __name__ == "__main__":
    run_cli(main)
