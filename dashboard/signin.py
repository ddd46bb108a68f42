"""The signed-in user of a browser session: sign in and out, remembered sign-ins, who acts.

The user lives in `st.session_state` as an id (`auth_user_id`) with the token of its remembered
sign-in (`db.signins`, also a cookie that restores it after a reload). Both are checked against
the database on every run (`refresh_user`), so a deactivated user, or a tab whose sign-in was
revoked (a new password, signing out elsewhere), is signed out at the next click. Nothing here
is cached across users (`dashboard.data` holds the shared caches).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import streamlit as st
from sqlmodel import Session, func, select

from dashboard import ui
from dashboard.data import session
from db import signins
from db.models import Event, User, utcnow
from db.users import change_password

USER_ID_KEY = "auth_user_id"
TOKEN_KEY = "auth_token"  # this browser's remembered sign-in (see db.signins)
COOKIE_KEY = "auth_cookie"  # a cookie value to write in the browser on the next run
RESUMED_KEY = "auth_resumed"  # the cookie was looked at in this session already


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in user as plain values (read as `user.role` or `user["role"]`)."""

    id: int
    name: str
    email: str
    role: str
    team: str | None
    last_review_at: datetime | None = None

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        """Return a field by name, like dict.get."""
        return getattr(self, key, default)

    def as_dict(self) -> dict[str, Any]:
        """Return the fields as a dict."""
        return asdict(self)


def _as_current(user: User) -> CurrentUser:
    return CurrentUser(
        id=user.id,
        name=user.name,
        email=user.email,
        role=user.role,
        team=user.team,
        last_review_at=user.last_review_at,
    )


def sign_in(user: User, *, remember: bool = True) -> CurrentUser:
    """Remember `user` (already authenticated by `db.auth`) as signed in; with `remember`,
    also in this browser (a cookie written on the next run), so a reload keeps them in."""
    st.session_state[USER_ID_KEY] = user.id
    st.session_state["auth_user"] = _as_current(user)
    if remember:
        with session() as s:
            token = signins.remember(s, user, now=utcnow())
        st.session_state[TOKEN_KEY] = st.session_state[COOKIE_KEY] = token
    return st.session_state["auth_user"]


def sign_out() -> None:
    """Forget the signed-in user, here and in this browser's remembered sign-in."""
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        with session() as s:
            signins.forget(s, token)
        st.session_state[COOKIE_KEY] = ""  # clear the cookie on the next run
    st.session_state[RESUMED_KEY] = True  # never resume from the old cookie in this session
    st.session_state.pop(USER_ID_KEY, None)
    st.session_state.pop("auth_user", None)


def _resume() -> int | None:
    """Sign in from this browser's remembered sign-in cookie, once per session."""
    if st.session_state.get(RESUMED_KEY):
        return None
    st.session_state[RESUMED_KEY] = True
    token = st.context.cookies.get(signins.COOKIE)
    if not isinstance(token, str) or not token:
        return None
    with session() as s:
        user = signins.resume(s, token, now=utcnow())
    if user is None:
        st.session_state[COOKIE_KEY] = ""  # expired or revoked: drop the cookie
        return None
    st.session_state[USER_ID_KEY], st.session_state[TOKEN_KEY] = user.id, token
    return user.id


def take_cookie() -> str | None:
    """Return the cookie value to write in the browser ("" = delete), once, or None."""
    return st.session_state.pop(COOKIE_KEY, None)


def refresh_user() -> CurrentUser | None:
    """Re-read the signed-in user from the database; sign out if gone, deactivated, or if this
    browser's sign-in was revoked (a new password, signing out in another tab)."""
    user_id = st.session_state.get(USER_ID_KEY) or _resume()
    if user_id is None:
        st.session_state.pop("auth_user", None)
        return None
    with session() as s:
        user = s.get(User, int(user_id))
        token = st.session_state.get(TOKEN_KEY)
        revoked = token is not None and signins.resume(s, token, now=utcnow()) is None
        if user is None or not user.is_active or revoked:
            sign_out()
            return None
        st.session_state["auth_user"] = _as_current(user)
    return st.session_state["auth_user"]


def current_user() -> CurrentUser | None:
    """Return the signed-in user of this browser session, or None."""
    return st.session_state.get("auth_user")


def last_review(me: CurrentUser) -> datetime | None:
    """Return when `me` last marked feed cards as reviewed (their own, so never cached)."""
    if me.last_review_at is not None:
        return me.last_review_at
    with session() as s:
        stmt = select(func.max(Event.at)).where(
            Event.action == "reviewed", Event.entity == "message", Event.actor_id == me.id
        )
        return s.exec(stmt).one()


def actor(s: Session) -> User:
    """Return the signed-in user as a `User` row of session `s`, for domain calls."""
    me = current_user()
    user = s.get(User, me.id) if me else None
    if user is None:
        raise RuntimeError("no signed-in user")  # pages are gated in app.py; this is a bug
    return user


def password_form(me: CurrentUser) -> None:
    """A form to change one's own password; this browser stays signed in, others are not."""
    with st.form("account_password", clear_on_submit=True, border=False):
        current = st.text_input("Current password", type="password", key="account_pw_current")
        new = st.text_input("New password", type="password", key="account_pw_new")
        again = st.text_input("New password again", type="password", key="account_pw_again")
        if not st.form_submit_button("Change password", key="account_pw_go"):
            return
    if new != again:
        st.error("The two new passwords differ.", icon=":material/error:")
        return
    with session() as s:
        user = ui.domain_action(
            change_password, s, me.id, current=current, new=new, now=utcnow(),
            success="Password changed. Other browsers are signed out.",
        )  # fmt: skip
        if user is not None:
            sign_in(user)  # a fresh remembered sign-in here: the old one was revoked
            st.rerun()
