"""The read side of items: a manager's inbox, the items board and one item's full detail, and
the comments on messages (shown on their morning-review cards).

Every reader aggregates in SQL (joins and GROUP BY, a fixed number of queries however many
rows) and returns frozen dataclasses of plain values, safe to cache and to render. The item
detail lives in `db/itemdetail.py` and the inbox in `db/inbox.py`; both are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from db.inbox import InboxRow, inbox  # noqa: F401  (re-exported)
from db.itemdetail import (  # noqa: F401  (item_detail, timeline, describe: re-exported)
    ItemDetail,
    days_since,
    describe,
    is_overdue,
    item_detail,
    timeline,
)
from db.models import Comment, Item, Message, User
from db.workflow import OPEN


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
