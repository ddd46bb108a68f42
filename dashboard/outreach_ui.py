"""The customer list of a shipped item: a progress line, one reply form, every customer's line.

An item can have dozens of customers, so the list stays short: the reply form of one waiting
customer at a time (the next one comes up after each reply), and every customer as one line of
a grid. Renders only; every click is one `db.loop` call, made through `act`, which the rest of
`dashboard.loop_ui` uses too. Customer text (names, drafts quoting the customer) is shown as
plain text, grid cells or escaped Markdown. E-mail replies go through the outbox and are handed
to SMTP at once when it is configured (the worker retries otherwise); tweets are answered by
hand from the link, then marked answered here.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, signin, ui
from dashboard.item_ui import version_key
from db import loop
from db.errors import DomainError
from db.models import Contact, Message, Outreach, utcnow

STATUS_LABEL = {"pending": "waiting", "told": "told", "skipped": "skipped"}


def _done(success: str, item_id: int) -> None:
    data.clear_caches()
    st.session_state.pop(version_key(item_id), None)
    st.session_state[ui.FLASH_KEY] = success
    st.rerun()


def act(fn, *args, success: str, item_id: int, **kw) -> None:
    """Run one `db.loop` intent on the item as the signed-in user; on success say so and rerun."""
    with data.session() as s:
        done = ui.domain_action(fn, s, *args, actor=signin.actor(s), now=utcnow(), **kw)
    if done is not None:
        _done(success, item_id)


def _deliver_now() -> str:
    """Hand queued e-mails to SMTP right away when it is configured (the worker retries);
    return what the user should be told happened to the reply."""
    from db.delivery import deliver_due
    from db.smtp import SmtpSettings

    try:
        smtp = SmtpSettings.from_env()
    except DomainError as e:  # a malformed SMTP_* variable: the reply waits, safely queued
        return f"Reply queued in the outbox; the server's SMTP settings are wrong: {e}"
    if smtp is None:
        return "Reply queued in the outbox: it is sent once e-mail (SMTP) is set up."
    report = deliver_due(data.engine(), now=utcnow(), limit=20)
    if report.sent and not report.error:
        return "E-mail sent to the customer."
    return "Reply queued: the e-mail could not be sent yet and will be retried."


def _tell(o: Outreach, reply: str, remedy: str, goodwill: str, item_id: int, by_x: bool) -> None:
    with data.session() as s:
        who = {"actor": signin.actor(s), "now": utcnow()}
        changed = (remedy, goodwill) != (o.remedy, o.goodwill)
        kept = not changed or ui.domain_action(
            loop.record_remedy, s, o.id, remedy=remedy, goodwill=goodwill, **who
        )
        if not kept or not ui.domain_action(loop.tell_customer, s, o.id, reply_text=reply, **who):
            return
    _done("Marked as answered on X." if by_x else _deliver_now(), item_id)


def _pending(o: Outreach, msg: Message | None, item_id: int) -> None:
    url = loop.tweet_url(msg) if msg is not None and msg.external_id.isdigit() else None
    with st.form(f"loop_form_{o.id}"):
        reply = st.text_area("Reply", value=o.reply_text, key=f"loop_reply_{o.id}", height=150)
        left, right = st.columns(2)
        remedy = left.text_input(
            "The fix for this customer",
            value=o.remedy,
            placeholder="e.g. refunded both tickets",
            key=f"loop_remedy_{o.id}",
        )
        goodwill = right.text_input(
            "Goodwill gesture (separate from the fix)",
            value=o.goodwill,
            placeholder="e.g. two lounge vouchers",
            key=f"loop_good_{o.id}",
        )
        label = "Mark answered on X" if url else "Send e-mail"
        if st.form_submit_button(label, type="primary", key=f"loop_tell_{o.id}"):
            _tell(o, reply, remedy, goodwill, item_id, by_x=url is not None)
    if url:
        st.link_button(
            "Open the post on X to reply", url, icon=":material/open_in_new:", key=f"loop_x_{o.id}"
        )
    with st.popover("Skip this customer", key=f"loop_skip_pop_{o.id}"):
        reason = st.text_input("Why not tell them?", key=f"loop_skip_reason_{o.id}")
        if st.button("Skip", key=f"loop_skip_{o.id}"):
            act(loop.skip_customer, o.id, reason=reason, success="Skipped.", item_id=item_id)


def _who(contact: Contact) -> str:
    return contact.display_name or contact.email or f"@{contact.handle}"


def _current(o: Outreach, contact: Contact, msg: Message | None, item_id: int) -> None:
    """The reply form of the one customer being answered now."""
    with st.container(border=True, key=f"loop_customer_{o.id}"):
        channel = msg.channel if msg is not None else "email"
        st.markdown(f"{ui.channel_icon(channel)} **{ui.escape_md(_who(contact))}**")
        _pending(o, msg, item_id)


def _pick_waiting(waiting: list, item_id: int):
    """Choose whom to answer: the first customer still waiting, or one picked from the list."""
    if len(waiting) == 1:
        return waiting[0]
    ids = [o.id for o, _, _ in waiting]
    key = f"loop_pick_{item_id}_{len(ids)}"  # a new picker after each reply: the next customer
    names = {o.id: _who(contact) for o, contact, _ in waiting}
    picked = st.selectbox(
        f"Answer next ({len(waiting)} waiting)", ids, format_func=names.get, key=key
    )
    return next(row for row in waiting if row[0].id == picked)


def _overview(rows: list) -> None:
    """Every customer on one compact line: status, when, the fix; the reply on hover."""
    table = [
        {
            "Customer": _who(contact),
            "Channel": ui.CHANNEL_LABELS.get(msg.channel if msg else "email", ""),
            "Status": STATUS_LABEL.get(o.status, o.status),
            ui.zone_header("Done"): ui.stamp(o.done_at, zone=False),
            "Fix / goodwill": " · ".join(x for x in (o.remedy, o.goodwill) if x),
            "Reply or reason": o.reply_text if o.status == "told" else o.skip_reason or "",
        }
        for o, contact, msg in rows
    ]
    ui.dataframe(
        pd.DataFrame(table),
        hide_index=True,
        width="stretch",
        height=min(36 * (len(table) + 1) + 3, 360),
        key="loop_overview",
    )


def render_customers(rows: list, item_id: int, mine: bool) -> None:
    """Show a progress line, the reply form of one waiting customer (if mine), and the list."""
    waiting = [row for row in rows if row[0].status == "pending"]
    told = sum(o.status == "told" for o, _, _ in rows)
    skipped = sum(o.status == "skipped" for o, _, _ in rows)
    st.markdown(
        f"**{told + skipped} of {len(rows)} customers handled** · {told} told · "
        f"{skipped} skipped · {len(waiting)} waiting"
    )
    if waiting and mine:
        o, contact, msg = _pick_waiting(waiting, item_id)
        _current(o, contact, msg, item_id)
    _overview(rows)
