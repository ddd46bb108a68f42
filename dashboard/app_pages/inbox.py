"""Inbox: what was forwarded to me (with the note and respond-by) and the items I own, late first.

A forwarded message shows its text, so it can be read here; a shipped item stays until its
loop is closed, since telling the customers is still the owner's job. Not cached: it is one
user's own list. On a forwarded new item the button is "Take ownership"; on a forwarded message
it is "Acknowledge" (confirms receipt), and the message then waits under "Acknowledged — to act
on" until it is answered, part of an item or dismissed. "Answer" sends the answer to whoever
forwarded it (`db.answers`); "Make it an item" makes an item the manager owns.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, signin, ui
from dashboard.mentions_ui import render_mentions
from dashboard.sent_ui import render_sent
from db import tracking, workflow
from db.models import ItemStatus, utcnow

NEXT = {ItemStatus.SHIPPED: "shipped: tell the customers, then close the loop"}
ACK = {  # takes ownership? -> (label, help)
    True: ("Take ownership", "Become the owner of this item: it moves to acknowledged."),
    False: ("Acknowledge", "Confirm you have it. It stays here until answered or an item."),
}
KEPT = "Acknowledged: it stays in your inbox under “to act on” until answered or an item."


def _acknowledge(row) -> None:
    with data.session() as s:
        actor, now = signin.actor(s), utcnow()
        if row.takes_ownership:
            ui.domain_action(
                workflow.acknowledge,
                s,
                row.item_id,
                actor=actor,
                now=now,
                expected_version=row.item_version,
                success="You own this item now.",
                rerun=True,
            )
        else:
            ui.domain_action(
                workflow.acknowledge_forward,
                s,
                row.forward_id,
                actor=actor,
                now=now,
                success="Acknowledged." if row.item_id else KEPT,
                rerun=True,
            )


def _make_item(row, key: str) -> None:
    """Turn a forwarded message into an item the manager owns, and acknowledge the forward."""
    popover = st.popover("Make it an item", icon=":material/add_task:", width="stretch")
    with popover, st.form(f"{key}_item", border=False):
        title = st.text_input("Title", value=row.title, key=f"{key}_item_title")
        problem = st.text_area("Problem", key=f"{key}_item_problem", height=90)
        if not st.form_submit_button("Create item", type="primary", key=f"{key}_item_go"):
            return
    with data.session() as s:
        ui.domain_action(
            workflow.item_from_forward, s, row.forward_id, title=title, problem=problem,
            actor=signin.actor(s), now=utcnow(), rerun=True,
            success=lambda item: f"Created item #{item.id}; you own it.",
        )  # fmt: skip


def _answer(row, key: str) -> None:
    """Answer a forwarded message: the answer goes to whoever forwarded it, and it leaves here."""
    popover = st.popover("Answer", icon=":material/reply:", width="stretch")
    with popover, st.form(f"{key}_answer", border=False):
        body = st.text_area(
            f"Your answer to {row.sender}", key=f"{key}_answer_body", height=120,
            placeholder="What happened, and what was done about it",
        )  # fmt: skip
        if not st.form_submit_button("Send the answer", type="primary", key=f"{key}_answer_go"):
            return
    told = f"Answered: {ui.escape_md(row.sender)} has it in their inbox."
    with data.session() as s:
        ui.domain_action(
            workflow.answer_forward, s, row.forward_id, body=body, actor=signin.actor(s),
            now=utcnow(), rerun=True, success=told,
        )  # fmt: skip


def _row(row, now) -> None:
    key = f"inbox_{row.kind}_{row.forward_id or row.item_id}"
    with st.container(border=True, key=key):
        head, action = st.columns([3, 1], vertical_alignment="center")  # room for its buttons
        with head:
            ui.heading_link(row.title, row.item_id)
            parts = [f"from {ui.escape_md(row.sender)}" if row.sender else "owned by you"]
            if row.acknowledged_at:
                ago = ui.relative_time(row.acknowledged_at, now=now)
                parts.append(f"you acknowledged it {ago}: answer it, or make it an item")
            elif row.respond_by:
                due = ui.stamp(row.respond_by, weekday=True)
                parts.append(f"respond by {due} ({ui.relative_time(row.respond_by, now=now)})")
            else:
                parts.append("no due date")
            if row.status:
                parts.append(NEXT.get(row.status, row.status.replace("_", " ")))
            st.caption(" · ".join(parts))
            if row.note:
                st.text(f"Note: {row.note}")
            if row.text:
                ui.message_text(row.text)
        with action:
            if row.overdue:
                st.badge("Overdue", icon=":material/alarm:", color="red")
            if row.escalated_at:
                st.badge("Escalated to sender", icon=":material/campaign:", color="orange")
            if row.kind == "forward":
                label, tip = ACK[row.takes_ownership]
                if st.button(label, key=f"{key}_ack", type="primary", help=tip):
                    _acknowledge(row)
            if row.can_make_item:
                _answer(row, key)
                _make_item(row, key)


me = signin.current_user()
now = utcnow()
st.title("Inbox")
with data.session() as s:
    rows = tracking.inbox(s, user=me, now=now)
waiting = [r for r in rows if r.kind != "acknowledged"]
todo = [r for r in rows if r.kind == "acknowledged"]  # its SLA is met: never overdue
counts = [f"{len(waiting)} waiting", f"{sum(r.overdue for r in waiting)} overdue"]
st.caption(" · ".join(counts + ([f"{len(todo)} acknowledged, to act on"] if todo else [])))
if not rows:
    ui.empty_state("No forwards and no open items of yours are waiting.")
for r in waiting:
    _row(r, now)
if todo:
    st.subheader("Acknowledged — to act on", anchor="to-act-on")
    st.caption("Forwarded messages you acknowledged: each stays until answered or an item.")
for r in todo:
    _row(r, now)
render_mentions(me, now)
render_sent(me, now)
