"""The Inbox's "Mentioned you" section: comments that @mention the signed-in user, newest first,
and the answers to messages they forwarded ("Answers and mentions" when there are any).

Renders only: the entries come from `db.mentions.unseen` (not cached: one user's own list), and
"Mark as seen", the one action, is `db.mentions.mark_seen`; a seen entry leaves the inbox.
Opening the item or answering does not mark it seen, so nothing disappears behind one's back.
Comments and customer text are shown as plain text, names and titles as escaped Markdown.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard import data, signin, ui
from db import mentions
from db.models import utcnow

LIMIT = 50


def render_mentions(me: signin.CurrentUser, now: datetime) -> None:
    """Show the comments mentioning `me` that are not marked seen (nothing when none are)."""
    with data.session() as s:
        rows = mentions.unseen(s, user_id=me.id, limit=LIMIT)
    if not rows:
        return
    answers = any(r.answer for r in rows)
    st.subheader("Answers and mentions" if answers else "Mentioned you", anchor="mentions")
    shown = f"the newest {LIMIT} are shown" if len(rows) == LIMIT else "newest first"
    st.caption(f"{ui.plural(len(rows), 'comment')} for you · {shown}")
    for row in rows:
        _entry(row, now)


def _entry(row: mentions.MentionRow, now: datetime) -> None:
    key = f"mention_{row.comment_id}"
    with st.container(border=True, key=key):
        head, action = st.columns([5, 1], vertical_alignment="center")
        with head:
            ui.heading_link(row.title, row.item_id)
            when = f"{ui.stamp(row.at)} ({ui.relative_time(row.at, now=now)})"
            did = "answered your forward" if row.answer else "mentioned you"
            st.caption(f"{ui.escape_md(row.author)} {did} · {when}")
            ui.message_text(row.body, more="Show the whole comment")
            if row.message_text is not None:
                st.caption("The message it is about:")
                ui.message_text(row.message_text)
        with action:
            if st.button("Mark as seen", key=f"{key}_seen", icon=":material/done:"):
                _mark_seen(row.comment_id)


def _mark_seen(comment_id: int) -> None:
    with data.session() as s:
        ui.domain_action(
            mentions.mark_seen,
            s,
            comment_id,
            actor=signin.actor(s),
            now=utcnow(),
            success="Marked as seen.",
            rerun=True,
        )
