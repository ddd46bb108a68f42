"""Morning review: the ranked feed as cards, and one action per intent on each card.

Executives go through the feed card by card: forward to a manager, comment, turn into a new
item, add to an open item, or dismiss (the forms live in `dashboard.review_forms`). A handled
card leaves the feed on the next run; a comment stays on its card, with the latest comments
shown. The feed opens on what arrived since my last review (never reviewed: since the start of
the last working day, so Friday's mail is there on Monday); a day picker shows any past day.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard import data, signin, ui
from dashboard.review_forms import act, action_bar, reset_action
from db import workflow
from db.clock import day_start, local_day, previous_workday, stamp
from db.models import utcnow
from db.rollup import NOTABLE_SCORE

SHOWN_COMMENTS = 2  # the latest ones; the card stays short


def _meta_line(card, now: datetime) -> str:
    who = ui.escape_md(card.contact_name) if card.contact_name else "Unknown sender"
    parts = [f"{ui.channel_icon(card.channel)} {who}"]
    if card.followers:
        parts.append(f"{ui.compact_number(card.followers)} followers")
    parts.append(ui.relative_time(card.last_at, now=now))
    if card.count > 1:
        zone = data.zone()
        same_day = local_day(card.first_at, zone) == local_day(now, zone)
        since = stamp(card.first_at, zone, "%H:%M" if same_day else "%a %H:%M")
        parts.append(f"**{card.count} messages** · since {since} · {card.trend}")
    return "  ·  ".join(parts)


def _comments(notes: list, now: datetime) -> None:
    """Show the card's comments, so a comment just added (or a colleague's) is visible."""
    if not notes:
        return
    if len(notes) > SHOWN_COMMENTS:
        st.caption(f"{len(notes) - SHOWN_COMMENTS} earlier comments")
    for note in notes[-SHOWN_COMMENTS:]:
        when = ui.relative_time(note.at, now=now)
        st.caption(f":material/chat_bubble: {ui.escape_md(note.author)} · {when}")
        ui.message_text(note.body, more="Show the whole comment")


def _card(card, now: datetime, top: float, notes: list) -> None:
    key = f"review_{card.lead_id}"
    with st.container(border=True, key=f"{key}_card"):
        head, score = st.columns([12, 1], vertical_alignment="center")
        head.markdown(f"**{ui.escape_md(card.title)}**")
        text = " ".join((card.body or "").split())
        with score:
            ui.score_badge(card.score, top=top)
        st.caption(_meta_line(card, now))
        ui.reasons(card.reasons)
        if card.count > 1:  # the title names the theme; this is its most notable message
            st.caption(f"Most notable of the {card.count}:")
            if card.subject:  # the reasons may quote it ("complaint: lost" from "lost hours")
                st.markdown(f"**{ui.escape_md(card.subject)}**")
        if text != card.title:  # a short post is its own title: show it once
            ui.message_text(card.body)
        _comments(notes, now)
        action_bar(card, key)


reset_action()
me = signin.current_user()
now = utcnow()
last = signin.last_review(me)
st.title("Morning review")
left, middle, right = st.columns([2, 2, 3], vertical_alignment="bottom")
zone = data.zone()
today = local_day(now, zone)
since = last or day_start(previous_workday(now, zone), zone)  # never reviewed: the last workday
since_mode = left.toggle(
    "Since my last review" if last else "Since the last working day",
    value=True,
    key="review_since",
    help="Everything that arrived since you last pressed 'Mark these as reviewed'."
    if last
    else f"Everything since {stamp(since, zone, '%a %d %b')}. After your first 'Mark these as "
    "reviewed', it shows what arrived since then.",
)
day = middle.date_input("Day", value=today, max_value=today, key="review_day", disabled=since_mode)
cards = data.feed_cards(None if since_mode else day, since if since_mode else None)
seen = ui.relative_time(last, now=now) if last else "never"
count = f"{len(cards)} card" + ("" if len(cards) == 1 else "s")
right.caption(f"{count} · your last review: {seen}")

if not cards:
    when = stamp(since, zone, "%a %d %b %H:%M") if since_mode else None
    ui.empty_state(
        f"Your feed is clear — nothing notable has arrived since {when}. Switch off the toggle "
        "to look back at a day."
        if since_mode
        else "Nothing notable that day is waiting. Pick another day, or come back after the "
        "next import.",
        icon=":material/done_all:",
    )
top = max((c.score for c in cards), default=0.0)
comments = data.message_comments(tuple(sorted(m for c in cards for m in c.member_ids)))
below = next((i for i, c in enumerate(cards) if c.score < NOTABLE_SCORE), None)
for i, feed_card in enumerate(cards):
    if i == below:  # the score's own scale: under 5 is not notable, only the best of a quiet day
        st.caption(
            f":material/low_priority: Below the notable line (score under {NOTABLE_SCORE:g}): "
            "a glance if there is time.",
            help="The feed shows the best of the day; these did not reach the notable score.",
        )
    members = set(feed_card.member_ids)
    _card(feed_card, now, top, [n for n in comments if n.message_id in members])
if cards and st.button("Mark these as reviewed", icon=":material/done_all:", key="review_done"):
    st.session_state["review_confirm"] = True  # every card leaves the feed: ask first
if cards and st.session_state.get("review_confirm"):
    with st.container(border=True, key="review_confirm_box"):
        st.warning(
            f"Mark all {count} as reviewed? They leave the feed, acted on or not, and "
            "'Since my last review' starts from now.",
            icon=":material/done_all:",
        )
        yes, no, _ = st.columns([2, 1, 4])
        if yes.button("Yes, mark reviewed", type="primary", key="review_done_yes"):
            del st.session_state["review_confirm"]
            ids = [m for c in cards for m in c.member_ids]
            act(workflow.review, "Review recorded.", message_ids=ids)
        if no.button("Cancel", key="review_done_no"):
            del st.session_state["review_confirm"]
            st.rerun()
