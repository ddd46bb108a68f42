"""The item page's "Assign an owner" popover: an executive names (or changes) who owns an
open item; the person named is then asked to take ownership (`db.itemedit.assign`)."""

from __future__ import annotations

import streamlit as st

from dashboard import data, item_ui
from db import workflow
from db.auth import can

FINISHED = ("loop_closed", "declined", "duplicate")  # nobody left to own them


def render_assign(detail, me, *, loaded: int) -> None:
    """Let an executive name the owner of an open item (they then take ownership)."""
    item = detail.item
    if not can(me, "item.assign") or item["status"] in FINISHED:
        return
    people = {i: f"{name} · {team}" if team else name for i, name, team in data.managers()}
    label = "Assign an owner" if item["owner_id"] is None else "Change the owner"
    with st.popover(label, key="item_pop_assign"), st.form("item_form_assign"):
        owner = st.selectbox("Owner", list(people), format_func=people.get, index=None,
                             placeholder="Choose a manager", key="item_assign_owner")  # fmt: skip
        if st.form_submit_button("Assign", type="primary", key="item_go_assign"):
            if owner is None:
                st.error("Choose a manager.")
                return
            done = f"Assigned to {people[owner]}: they are asked to take ownership."
            item_ui.act(workflow.assign, done, item["id"], loaded, owner_id=owner)
