"""Entry point (`streamlit run dashboard/app.py`): sign-in, navigation per role, the page gate.

One table, `ROLE_PAGES`, says which pages each role sees. Every page is registered with
`st.navigation` on every run (those a role may not use are hidden), so opening any page's URL
resolves to that page — and the gate below then either runs it or shows "not available for
your role" (or the sign-in form, to someone not signed in). The page script never runs for a
role that may not see it. The gate is not the only check: every write goes through `db/`,
which checks the acting user's permission again.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from dashboard import data, signin, ui
from db import signins
from db.errors import DomainError
from db.models import utcnow

# key (also the URL path): (page file, or "" for the sign-in page; menu title; icon)
PAGES: dict[str, tuple[str, str, str]] = {
    "review": ("app_pages/review.py", "Morning review", ":material/wb_sunny:"),
    "inbox": ("app_pages/inbox.py", "Inbox", ":material/inbox:"),
    "items": ("app_pages/items.py", "Items", ":material/view_kanban:"),
    "item": ("app_pages/item.py", "Item", ":material/task:"),
    "insights": ("app_pages/insights.py", "Insights", ":material/insights:"),
    "messages": ("app_pages/messages.py", "Messages", ":material/forum:"),
    "admin": ("app_pages/admin.py", "Admin", ":material/admin_panel_settings:"),
    "changes": ("app_pages/changes.py", "What we changed", ":material/campaign:"),
    "login": ("", "Sign in", ":material/login:"),
}
ROLE_PAGES: dict[str | None, list[str]] = {
    None: ["login", "changes"],
    "staff": ["changes", "items"],
    "manager": ["inbox", "items", "item", "insights", "changes"],
    "executive": ["review", "inbox", "items", "item", "insights", "messages", "changes"],
    "admin": ["admin", "messages", "changes"],
}
FIRST_RUN = (
    "Nobody can sign in yet. Create the first user with `feedbackloop user add`, "
    "or load the demo with `feedbackloop demo` (it prints the demo sign-ins)."
)
MENU_HIDDEN = {"item"}  # reached by deep link (?item=ID), never from the menu


def _allowed(role: str | None) -> list[str]:
    return ROLE_PAGES.get(role, ROLE_PAGES[None])


def _home(role: str | None) -> str:
    return _allowed(role)[0]


def sign_in_form(*, note: str | None = None, go_home: bool = False) -> None:
    """Show the email + password form; on success remember the user and reload (or go home)."""
    if note:
        st.info(note, icon=":material/lock:")
    with st.form("login_form", border=True):
        email = st.text_input("Email", key="login_email", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="login_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(
            "Sign in", type="primary", width="stretch", key="login_go"
        )
    if not submitted:
        return
    if not email.strip() or not password:
        st.error("Enter your email and password.", icon=":material/error:")
        return
    from db.auth import authenticate

    with data.session() as s:
        try:
            user = authenticate(s, email=email.strip(), password=password, now=utcnow())
        except DomainError as error:
            st.error(str(error), icon=":material/error:")
            return
        signin.sign_in(user)
    if go_home:
        st.switch_page(_pages[_home(user.role)])
    st.rerun()


def login_page() -> None:
    """The "Sign in" page: the form, or a way onwards for someone already signed in."""
    me = signin.current_user()
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title("Sign in")
        if me:
            st.success(f"You are signed in as {me.name}.", icon=":material/check_circle:")
            st.page_link(_pages[_home(me.role)], label="Continue")
            return
        st.caption("Feedback Loop — from the first complaint to the shipped fix.")
        if not data.active_user_count():
            st.info(FIRST_RUN, icon=":material/person_add:")
        sign_in_form(go_home=True)


def not_available(me: signin.CurrentUser | None, key: str) -> None:
    """Show why this page is not shown, instead of the page."""
    title = PAGES[key][1]
    if me is None:
        _, middle, _ = st.columns([1, 2, 1])
        with middle:
            st.title(title)
            sign_in_form(note="Sign in to see this page.")
        return
    st.title(title)
    st.warning("This page is not available for your role.", icon=":material/block:")
    st.page_link(_pages[_home(me.role)], label="Go to your start page")


def _go_home() -> None:
    """The app's root URL: continue to the start page of the signed-in role."""
    st.switch_page(_pages[_home(_role)])


def _build_pages(role: str | None) -> dict[str, st.Page]:
    """Register every page; the root is a hidden "home" page that forwards to the role's start
    page, so every real page keeps its own address (Streamlit serves the default page only
    at the root: a bookmarked /inbox would otherwise be "not found" for a manager)."""
    allowed = _allowed(role)
    pages = {"home": st.Page(_go_home, title="Feedback Loop", url_path="home", default=True,
                             visibility="hidden")}  # fmt: skip
    for key in allowed + [key for key in PAGES if key not in allowed]:
        path, title, icon = PAGES[key]
        hidden = key not in allowed or key in MENU_HIDDEN
        pages[key] = st.Page(
            path or login_page,
            title=title,
            icon=icon,
            url_path=key,
            visibility="hidden" if hidden else "visible",
        )
    return pages


def _account_box(me: signin.CurrentUser | None) -> None:
    with st.sidebar:
        if me is None:
            return
        st.caption(f"Signed in as **{ui.escape_md(me.name)}** · {me.role}")
        out = dict(icon=":material/logout:", on_click=signin.sign_out, key="app_signout")
        st.button("Sign out", **out)
        with st.popover("Change password", icon=":material/key:"):
            signin.password_form(me)


def _write_cookie(value: str | None) -> None:
    """Write (or, for "", delete) the remembered sign-in cookie in this browser.

    Streamlit cannot set cookies from the server, so a line of our own JavaScript does; the
    value is a token of URL-safe characters made by `db.signins`, never user input."""
    if value is None or not re.fullmatch(r"[A-Za-z0-9_-]*", value):
        return
    age = signins.REMEMBER_DAYS * 86400 if value else 0
    script = (
        "<script>document.cookie = "
        f"'{signins.COOKIE}={value}; Path=/; Max-Age={age}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>"
    )
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


ICON = Path(__file__).with_name("icon.png")
STYLE = "<style>[data-testid='stMainBlockContainer'] {padding-top: 2.5rem}</style>"

# a file of ours: a Material icon as favicon is fetched from Google's font servers on every load
st.set_page_config(page_title="Feedback Loop", page_icon=str(ICON), layout="wide")
st.html(STYLE)  # our own constant CSS: less empty space above each page's title
_me = signin.refresh_user()
_write_cookie(signin.take_cookie())
_role = _me.role if _me else None
_pages = _build_pages(_role)
_page = st.navigation(list(_pages.values()))
_key = next(key for key, page in _pages.items() if page is _page)
_account_box(_me)
ui.show_flash()
if _key in ("home", "login") or _key in _allowed(_role):  # signed in: "login" says so
    _page.run()
else:
    not_available(_me, _key)
