"""Cached reads about items: the Items board, one item's page, and the public log of changes.

Also the open items a message or a duplicate can be added to. All of it is the same for every
user (the public log is public and redacted), so it is safe in the shared cache; the values are
frozen dataclasses or tuples, never ORM objects. Pages import these through `dashboard.data`,
whose `clear_caches()` forgets them after a write.
"""

from __future__ import annotations

import streamlit as st
from sqlmodel import select

from dashboard.database import engine, session
from db.models import Item, ItemStatus, Role, User, utcnow

OPEN_STATUSES = (ItemStatus.NEW, ItemStatus.ACKNOWLEDGED, ItemStatus.IN_PROGRESS)


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
