"""Messages: every stored email and post, newest first, filtered by channel and day.

Customer text sits in a data grid, which shows cell values as plain text (never Markdown or
HTML). Paging asks for one row more than a page to know whether an older page exists. A selected
message shows its theme, and an executive can split a wrongly grouped message off it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, signin, ui
from db import workflow
from db.auth import can
from db.models import utcnow

PAGE_SIZE = 200
CHANNELS = {"All": None, "Email": "email", "X": "tweet"}
COLUMNS = ["Received", "Channel", "Score", "Status", "From", "Message", "Reasons"]
TRIAGE = {"new": "not handled", "reviewed": "seen", "forwarded": "forwarded",
          "linked": "on an item", "dismissed": "dismissed"}  # fmt: skip


def _flat(text) -> str:
    return "" if text is None or pd.isna(text) else " ".join(str(text).split())


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    """Shape list_messages rows for the grid: who, what (subject and text), why."""
    who = frame.get("contact_name", pd.Series(index=frame.index, dtype=object))
    subject = frame.get("subject", pd.Series(index=frame.index, dtype=object)).map(_flat)
    body = frame["body"].map(_flat)
    return pd.DataFrame(
        {
            "Received": frame["received_at"],
            "Channel": frame["channel"].map({"email": "Email", "tweet": "X"}).fillna(""),
            "Score": frame["score"],
            "From": who.fillna(frame["sender"]).fillna(""),
            "Message": (subject + " — ").where(subject != "", "") + body,
            "Reasons": frame["reasons"].map(lambda r: " · ".join(r or [])),
            "Status": frame["triage"].map(TRIAGE).fillna(frame["triage"]),
        },
        columns=COLUMNS,
    )


def _detail(chosen: pd.Series, shown: pd.Series) -> None:
    """The selected message in full: who and when, its status, its text, its item."""
    with st.container(border=True, key="messages_detail"):
        subject = _flat(chosen.get("subject"))  # a post has none (NaN in the frame)
        label = ui.CHANNEL_LABELS.get(chosen.get("channel"), "Message")
        st.markdown(f"**{ui.escape_md(subject or label)}**")
        who = " · ".join(p for p in (shown["From"], _flat(chosen.get("sender"))) if p)
        when = ui.stamp(chosen["received_at"])
        st.caption(" · ".join(ui.escape_md(p) for p in (who, when, shown["Status"]) if p))
        ui.message_text(chosen.get("body"), preview=4000)
        item = chosen.get("item_id")
        me = signin.current_user()
        if pd.notna(item) and can(me, "item.read"):
            st.page_link(
                "app_pages/item.py",
                label=f"Open item #{int(item)}, which this message is part of",
                icon=":material/arrow_forward:",
                query_params={"item": str(int(item))},
            )
        _theme(chosen, me)


def _theme(chosen: pd.Series, me) -> None:
    """Name the message's theme, and let an executive split it off a theme it does not fit."""
    label = chosen.get("theme")
    if not isinstance(label, str) or not label:
        return
    st.caption(f"Theme: {ui.escape_md(label)}")
    if not can(me, "message.split"):
        return
    if st.button(
        "Not about this: split it off the theme",
        icon=":material/call_split:",
        key="messages_split",
        help="It gets a theme of its own, which rescoring keeps apart.",
    ):
        with data.session() as s:
            ui.domain_action(
                workflow.split_from_theme, s, int(chosen["id"]), actor=signin.actor(s),
                now=utcnow(), success="Split off: the message has a theme of its own now.",
                rerun=True,
            )  # fmt: skip


def _reset_page() -> None:
    st.session_state["messages_page"] = 0


st.title("Messages")
st.caption("Every stored email and post, newest first.")
left, middle, _ = st.columns([2, 2, 3], vertical_alignment="bottom")
with left:
    choice = st.segmented_control(
        "Channel", list(CHANNELS), default="All", key="messages_channel", on_change=_reset_page
    )
with middle:
    day = st.date_input(
        "Day", value=None, key="messages_day", on_change=_reset_page, help="Empty: every day."
    )

page = st.session_state.setdefault("messages_page", 0)
frame = data.messages_frame(
    CHANNELS.get(choice or "All"), day, limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE
)
has_older = len(frame) > PAGE_SIZE
frame = frame.head(PAGE_SIZE)

if frame.empty:
    ui.empty_state(
        "No messages match these filters: pick another day or channel. New mail and posts "
        "arrive when an admin imports them (Admin → Import, or `feedbackloop ingest PATH`)."
    )
else:
    table = _table(frame)
    picked = ui.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="messages_table",
        height=460,
        column_config={
            "Received": st.column_config.DatetimeColumn(
                ui.zone_header("Received"),
                format="D MMM YYYY HH:mm",
                width=130,
                timezone=data.zone_name(),
            ),
            "Channel": st.column_config.TextColumn(width=70),
            "Score": st.column_config.NumberColumn(format="%.0f", width=60, help=ui.SCORE_HELP),
            "From": st.column_config.TextColumn(width=150),
            "Message": st.column_config.TextColumn(width=360),
            "Reasons": st.column_config.TextColumn(width=220),
            "Status": st.column_config.TextColumn(width=95),
        },
    )
    first = page * PAGE_SIZE + 1
    st.caption(f"Messages {first}–{first + len(frame) - 1}. Select a row to read it in full.")
    rows = picked.selection.rows if picked else []
    if rows:
        _detail(frame.iloc[rows[0]], table.iloc[rows[0]])

if page > 0 or has_older:
    newer, older, _ = st.columns([1, 1, 6])
    if newer.button(
        "Newer", icon=":material/chevron_left:", disabled=page == 0, key="messages_newer"
    ):
        st.session_state["messages_page"] = page - 1
        st.rerun()
    if older.button(
        "Older", icon=":material/chevron_right:", disabled=not has_older, key="messages_older"
    ):
        st.session_state["messages_page"] = page + 1
        st.rerun()
