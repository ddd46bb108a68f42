"""Item (deep link `?item=ID`): status and next steps, linked messages, comments, the timeline.

Every step button calls one `db.workflow` function with the version the page showed, so a
change made by someone else meanwhile surfaces as a conflict instead of being overwritten.
Customer text is shown with `st.text` only. The sections are drawn by `dashboard.item_ui`, the
customers of a shipped item by `dashboard.loop_ui`.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, item_assign, item_ui, signin, ui
from dashboard.loop_ui import render_make_it_right

me = signin.current_user()
raw = st.query_params.get("item", "")
item_id = int(raw) if raw.isdigit() else None
detail = data.item_detail(item_id) if item_id else None
if detail is None:
    st.title("Item")
    missing = f"There is no item #{raw}." if item_id else "No item was chosen."
    ui.empty_state(f"{missing} Open one from the Items board.", icon=":material/task:")
    st.page_link("app_pages/items.py", label="Go to the Items board")
    st.stop()
item = detail.item
loaded = st.session_state.setdefault(item_ui.version_key(item_id), item["version"])
item_ui.header(detail)
if loaded != item["version"]:
    item_ui.conflict_notice(item_id)
if item["problem"]:
    st.text(item["problem"])
item_ui.steps(detail, me, loaded=loaded)
item_assign.render_assign(detail, me, loaded=loaded)
render_make_it_right(item_id, me)  # owned by LOOP: dashboard/loop_ui.py
TABS = {"Timeline": item_ui.timeline, "Messages": item_ui.messages, "Comments": item_ui.comments}
for tab, render in zip(st.tabs(list(TABS)), TABS.values(), strict=True):
    with tab:
        render(detail)
