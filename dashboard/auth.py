"""Who is reading, and so what they may see: the scope every query is given.

Three ways, chosen by configuration:

- **OIDC** when ``.streamlit/secrets.toml`` has an ``[auth]`` section: ``st.login``
  signs the reader in at the provider, and the users file maps their email to a role
  and scope (an email it does not list gets no data).
- **Users file** (``dashboard/users.py``): a sign-in form checks the bcrypt password.
- **Open demo mode** when neither is configured: everything is visible, and the app says
  so on every page.

The scope is enforced in the query layer (``dashboard.queries.Scope``: every query takes
it and its cache key includes it), never by hiding widgets. A reader signed in is
re-read from the users file on every run, so removing a user ends their access.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard import i18n, queries
from dashboard.users import User, UsersFileError, check_password, load_users, users_file

USER_KEY = "auth.user"
SCOPE_KEY = "reader.scope"  # layout.SCOPE_KEY: the scope the pages' queries are given
FAILURES_KEY = "auth.failures"
MAX_FAILURES = 5  # then a pause before the next try
PAUSE_SECONDS = 30


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
    try:
        return load_users(users_file())
    except UsersFileError as error:
        st.error(i18n.t("auth.users_file_error", lang, error=error))
        st.stop()
        raise  # st.stop ends the run; this line is for type checkers


def _sign_out_button(name: str, lang: str, oidc: bool) -> None:
    st.sidebar.caption(i18n.t("auth.signed_in_as", lang, name=name))
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
    path = users_file()
    users = _users(lang) if path.exists() else {}
    matched = [user for user in users.values() if user.email and user.email == email]
    if not matched:
        st.error(i18n.t("auth.not_authorised", lang, email=email or "?"))
        if st.button(i18n.t("auth.sign_out", lang), key="auth.oidc_sign_out"):
            st.logout()
        st.stop()
    user = matched[0]
    _sign_out_button(user.display_name, lang, oidc=True)
    return scope_of(user)


def _sign_in_form(users: dict[str, User], lang: str) -> None:
    st.subheader(i18n.t("auth.sign_in", lang))
    failures = st.session_state.get(FAILURES_KEY, [])
    recent = [moment for moment in failures if time.monotonic() - moment < PAUSE_SECONDS]
    with st.form("auth.form"):
        username = st.text_input(i18n.t("auth.username", lang), key="auth.username")
        password = st.text_input(
            i18n.t("auth.password", lang), type="password", key="auth.password"
        )
        submitted = st.form_submit_button(i18n.t("auth.sign_in", lang))
    if not submitted:
        return
    if len(recent) >= MAX_FAILURES:
        st.error(i18n.t("auth.too_many", lang, seconds=PAUSE_SECONDS))
        return
    user = users.get(username.strip())
    if user is not None and check_password(user, password):
        st.session_state[USER_KEY] = user.username
        st.session_state[FAILURES_KEY] = []
        st.rerun()
    st.session_state[FAILURES_KEY] = [*recent, time.monotonic()]
    st.error(i18n.t("auth.wrong", lang))  # never says which of the two was wrong


def current_scope(lang: str) -> queries.Scope:
    """The reader's scope; shows the sign-in and stops the run until there is one."""
    if oidc_configured():
        return _oidc_scope(lang)
    if not users_file().exists():
        st.sidebar.warning(i18n.t("auth.open_demo", lang))
        return queries.BUREAU
    users = _users(lang)
    user = users.get(st.session_state.get(USER_KEY, ""))
    if user is None:
        st.session_state.pop(USER_KEY, None)
        _sign_in_form(users, lang)
        st.stop()
    _sign_out_button(user.display_name, lang, oidc=False)
    return scope_of(user)
