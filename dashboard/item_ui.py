"""What the item page draws: its header, the next-step buttons, and the Timeline, Messages and
Comments tabs.

Every step button calls one `db.workflow` function with the version the page first showed
(kept in `st.session_state` under `version_key`), so a change made by someone else meanwhile
surfaces as a conflict, with a Reload button, instead of being overwritten. Customer text is
shown with `st.text` only. Every widget key carries the page's `item_` prefix.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import streamlit as st

from dashboard import data, signin, ui
from db import workflow
from db.errors import Conflict
from db.itemstate import conflict
from db.models import utcnow
from db.tracking import describe

STEPS = {  # intent: (button label, form fields or () for a plain button)
    "acknowledge": ("Take ownership", ()),
    "start": ("Start work", ()),
    "reopen": ("Reopen", ("reason",)),
    "ship": ("Ship", ("public_title", "public_text", "publish_anyway")),
    "decline": ("Decline", ("reason", "public_text", "show_publicly")),
    "duplicate": ("Mark duplicate", ("of_item_id",)),
}
FN = {i: getattr(workflow, "mark_duplicate" if i == "duplicate" else i) for i in STEPS}
AREA = {  # (intent, field): label; a decline's public text says why nothing changes
    ("ship", "public_text"): "What we changed (public)",
    ("decline", "public_text"): "Why we are not changing it (public)",
    ("decline", "reason"): "Reason (internal)",
    ("reopen", "reason"): "Why reopen? (internal)",
}
DONE = {
    "acknowledge": "You own this item now.",
    "start": "Work started.",
    "reopen": "Reopened: back in progress.",
    "ship": "Shipped. Now tell each customer below.",
    "decline": "Declined.",
    "duplicate": "Marked as a duplicate: its messages moved to the original item.",
}


def version_key(item_id: int) -> str:
    """Return the session key of the item version the page showed first."""
    return f"item_version_{item_id}"


def _conflict_key(item_id: int) -> str:
    return f"item_conflict_{item_id}"


def _forget_version(item_id: int) -> None:
    st.session_state.pop(version_key(item_id), None)
    st.session_state.pop(_conflict_key(item_id), None)


def header(detail) -> None:
    """Show the item's title, status, owner and age, and whether it is overdue."""
    item = detail.item
    st.title(f"#{item['id']} {ui.escape_md(item['title'])}")
    days = detail.days_since_first
    first = "no complaint linked" if days is None else f"{days} days since the first complaint"
    owner = ui.escape_md(detail.owner or "nobody")
    st.caption(f"**{item['status'].replace('_', ' ')}** · owner: {owner} · {first}")
    if detail.overdue:
        st.badge("Overdue", icon=":material/alarm:", color="red")


def conflict_notice(item_id: int) -> None:
    """Say the item changed since the page showed it, by whom and when, and offer to reload."""
    said = st.session_state.get(_conflict_key(item_id))
    if said is None:  # reloaded before any step was refused: name the last change the same way
        with data.session() as s:
            said = str(conflict(s, item_id))
    st.warning(f"{said} What you typed is kept.", icon=":material/sync_problem:")
    if st.button("Reload", key="item_reload"):
        _forget_version(item_id)
        st.rerun()


def act(fn, success: str, item_id: int, loaded: int, **values) -> None:
    with data.session() as s:
        kw = dict(actor=signin.actor(s), expected_version=loaded, now=utcnow(), **values)
        done = ui.domain_action(_unless_changed(fn, item_id), s, item_id, success=success, **kw)
    if done is not None:
        _forget_version(item_id)
        st.rerun()


def _unless_changed(fn, item_id: int):
    """Wrap a step so that, if someone changed the item meanwhile, the page shows the new
    version with who changed it and a Reload button, and the text typed in the form is kept
    (a browser reload would lose it)."""

    def step(*args, **kw):
        try:
            return fn(*args, **kw)
        except Conflict as error:
            st.session_state[_conflict_key(item_id)] = str(error)
            data.clear_caches()
            st.rerun()

    return step


def _field(intent: str, name: str, key: str, item_id: int):
    if name == "publish_anyway":
        tip = "Only if the text must name someone: the public log shows those parts [removed]."
        return st.checkbox("Publish anyway", value=False, key=key, help=tip)
    if name == "show_publicly":
        return st.checkbox("Show on the public log", value=True, key=key)
    if name == "of_item_id":  # pick by title: nobody knows the other item's number by heart
        others = {i: f"#{i} {title}" for i, title, _ in data.open_items() if i != item_id}
        return st.selectbox(
            "Duplicate of", list(others), format_func=others.get, index=None,
            placeholder="Choose the original item", key=key,
        )  # fmt: skip
    if name == "public_title":
        return st.text_input("Public title", key=key)
    return st.text_area(AREA[intent, name], key=key)


def steps(detail, me, *, loaded: int) -> None:
    """Show a button (or a form in a popover) for each next step that is `me`'s to take."""
    item_id = detail.item["id"]
    fwd = me.id in detail.forwarded_to
    mine = workflow.next_steps(SimpleNamespace(**detail.item), me, forwarded_to_me=fwd)
    if not mine:
        st.caption("No next step is yours to take on this item.")
    with st.container(horizontal=True, gap="small"):
        for intent in mine:
            label, fields = STEPS[intent]
            if not fields:
                if st.button(label, type="primary", key=f"item_step_{intent}"):
                    act(FN[intent], DONE[intent], item_id, loaded)
                continue
            with st.popover(label, key=f"item_pop_{intent}"), st.form(f"item_form_{intent}"):
                values = {f: _field(intent, f, f"item_{intent}_{f}", item_id) for f in fields}
                if not st.form_submit_button(label, type="primary", key=f"item_go_{intent}"):
                    continue
                if values.get("of_item_id", 0) is None:
                    st.error("Choose the original item.")
                    continue
                act(FN[intent], DONE[intent], item_id, loaded, **values)


def messages(detail) -> None:
    """Show the messages linked to the item, as plain text."""
    if not detail.messages:
        st.caption("No messages are linked to this item.")
    for m in detail.messages:
        with st.container(border=True):
            who = ui.escape_md(m.who or "unknown sender")
            st.caption(f"{ui.channel_icon(m.channel)} {who} · {ui.stamp(m.received_at)}")
            if m.subject:
                st.text(m.subject)
            ui.message_text(m.body)


def comments(detail) -> None:
    """Show the item's comments and a form to add one."""
    for author, when, body in detail.comments:
        st.caption(f"{ui.escape_md(author)} · {ui.stamp(when)}")
        ui.message_text(body, more="Show the whole comment")
    with st.form("item_comment", clear_on_submit=True):
        body = st.text_area("Add a comment", key="item_comment_body", height=80)
        if st.form_submit_button("Comment", key="item_comment_go"):
            with data.session() as s:
                item_id = detail.item["id"]
                kw = dict(item_id=item_id, body=body, actor=signin.actor(s), now=utcnow())
                ui.domain_action(workflow.comment, s, success="Comment added.", rerun=True, **kw)


def timeline(detail) -> None:
    """Show the item's audit trail as a table: when, who, what."""
    # each linked message's own "attached" event repeats the item's "added n messages" line
    events = [e for e in detail.timeline if (e.entity, e.action) != ("message", "attached")]
    rows = [(ui.stamp(e.at, zone=False), e.actor or "system", describe(e)) for e in events]
    columns = [ui.zone_header("When"), "Who", "What"]
    ui.dataframe(pd.DataFrame(rows, columns=columns), hide_index=True)
