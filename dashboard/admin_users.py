"""The Admin page's Users tab: who can sign in, adding people, passwords, switching sign-in
off and on. Every change is one call into `db.users`, which checks the admin and records it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, signin, ui
from db import users
from db.models import Role, utcnow

COLUMNS = {
    "name": "Name",
    "email": "Email",
    "role": "Role",
    "team": "Team",
    "active": st.column_config.CheckboxColumn("Can sign in"),
    "created_at": st.column_config.DatetimeColumn("Added", format="D MMM YYYY"),
}


def render() -> None:
    """Show the users and the forms that manage them."""
    frame = data.users_frame()
    shown = frame.drop(columns=["id"]).assign(team=frame["team"].fillna("—"))
    ui.dataframe(shown, hide_index=True, width="stretch", column_config=COLUMNS)
    labels = {row.id: f"{row.name} · {row.email}" for row in frame.itertuples()}
    add, manage = st.columns(2, gap="large")
    with add:
        _add_form()
    with manage:
        _password_form(labels)
        _access_form(frame, labels)


def _add_form() -> None:
    with st.form("admin_add_user", clear_on_submit=True):
        st.subheader("Add a user")
        name = st.text_input("Name", key="admin_new_name")
        email = st.text_input("Email", key="admin_new_email")
        roles = [r.value for r in Role]  # the least access by default: staff read the log
        role = st.selectbox("Role", roles, index=roles.index(Role.STAFF), key="admin_new_role")
        team = st.text_input("Team (optional)", key="admin_new_team")
        password = st.text_input("Initial password", type="password", key="admin_new_password")
        if st.form_submit_button("Add user", type="primary", key="admin_add_go"):
            fields = dict(email=email, name=name, role=role, team=team or None, password=password)
            _run(users.create_user, f"Added {name}.", **fields)


def _password_form(labels: dict[int, str]) -> None:
    with st.form("admin_password", clear_on_submit=True):
        st.subheader("Set a password")
        st.caption("For someone who forgot theirs; it signs them out of every browser.")
        pick = _pick_user(labels, "admin_password_user")
        password = st.text_input("New password", type="password", key="admin_password_new")
        if st.form_submit_button("Set password", key="admin_password_go"):
            if pick is None:
                st.error("Choose whose password to set.")
            else:
                done = f"New password set for {labels[pick]}."
                _run(users.set_password, done, int(pick), password=password)


def _access_form(frame: pd.DataFrame, labels: dict[int, str]) -> None:
    active = set(frame.loc[frame["active"], "id"])
    with st.container(border=True):
        st.subheader("Deactivate or reactivate")
        st.caption("A deactivated user cannot sign in; their history stays.")
        pick = _pick_user(labels, "admin_access_user")
        if pick is None:
            return
        on = pick in active
        verb = "Deactivate" if on else "Reactivate"
        sure = st.checkbox(f"Yes, {verb.lower()} {labels[pick]}", key="admin_access_sure")
        if st.button(verb, disabled=not sure, key="admin_access_go"):
            if on:
                _run(users.deactivate_user, f"{labels[pick]} can no longer sign in.", int(pick))
            else:
                _run(users.reactivate_user, f"{labels[pick]} can sign in again.", int(pick))


def _pick_user(labels: dict[int, str], key: str) -> int | None:
    return st.selectbox(
        "User",
        list(labels),
        index=None,
        format_func=labels.get,
        placeholder="Choose a user",
        key=key,
    )


def _run(fn, success: str, *args, **kw) -> None:
    with data.session() as s:
        ui.domain_action(
            fn, s, *args, success=success, rerun=True, actor=signin.actor(s), now=utcnow(), **kw
        )
