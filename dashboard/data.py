"""The app's data access as pages use it: engine, sessions, every cached read, and clearing them.

The one module pages import for data. The engine, sessions and time zone live in
`dashboard.database`; the cached readers, by concern, in `dashboard.review_reads` (feed,
messages, users, quarantine), `dashboard.insights_reads` (the Insights aggregates) and
`dashboard.item_reads` (items and the public log). Those are the only modules with
`st.cache_*`. Cached readers return plain values or DataFrames — never ORM objects — and nothing
user-specific, because every user shares the cache. Call `clear_caches()` after a write. The
signed-in user is `dashboard.signin`'s.
"""

from __future__ import annotations

import streamlit as st

from dashboard import database, insights_reads, item_reads, review_reads
from dashboard.database import _engine_for, engine, session, zone, zone_name
from dashboard.insights_reads import (
    insights_breaches,
    insights_frames,
    insights_messages,
    insights_specs,
    insights_teams,
)
from dashboard.item_reads import (
    item_detail,
    item_owners_and_teams,
    items_board,
    open_items,
    public_log,
    public_log_export,
)
from dashboard.review_reads import (
    active_user_count,
    feed_cards,
    mailboxes_frame,
    managers,
    message_comments,
    messages_frame,
    quarantine_frame,
    quarantine_raw,
    users_frame,
)

__all__ = [
    "active_user_count",
    "clear_caches",
    "engine",
    "feed_cards",
    "insights_breaches",
    "insights_frames",
    "insights_messages",
    "insights_specs",
    "insights_teams",
    "item_detail",
    "item_owners_and_teams",
    "items_board",
    "mailboxes_frame",
    "managers",
    "message_comments",
    "messages_frame",
    "open_items",
    "public_log",
    "public_log_export",
    "quarantine_frame",
    "quarantine_raw",
    "session",
    "users_frame",
    "zone",
    "zone_name",
]

CACHED_MODULES = (database, review_reads, insights_reads, item_reads)


def clear_caches(*, everything: bool = False) -> None:
    """Forget every cached read after a write (the Insights aggregates too: they are read from
    rollups kept in the same transaction as the write, and refill in a few hundred ms)."""
    if everything:
        st.cache_data.clear()
        return
    cached = type(_engine_for)  # the class of every st.cache_data / st.cache_resource function
    for module in CACHED_MODULES:
        for reader in vars(module).values():
            if isinstance(reader, cached) and reader is not _engine_for:
                reader.clear()
