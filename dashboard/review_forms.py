"""The action forms on a morning-review card: forward, comment, new item, add to item, dismiss.

Each form submits one call into `db.workflow` (which checks permission and records the
Event). A card shows only the form of the action picked, so a 20-card feed runs few widgets;
after a success the form folds away and the page reruns, so a handled card leaves the feed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import streamlit as st

from dashboard import data, signin, ui
from db import workflow
from db.clock import local_at, local_day
from db.models import ItemStatus, utcnow

RESPOND_BY_HOUR = time(17, 0)  # the company's time
CLOSE_KEY = "review_close_card"
ITEM_TITLE_CHARS = 200  # a suggested item title; the field holds 300


def action_key(card_key: str) -> str:
    """Return the session key of a card's action picker."""
    return f"{card_key}_action"


def reset_action() -> None:
    """Fold away the form of the card acted on in the previous run (call before any widget)."""
    card_key = st.session_state.pop(CLOSE_KEY, None)
    if card_key:
        st.session_state[action_key(card_key)] = None


def act(
    fn: Callable[..., Any],
    success: str | Callable[[Any], str],
    *,
    card_key: str | None = None,
    **kw: Any,
) -> None:
    """Run one workflow intent as the signed-in user; on success close the card and rerun.

    `success` is the confirmation, or a function of the result that words it (an item's id)."""
    with data.session() as s:
        done = ui.domain_action(fn, s, actor=signin.actor(s), now=utcnow(), success=success, **kw)
    if done is not None:
        st.session_state[CLOSE_KEY] = card_key
        st.rerun()


def _next_business_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _pick_manager(label: str, key: str, placeholder: str) -> tuple | None:
    people = {p[0]: p for p in data.managers()}
    names = {i: f"{name} · {team}" if team else name for i, name, team in people.values()}
    picked = st.selectbox(
        label, list(names), format_func=names.get, index=None, placeholder=placeholder, key=key
    )
    return people.get(picked)


def forward_form(card, key: str) -> None:
    """Forward the card's messages to a manager with a note and a respond-by date."""
    with st.form(f"{key}_fwd", border=False):
        to = _pick_manager("To", f"{key}_fwd_to", "Choose a manager")
        note = st.text_input("Note", value="?", key=f"{key}_fwd_note")
        zone = data.zone()
        default_by = _next_business_day(local_day(utcnow(), zone))
        respond = st.date_input(
            "Respond by",
            value=default_by,
            key=f"{key}_fwd_by",
            help=f"By {RESPOND_BY_HOUR:%H:%M} that day ({data.zone_name()}); late forwards are "
            "flagged as overdue.",
        )
        if not st.form_submit_button("Forward", type="primary", key=f"{key}_fwd_go"):
            return
    if to is None:
        st.error("Choose a manager to forward to.")
        return
    by = local_at(respond, RESPOND_BY_HOUR, zone) if respond else None
    act(
        workflow.forward,
        f"Forwarded to {to[1]}.",
        card_key=key,
        message_ids=[card.lead_id, *card.member_ids],  # the lead names the forward
        to_user_id=to[0],
        note=note,
        respond_by=by,
    )


def comment_form(card, key: str) -> None:
    """Comment on the card's lead message."""
    with st.form(f"{key}_cmt", border=False):
        body = st.text_area("Comment", key=f"{key}_cmt_body", height=90)
        if st.form_submit_button("Add comment", type="primary", key=f"{key}_cmt_go"):
            act(
                workflow.comment, "Comment added.", card_key=key, message_id=card.lead_id, body=body
            )


def new_item_form(card, key: str) -> None:
    """Turn the card's messages into a new improvement item, optionally with an owner."""
    with st.form(f"{key}_new", border=False):
        title = st.text_input("Title", value=_draft_title(card), key=f"{key}_new_title")
        problem = st.text_area("Problem", key=f"{key}_new_problem", height=90)
        owner = _pick_manager("Owner (optional)", f"{key}_new_owner", "Decide later")
        if not st.form_submit_button("Create item", type="primary", key=f"{key}_new_go"):
            return
    act(
        workflow.create_item,
        lambda item: f"Created item #{item.id}: find it on the Items board.",
        card_key=key,
        message_ids=card.member_ids,
        title=title,
        problem=problem,
        owner_id=owner[0] if owner else None,
        team=owner[2] if owner else None,
    )


def attach_form(card, key: str) -> None:
    """Add the card's messages to an open item, or to a shipped one (the complaint came back
    after the fix: its owner sees it there and can reopen it)."""
    items = {
        i: f"#{i} {title}" + (" · already shipped" if status == ItemStatus.SHIPPED else "")
        for i, title, status in data.open_items(shipped=True)
    }
    if not items:
        st.caption("There are no open items yet.")
        return
    with st.form(f"{key}_add", border=False):
        item_id = st.selectbox(
            "Item",
            list(items),
            format_func=items.get,
            index=None,
            placeholder="Choose an item",
            key=f"{key}_add_item",
        )
        if not st.form_submit_button("Add to item", type="primary", key=f"{key}_add_go"):
            return
    if item_id is None:
        st.error("Choose an item.")
        return
    act(
        workflow.attach,
        f"Added to {ui.escape_md(items[item_id])}.",  # an item title is often a subject
        card_key=key,
        item_id=item_id,
        message_ids=card.member_ids,
    )


def dismiss_form(card, key: str) -> None:
    """Dismiss the card's messages with a reason."""
    with st.form(f"{key}_dis", border=False):
        reason = st.text_input("Reason", key=f"{key}_dis_reason", placeholder="e.g. answered")
        if st.form_submit_button("Dismiss", type="primary", key=f"{key}_dis_go"):
            act(
                workflow.dismiss,
                "Dismissed.",
                card_key=key,
                message_ids=card.member_ids,
                reason=reason,
            )


ACTIONS = {
    "Forward": (":material/forward:", forward_form),
    "Comment": (":material/chat_bubble:", comment_form),
    "New item": (":material/add_task:", new_item_form),
    "Add to item": (":material/playlist_add:", attach_form),
    "Dismiss": (":material/close:", dismiss_form),
}


def action_bar(card, key: str) -> None:
    """Show the card's actions; the picked one unfolds its form below."""
    picked = st.segmented_control(
        "Act on this card",
        list(ACTIONS),
        format_func=lambda label: f"{ACTIONS[label][0]} {label}",
        label_visibility="collapsed",
        key=action_key(key),
    )
    if picked:
        ACTIONS[picked][1](card, key)


def _draft_title(card) -> str:
    """Return a new item's suggested title: the card's, whole (a cut-off title ends in '…')."""
    if not card.title.endswith("…"):
        return card.title
    text = " ".join((card.subject or card.body or "").split())
    return text[:ITEM_TITLE_CHARS].rsplit(" ", 1)[0] if len(text) > ITEM_TITLE_CHARS else text
