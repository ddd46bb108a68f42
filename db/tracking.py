"""The read side of items: a manager's inbox, the items board and one item's full detail, and
the comments on messages (shown on their morning-review cards).

Every reader aggregates in SQL (joins and GROUP BY, a fixed number of queries however many
rows) and returns frozen dataclasses of plain values, safe to cache and to render. The item
detail lives in `db/itemdetail.py` and is re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from db.itemdetail import (  # noqa: F401  (item_detail, timeline, describe: re-exported)
    ItemDetail,
    days_since,
    describe,
    is_overdue,
    item_detail,
    timeline,
)
from db.models import Comment, Forward, Item, ItemStatus, Message, User
from db.workflow import OPEN


@dataclass(frozen=True)
class InboxRow:
    kind: str  # "forward" or "owned"
    item_id: int | None
    forward_id: int | None
    message_id: int | None
    title: str
    status: str | None
    note: str | None
    sender: str | None
    respond_by: datetime | None
    overdue: bool
    created_at: datetime | None
    item_version: int | None = None
    escalated_at: datetime | None = None  # an overdue forward the sender was told about
    text: str | None = None  # a forwarded message's text, when the title does not show it all


@dataclass(frozen=True)
class ItemRow:
    id: int
    title: str
    status: str
    owner_id: int | None
    owner: str | None
    team: str | None
    priority: str
    respond_by: datetime | None
    due_at: datetime | None
    first_signal_at: datetime | None
    messages: int
    overdue: bool
    unowned: bool
    days_open: int | None
    version: int


def inbox(session: Session, *, user: Any, now: datetime) -> list[InboxRow]:
    """Forwards to `user` not yet acknowledged, then items they own that are open or shipped
    (a shipped item still waits for its owner to tell the customers); late first."""
    sender = aliased(User)
    fwd_q = (
        select(Forward, sender.name, Message.subject, Message.body, Item)
        .join(sender, sender.id == Forward.sender_id)
        .join(Message, Message.id == Forward.message_id, isouter=True)
        .join(Item, Item.id == Forward.item_id, isouter=True)
        .where(Forward.recipient_id == user.id, Forward.acknowledged_at.is_(None))
    )
    rows = []
    for f, sname, subject, body, item in session.exec(fwd_q).all():
        title = item.title if item else subject or (body or "")[:90]
        late = f.respond_by is not None and f.respond_by < now
        rows.append(
            InboxRow(
                "forward",
                f.item_id,
                f.id,
                f.message_id,
                title,
                item.status if item else None,
                f.note,
                sname,
                f.respond_by,
                late,
                f.created_at,
                item.version if item else None,
                f.escalated_at,
                None if item or " ".join((body or "").split()) == title else body,
            )
        )
    seen = {r.item_id for r in rows}
    waiting = (*OPEN, ItemStatus.SHIPPED)
    own_q = select(Item).where(Item.owner_id == user.id, Item.status.in_(waiting))
    for i in session.exec(own_q).all():
        if i.id in seen:
            continue
        due = {ItemStatus.NEW: i.respond_by, ItemStatus.SHIPPED: None}.get(i.status, i.due_at)
        late = is_overdue(i.status, i.respond_by, i.due_at, now)
        rows.append(
            InboxRow(
                "owned",
                i.id,
                None,
                None,
                i.title,
                i.status,
                None,
                None,
                due,
                late,
                i.created_at,
                i.version,
            )
        )
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(rows, key=lambda r: (not r.overdue, r.respond_by or far, r.title))


def items_board(
    session: Session,
    *,
    status: str | None = None,
    owner_id: int | None = None,
    team: str | None = None,
    limit: int = 300,
    now: datetime,
) -> list[ItemRow]:
    """Items with owner and message count, filtered, newest first, at most `limit` (one query)."""
    count = select(sa.func.count()).where(Message.item_id == Item.id).scalar_subquery()
    stmt = (
        select(Item, User.name, count)
        .join(User, User.id == Item.owner_id, isouter=True)
        .order_by(Item.id.desc())
        .limit(limit)
    )
    if status:
        stmt = stmt.where(Item.status == status)
    if owner_id is not None:
        stmt = stmt.where(Item.owner_id == owner_id)
    if team:
        stmt = stmt.where(Item.team == team)
    return [
        ItemRow(
            i.id,
            i.title,
            i.status,
            i.owner_id,
            owner,
            i.team,
            i.priority,
            i.respond_by,
            i.due_at,
            i.first_signal_at,
            int(n),
            is_overdue(i.status, i.respond_by, i.due_at, now),
            i.owner_id is None and i.status in OPEN,
            days_since(i.first_signal_at or i.created_at, now),
            i.version,
        )
        for i, owner, n in session.exec(stmt).all()
    ]


@dataclass(frozen=True)
class MessageComment:
    message_id: int
    author: str
    at: datetime
    body: str


def message_comments(session: Session, message_ids: list[int]) -> list[MessageComment]:
    """Return the comments on these messages, oldest first, with their authors' names."""
    if not message_ids:
        return []
    stmt = (
        select(Comment.message_id, User.name, Comment.created_at, Comment.body)
        .join(User, User.id == Comment.author_id)
        .where(Comment.message_id.in_(message_ids))
        .order_by(Comment.created_at, Comment.id)
    )
    return [MessageComment(*row) for row in session.exec(stmt).all()]
