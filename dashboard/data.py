"""The app's data access: the cached engine, sessions and cached reads.

The only module with `st.cache_*`. The engine is cached per `DATABASE_URL` (and the schema is
upgraded once per URL, so a fresh database works). Cached readers return plain values or
DataFrames — never ORM objects — and nothing user-specific, because every user shares the
cache. Call `clear_caches()` after a write. The signed-in user is `dashboard.signin`'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from db import schema
from db.clock import company_zone, zone_key, zone_named
from db.engine import database_url, make_engine
from db.models import Item, ItemStatus, Quarantine, Role, User, utcnow

OPEN_STATUSES = (ItemStatus.NEW, ItemStatus.ACKNOWLEDGED, ItemStatus.IN_PROGRESS)


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    eng = make_engine(url)
    schema.upgrade(eng)
    return eng


def engine() -> Engine:
    """Return the shared engine for `DATABASE_URL`, schema upgraded on first use."""
    return _engine_for(database_url())


@contextmanager
def session() -> Iterator[Session]:
    """Yield a fresh Session on the shared engine (commits are the domain function's)."""
    with Session(engine(), expire_on_commit=False) as s:
        yield s


def clear_caches(*, everything: bool = False) -> None:
    """Forget every cached read after a write (the Insights aggregates too: they are read from
    rollups kept in the same transaction as the write, and refill in a few hundred ms)."""
    if everything:
        st.cache_data.clear()
        return
    cached = type(_engine_for)  # the class of every st.cache_data / st.cache_resource function
    for name, reader in list(globals().items()):
        if isinstance(reader, cached) and name != "_engine_for":
            reader.clear()


# --- cached reads (shared by every user: nothing user-specific) ----------------------------


@st.cache_data(ttl=60, show_spinner=False)
def zone_name() -> str:
    """Return the company's time zone (the `time_zone` setting), by its IANA name."""
    with session() as s:
        return zone_key(company_zone(s))


def zone() -> ZoneInfo:
    """Return the company's time zone: every day and moment the app shows is in it."""
    return zone_named(zone_name())


@st.cache_data(ttl=60, show_spinner=False)
def feed_cards(day: date | None, since: datetime | None, limit: int = 20) -> list:
    """Return the morning feed's cards (frozen FeedCard values) for `day` / `since`."""
    from db.queries import morning_feed

    with session() as s:
        return morning_feed(s, day=day, since=since, limit=limit, now=utcnow())


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


@st.cache_data(ttl=60, show_spinner=False)
def open_items(limit: int = 500, *, shipped: bool = False) -> list[tuple[int, str, str]]:
    """Return open items (with `shipped`, shipped ones too) as (id, title, status), newest
    first: what a card can be added to."""
    wanted = (*OPEN_STATUSES, ItemStatus.SHIPPED) if shipped else OPEN_STATUSES
    with session() as s:
        stmt = (
            select(Item.id, Item.title, Item.status)
            .where(Item.status.in_(wanted))
            .order_by(Item.id.desc())
            .limit(limit)
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


# --- other pages' cached readers go below, each in its own commented section ---------------


# --- insights (owner: INSIGHTS): aggregates keyed by (period, team, channel), no user data ---


@st.cache_data(ttl=300, show_spinner=False)
def insights_frames(
    first: date, last: date, team: str | None, channel: str | None
) -> dict[str, Any]:
    """Return the Insights KPIs (list of Kpi) and one DataFrame per chart for the period."""
    from db import metrics

    period = metrics.Period.between(first, last, zone())
    scope = metrics.Scope(team=team, channel=channel)
    with session() as s:
        got = metrics.insights(s, period=period, scope=scope, now=utcnow())
    frames: dict[str, Any] = {"kpis": got.kpis}
    for name in ("volume", "lead_bins", "flow", "funnel", "sla", "themes"):
        rows = getattr(got, name)  # flat dataclasses: column lists, not an asdict() per row
        names = [f.name for f in fields(rows[0])] if rows else []
        frame = pd.DataFrame({k: [getattr(r, k) for r in rows] for k in names})
        if "day" in frame:
            frame["day"] = pd.to_datetime(frame["day"])
        frames[name] = frame
    return frames


@st.cache_data(ttl=300, show_spinner=False)
def insights_specs(
    first: date, last: date, team: str | None, channel: str | None
) -> dict[str, dict]:
    """Return the Insights charts as Vega-Lite specs (layouts built once per process)."""
    from dashboard import chartspecs

    frames = insights_frames(first, last, team, channel)
    return chartspecs.insights_specs(frames, median=frames["kpis"][0].value)


@st.cache_data(ttl=300, show_spinner=False)
def insights_teams() -> list[str]:
    """Return the team names to filter Insights by."""
    from db import metrics

    with session() as s:
        return metrics.teams(s)


@st.cache_data(ttl=60, show_spinner=False)
def insights_messages(
    first: date, last: date, channel: str | None, theme_id: int | None, day: date | None
) -> pd.DataFrame:
    """Return the top messages behind a clicked theme or volume bar."""
    from db import metrics

    period = metrics.Period.between(first, last, zone())
    with session() as s:
        rows = metrics.drill_messages(s, period=period, channel=channel, theme_id=theme_id, day=day)
    return pd.DataFrame(rows)


@st.cache_data(ttl=60, show_spinner=False)
def insights_breaches(first: date, last: date, team: str | None) -> pd.DataFrame:
    """Return the forwards behind a clicked SLA bar (late or still open)."""
    from db import metrics

    period = metrics.Period.between(first, last, zone())
    with session() as s:
        rows = metrics.sla_breaches(s, period=period, team=team, now=utcnow())
    return pd.DataFrame(rows)


# --- public "What we changed" log (owner: LOOP): public, redacted, the same for everyone ----


@st.cache_data(ttl=60, show_spinner=False)
def public_log() -> list:
    """Return the public log's entries (frozen PublicEntry values), newest first."""
    from db.changelog import public_entries

    with session() as s:
        return public_entries(s)


@st.cache_data(ttl=60, show_spinner=False)
def public_log_export(fmt: str) -> str:
    """Return the public log exported as md, html, atom or json."""
    from db.changelog import render_changelog

    return render_changelog(engine(), fmt=fmt, now=utcnow())


# --- items board and item page (owner: WORKFLOW): the same for every user -------------------


@st.cache_data(ttl=30, show_spinner=False)
def items_board(
    status: str | None, owner_id: int | None, team: str | None, limit: int = 300
) -> list:
    """Return the items board rows (frozen ItemRow values), newest first, at most `limit`."""
    from db.tracking import items_board as board

    with session() as s:
        return board(s, status=status, owner_id=owner_id, team=team, limit=limit, now=utcnow())


@st.cache_data(ttl=30, show_spinner=False)
def item_detail(item_id: int):
    """Return one item's detail (a frozen ItemDetail), or None if there is no such item."""
    from db.errors import NotFound
    from db.tracking import item_detail as detail

    with session() as s:
        try:
            return detail(s, item_id, now=utcnow())
        except NotFound:
            return None


@st.cache_data(ttl=60, show_spinner=False)
def item_owners_and_teams() -> tuple[list[tuple[int, str]], list[str]]:
    """Return (owners as (id, name), team names) to filter the items board by."""
    with session() as s:
        owners = s.exec(
            select(User.id, User.name).where(User.role.in_([Role.MANAGER, Role.EXECUTIVE]))
        ).all()
        teams = s.exec(select(Item.team).where(Item.team.is_not(None)).distinct()).all()
    return sorted((tuple(o) for o in owners), key=lambda o: o[1]), sorted(teams)


# --- morning review: comments on the cards' messages (helper "ux") -------------------------


@st.cache_data(ttl=60, show_spinner=False)
def message_comments(message_ids: tuple[int, ...]) -> list:
    """Return the comments on these messages (frozen MessageComment values), oldest first."""
    from db.tracking import message_comments as comments

    with session() as s:
        return comments(s, list(message_ids))
