"""Cached reads about incoming messages and the people who handle them.

What the morning review reads (its feed cards, the comments on their messages, the managers a
card can be forwarded to), the Messages list, and what Admin reads (the users, how many can
sign in, the quarantined input records, the mailboxes fetched). Shared by every user, so
nothing user-specific; the values are frozen dataclasses, tuples or DataFrames, never ORM
objects. Pages import these
through `dashboard.data`, whose `clear_caches()` forgets them after a write.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st
from sqlmodel import func, select

from dashboard.database import session
from db.models import Mailbox, Quarantine, Role, User, utcnow


@st.cache_data(ttl=60, show_spinner=False)
def feed_cards(day: date | None, since: datetime | None, limit: int = 20) -> list:
    """Return the morning feed's cards (frozen FeedCard values) for `day` / `since`."""
    from db.queries import morning_feed

    with session() as s:
        return morning_feed(s, day=day, since=since, limit=limit, now=utcnow())


@st.cache_data(ttl=60, show_spinner=False)
def message_comments(message_ids: tuple[int, ...]) -> list:
    """Return the comments on these messages (frozen MessageComment values), oldest first."""
    from db.tracking import message_comments as comments

    with session() as s:
        return comments(s, list(message_ids))


@st.cache_data(ttl=60, show_spinner=False)
def messages_frame(
    channel: str | None, day: date | None, limit: int = 200, offset: int = 0
) -> pd.DataFrame:
    """Return stored messages, newest first, as a DataFrame."""
    from db.views import list_messages

    with session() as s:
        rows = list_messages(s, channel=channel, day=day, limit=limit, offset=offset)
    return pd.DataFrame(rows)


@st.cache_data(ttl=60, show_spinner=False)
def managers() -> list[tuple[int, str, str | None]]:
    """Return active managers as (id, name, team), by name: whom a card can be forwarded to."""
    with session() as s:
        stmt = (
            select(User.id, User.name, User.team)
            .where(User.role == Role.MANAGER, User.is_active)
            .order_by(User.name)
        )
        return [tuple(row) for row in s.exec(stmt).all()]


@st.cache_data(ttl=30, show_spinner=False)
def active_user_count() -> int:
    """Return how many users can sign in (0 on a fresh database)."""
    with session() as s:
        return s.exec(select(func.count()).select_from(User).where(User.is_active)).one()


@st.cache_data(ttl=60, show_spinner=False)
def users_frame() -> pd.DataFrame:
    """Return every user (no secrets) as a DataFrame, by name."""
    cols = (User.id, User.name, User.email, User.role, User.team, User.is_active, User.created_at)
    with session() as s:
        rows = s.exec(select(*cols).order_by(User.name)).all()
    names = ["id", "name", "email", "role", "team", "active", "created_at"]
    return pd.DataFrame([tuple(r) for r in rows], columns=names)


@st.cache_data(ttl=60, show_spinner=False)
def quarantine_frame(limit: int = 500) -> pd.DataFrame:
    """Return the newest quarantined input records (without their raw bytes)."""
    cols = (Quarantine.id, Quarantine.created_at, Quarantine.source, Quarantine.locator)
    cols += (Quarantine.fmt, Quarantine.reason)
    with session() as s:
        stmt = select(*cols).order_by(Quarantine.id.desc()).limit(limit)
        rows = s.exec(stmt).all()
    names = ["id", "created_at", "source", "locator", "format", "reason"]
    return pd.DataFrame([tuple(r) for r in rows], columns=names)


def quarantine_raw(record_id: int) -> bytes:
    """Return the raw bytes of one quarantined record (read on demand, not cached)."""
    with session() as s:
        row = s.get(Quarantine, record_id)
        return bytes(row.raw) if row else b""


def mailboxes_frame() -> pd.DataFrame:
    """Return each IMAP folder `feedbackloop fetch` reads: when, how much, and its last error."""
    cols = (Mailbox.key, Mailbox.fetched_at, Mailbox.fetched, Mailbox.last_error)
    with session() as s:
        rows = s.exec(select(*cols).order_by(Mailbox.key)).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["mailbox", "fetched_at", "fetched",
                                                          "last_error"])  # fmt: skip
