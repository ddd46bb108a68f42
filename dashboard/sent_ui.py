"""The Inbox's "Forwarded by you" section: what the signed-in user forwarded that still waits
on someone, and whether it is late — so a "?" sent in the morning review is not forgotten.

Renders only: the rows come from `db.sentforwards.sent_forwards` (not cached: one user's own
list). Titles, names and notes are shown as escaped Markdown or plain text.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard import data, signin, ui
from db.sentforwards import DAYS, sent_forwards


def render_sent(me: signin.CurrentUser, now: datetime) -> None:
    """Show the forwards `me` sent that are not answered or acted on (nothing when none)."""
    with data.session() as s:
        rows = sent_forwards(s, user=me, now=now)
    if not rows:
        return
    st.subheader("Forwarded by you — waiting on others", anchor="sent")
    late = sum(r.overdue for r in rows)
    st.caption(f"{ui.plural(len(rows), 'forward')} of the last {DAYS} days, {late} late · "
               "each leaves this list once answered, made an item or dismissed")  # fmt: skip
    for r in rows:
        with st.container(border=True):
            head = f"**{ui.escape_md(r.title)}** · to {ui.escape_md(r.recipient)}"
            st.markdown(head + f" · sent {ui.relative_time(r.created_at, now=now)}")
            if r.acknowledged_at:
                state = f"acknowledged {ui.relative_time(r.acknowledged_at, now=now)}, in hand"
            else:
                due = ui.relative_time(r.respond_by, now=now)
                state = f"not acknowledged yet · respond by {ui.stamp(r.respond_by)} ({due})"
            st.caption(state)
            if r.overdue:
                st.badge("Late", icon=":material/alarm:", color="red")
            if r.note:
                st.text(f"Your note: {r.note}")
            if r.item_id is not None:
                st.page_link("app_pages/item.py", label=f"Open #{r.item_id}",
                             query_params={"item": str(r.item_id)})  # fmt: skip
