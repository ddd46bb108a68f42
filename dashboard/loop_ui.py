"""The item page's "Make it right for each customer" section and the pre-publish PII warning.

Before shipping, the owner can check the public wording for personal data; once shipped, the
section shows the item's lead times, the customer list (`dashboard.outreach_ui`), and the
customer track and closing of the loop. Renders only; every click is one `db.loop` call.
"""

from __future__ import annotations

from types import SimpleNamespace

import streamlit as st

from dashboard import data, ui
from dashboard.item_ui import version_key
from dashboard.outreach_ui import act, render_customers
from db import loop
from db.auth import can
from db.models import Item
from db.redact import describe, find_pii


def render_publish_warning(text: str | None, item_id: int) -> bool:
    """Warn when public wording names a customer or holds personal data; True if it does."""
    with data.session() as s:
        known = loop.known_customers(s, item_id)
    findings = find_pii(text or "", known=known)
    if findings:
        lines = "\n".join(f"- {ui.escape_md(line)}" for line in describe(findings))
        st.warning(
            "The public text contains personal data. The public log will show it as "
            f"[removed]; better reword it:\n{lines}",
            icon=":material/privacy_tip:",
        )
    return bool(findings)


def _track(item: Item, mine: bool) -> None:
    note = f" — {ui.escape_md(item.customer_track_note)}" if item.customer_track_note else ""
    st.caption(f"Customer track (remedies and goodwill): **{item.customer_track}**{note}")
    if not mine or item.status != "shipped":
        return
    if item.customer_track not in ("done", "waived"):
        st.caption(
            "To close the loop: tell or skip every customer, and mark the track done or waived."
        )
    version = st.session_state.get(version_key(item.id), item.version)
    with st.container(horizontal=True, gap="small"):
        with st.popover("Customer track", key="loop_track_pop"), st.form("loop_track_form"):
            status = st.radio("Making it right is", ["done", "waived"], key="loop_track_status")
            note = st.text_input("Note (needed when waived)", key="loop_track_note")
            if st.form_submit_button("Save", key="loop_track_go"):
                act(
                    loop.set_customer_track,
                    item.id,
                    status=status,
                    note=note,
                    expected_version=version,
                    success="Customer track saved.",
                    item_id=item.id,
                )
        with st.popover("Close the loop", type="primary", key="loop_close_pop"):
            st.caption(
                "Closing is final: a closed item cannot be reopened, and its customers' "
                "replies and the customer track can no longer be changed."
            )
            sure = st.button("Yes, close the loop", type="primary", key="loop_close")
        if sure:
            act(
                loop.close_loop,
                item.id,
                expected_version=version,
                success="Loop closed.",
                item_id=item.id,
            )


def render_lead_times(item_id: int) -> None:
    """Show the item's milestones from the audit trail, in days since the first complaint."""
    from db.leadtimes import item_milestones, timeline

    with data.session() as s:
        rows = timeline(item_milestones(s, item_id))
    done = [
        f"{label} {'day 0' if days == 0 else f'+{days:g} d'}"
        for label, _, days in rows
        if days is not None
    ]
    if done:
        st.caption("Lead time (from the audit trail): " + " → ".join(done))


def render_make_it_right(item_id: int, user) -> None:
    """Show the customers of a shipped item with drafted replies, remedies and closing."""
    with data.session() as s:
        item = s.get(Item, item_id)
        if item is None:
            return
        mine = can(user, loop.PERMISSION, item=SimpleNamespace(owner_id=item.owner_id))
        if item.status not in ("shipped", "loop_closed"):
            render_lead_times(item_id)  # no customer section yet: it would be an empty heading
            return  # the Ship form itself checks the public text for personal data
        st.subheader("Make it right for each customer")
        render_lead_times(item_id)
        render_publish_warning(f"{item.public_title}\n{item.public_text}", item_id)
        rows = loop.customer_rows(s, item_id)
        if rows:
            render_customers(rows, item_id, mine)
        else:
            st.caption("No customer with a known address or handle is linked to this item.")
        _track(item, mine)
