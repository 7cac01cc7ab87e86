"""Who is reading, and so what they may see: the scope every query is given.

Chosen by configuration, first match wins:

- **OIDC** when ``.streamlit/secrets.toml`` has an ``[auth]`` section: ``st.login``
  signs the reader in at the provider, and the users file maps their email to a role
  and scope (an email it does not list gets no data).
- **Users file** (``dashboard/users.py``) when ``DASHBOARD_USERS`` names one or
  ``WAREHOUSE_DIR/users.yaml`` exists: a sign-in form checks the bcrypt password. A
  file that is named but missing, or cannot be read, stops every page with a message:
  a typo never opens the data to everyone.
- **Open demo mode** only when asked for with ``DASHBOARD_OPEN=1`` (``make run`` sets
  it) and there is no users file: everything is visible, and the app says so on every
  page.
- Otherwise nothing: every page says how to add a user or open a demo.

The scope is enforced in the query layer (``dashboard.queries.Scope``: every query takes
it and its cache key includes it), never by hiding widgets. A reader signed in is
re-read from the users file on every run, so removing a user ends their access.

Failed sign-ins are counted per user name for the whole server process (``_FAILURES``),
not per browser session, so a reload or a new session does not reset the pause.
"""

from __future__ import annotations

import threading
import time

import streamlit as st

from dashboard import escape, i18n, queries
from dashboard.users import (
    User,
    UsersFileError,
    UsersFileMissing,
    UsersFileUnreadable,
    authenticate,
    dummy_hash,
    hash_cost,
    load_users,
    users_file,
    users_file_named,
)
from kernel.settings import settings

USER_KEY = "auth.user"
SCOPE_KEY = "reader.scope"  # layout.SCOPE_KEY: the scope the pages' queries are given
MAX_FAILURES = 5  # failed sign-ins for one user name within PAUSE_SECONDS, then a pause
PAUSE_SECONDS = 30
_MAX_NAME = 64  # longer names are no user's (users._USERNAME); kept short as keys

# user name -> moments (time.monotonic) of its recent failed sign-ins, shared by every
# session of this server process
_FAILURES: dict[str, list[float]] = {}
_FAILURES_LOCK = threading.Lock()


def _recent(moments: list[float], now: float) -> list[float]:
    return [moment for moment in moments if now - moment < PAUSE_SECONDS]


def paused(username: str) -> bool:
    """Whether ``username`` had ``MAX_FAILURES`` failed sign-ins in the last
    ``PAUSE_SECONDS``, from any session."""
    now = time.monotonic()
    with _FAILURES_LOCK:
        return len(_recent(_FAILURES.get(username[:_MAX_NAME], []), now)) >= MAX_FAILURES


def record_failure(username: str) -> None:
    """Count one failed sign-in for ``username`` (names that exist or not alike)."""
    now = time.monotonic()
    with _FAILURES_LOCK:
        for name in [name for name, moments in _FAILURES.items() if not _recent(moments, now)]:
            del _FAILURES[name]  # forget names whose pause is over: the store stays small
        key = username[:_MAX_NAME]
        _FAILURES[key] = [*_recent(_FAILURES.get(key, []), now), now]


def clear_failures(username: str | None = None) -> None:
    """Forget the failures of ``username`` (after a good sign-in), or of everyone."""
    with _FAILURES_LOCK:
        if username is None:
            _FAILURES.clear()
        else:
            _FAILURES.pop(username[:_MAX_NAME], None)


def open_demo_requested() -> bool:
    """Whether ``DASHBOARD_OPEN=1`` asks for open demo mode (``make run`` sets it)."""
    return settings().dashboard_open


def scope_of(user: User) -> queries.Scope:
    """What a user may see: everything, their districts, or their units."""
    if user.role == "district":
        return queries.Scope(districts=user.scope)
    if user.role == "unit":
        return queries.Scope(organizations=user.scope)
    return queries.BUREAU


def oidc_configured() -> bool:
    """Whether ``secrets.toml`` configures an OIDC provider (an ``[auth]`` section)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return False


def _users(lang: str) -> dict[str, User]:
    """The users file's users; a file missing, unreadable or wrong stops the run with a
    message in the reader's language (never a traceback, never open)."""
    try:
        return load_users(users_file())
    except UsersFileMissing as error:
        message = i18n.t("auth.users_file_missing", lang, path=escape.markdown(error.path))
    except UsersFileUnreadable as error:
        message = i18n.t("auth.users_file_unreadable", lang, path=escape.markdown(error.path))
    except UsersFileError as error:
        message = i18n.t("auth.users_file_error", lang, error=escape.markdown(error))
    st.error(message)
    st.stop()
    raise AssertionError("st.stop ends the run")  # for type checkers


def _users_file_configured() -> bool:
    """Whether sign-in uses a users file: named by ``DASHBOARD_USERS`` (then it must be
    there), or the warehouse's ``users.yaml`` exists (or cannot even be looked at)."""
    if users_file_named():
        return True
    try:
        return users_file().exists()
    except OSError:
        return True  # a file we cannot look at is one we cannot ignore


def _sign_out_button(name: str, lang: str, oidc: bool) -> None:
    st.sidebar.caption(i18n.t("auth.signed_in_as", lang, name=escape.markdown(name)))
    if st.sidebar.button(i18n.t("auth.sign_out", lang), key="auth.sign_out"):
        st.session_state.pop(USER_KEY, None)
        st.session_state.pop(SCOPE_KEY, None)
        if oidc:
            st.logout()
        st.rerun()


def _oidc_scope(lang: str) -> queries.Scope:
    if not st.user.get("is_logged_in", False):
        st.info(i18n.t("auth.oidc_prompt", lang))
        if st.button(i18n.t("auth.sign_in", lang), key="auth.oidc_sign_in"):
            st.login()
        st.stop()
    email = str(st.user.get("email") or "").lower()
    users = _users(lang) if _users_file_configured() else {}
    matched = [user for user in users.values() if user.email and user.email == email]
    if not matched:
        st.error(i18n.t("auth.not_authorised", lang, email=escape.markdown(email or "?")))
        if st.button(i18n.t("auth.sign_out", lang), key="auth.oidc_sign_out"):
            st.logout()
        st.stop()
    user = matched[0]
    _sign_out_button(user.display_name, lang, oidc=True)
    return scope_of(user)


def _sign_in_form(users: dict[str, User], lang: str) -> None:
    st.subheader(i18n.t("auth.sign_in", lang))
    dummy_hash(hash_cost(users))  # made now, so no sign-in waits for it
    with st.form("auth.form"):
        username = st.text_input(i18n.t("auth.username", lang), key="auth.username")
        password = st.text_input(
            i18n.t("auth.password", lang), type="password", key="auth.password"
        )
        submitted = st.form_submit_button(i18n.t("auth.sign_in", lang))
    if not submitted:
        return
    name = username.strip()
    if paused(name):
        st.error(i18n.t("auth.too_many", lang, seconds=PAUSE_SECONDS))
        return
    user = authenticate(users, name, password)
    if user is not None:
        clear_failures(name)
        st.session_state[USER_KEY] = user.username
        st.rerun()
    record_failure(name)
    st.error(i18n.t("auth.wrong", lang))  # never says which of the two was wrong


def current_scope(lang: str) -> queries.Scope:
    """The reader's scope; shows the sign-in (or why there is none) and stops the run
    until there is one."""
    if oidc_configured():
        return _oidc_scope(lang)
    if not _users_file_configured():
        if open_demo_requested():
            st.sidebar.warning(i18n.t("auth.open_demo", lang))
            return queries.BUREAU
        st.error(i18n.t("auth.not_configured", lang, path=escape.markdown(users_file())))
        st.stop()
    users = _users(lang)
    user = users.get(st.session_state.get(USER_KEY, ""))
    if user is None:
        st.session_state.pop(USER_KEY, None)
        _sign_in_form(users, lang)
        st.stop()
    _sign_out_button(user.display_name, lang, oidc=False)
    return scope_of(user)
