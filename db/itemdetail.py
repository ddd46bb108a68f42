"""One item in full, for the item page: messages, comments, and the timeline of every step.

Also the small rules the read side shares (`is_overdue`, `days_since`). A fixed number of
queries per item, whatever its size; frozen dataclasses of plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from db.audit import get_or_404
from db.models import Comment, Contact, Event, Forward, Item, ItemStatus, Message, User
from db.workflow import OPEN, allowed_next


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str | None
    entity: str
    entity_id: int
    action: str
    from_state: str | None
    to_state: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class LinkedMessage:
    id: int
    channel: str
    external_id: str
    who: str | None
    subject: str | None
    body: str
    received_at: datetime


@dataclass(frozen=True)
class ItemDetail:
    item: dict[str, Any]
    owner: str | None
    messages: list[LinkedMessage]
    comments: list[tuple[str, datetime, str]]  # (author, when, body)
    timeline: list[TimelineEntry]
    days_since_first: int | None
    allowed_next: list[str]
    overdue: bool
    forwarded_to: list[int]  # users with an open (unacknowledged) forward of this item


def is_overdue(status: str, respond_by: datetime | None, due_at: datetime | None, now) -> bool:
    """Return whether an item missed its respond-by (still new) or due date (still open)."""
    late_ack = status == ItemStatus.NEW and respond_by is not None and respond_by < now
    late_fix = status in OPEN and due_at is not None and due_at < now
    return late_ack or late_fix


def days_since(since: datetime | None, now: datetime) -> int | None:
    """Return whole days from `since` to `now` (None when unknown)."""
    return None if since is None else max(0, (now - since).days)


def item_detail(session: Session, item_id: int, *, now: datetime) -> ItemDetail:
    """Return one item with its messages, comments and the timeline of every step."""
    item = get_or_404(session, Item, item_id)
    session.refresh(item)
    owner = session.get(User, item.owner_id).name if item.owner_id else None
    msg_q = (
        select(Message, Contact.display_name, Contact.handle, Contact.email)
        .join(Contact, Contact.id == Message.contact_id, isouter=True)
        .where(Message.item_id == item_id)
        .order_by(Message.received_at)
    )
    messages = [
        LinkedMessage(
            m.id,
            m.channel,
            m.external_id,
            name or (f"@{h}" if h else e) or m.sender,
            m.subject,
            m.body,
            m.received_at,
        )
        for m, name, h, e in session.exec(msg_q).all()
    ]
    com_q = (
        select(User.name, Comment.created_at, Comment.body)
        .join(User, User.id == Comment.author_id)
        .where(Comment.item_id == item_id)
        .order_by(Comment.created_at, Comment.id)
    )
    comments = [tuple(r) for r in session.exec(com_q).all()]
    fwd_q = select(Forward.recipient_id).where(
        Forward.item_id == item_id, Forward.acknowledged_at.is_(None)
    )
    return ItemDetail(
        item=item.model_dump(),
        owner=owner,
        messages=messages,
        comments=comments,
        timeline=timeline(session, item_id),
        days_since_first=days_since(item.first_signal_at, now),
        allowed_next=allowed_next(item),
        overdue=is_overdue(item.status, item.respond_by, item.due_at, now),
        forwarded_to=list(session.exec(fwd_q).all()),
    )


def timeline(session: Session, item_id: int) -> list[TimelineEntry]:
    """Events of the item, its linked messages and its forwards, oldest first, with names."""
    msg_ids = select(Message.id).where(Message.item_id == item_id)
    fwd_ids = select(Forward.id).where(Forward.item_id == item_id)
    stmt = (
        select(Event, User.name)
        .join(User, User.id == Event.actor_id, isouter=True)
        .where(
            sa.or_(
                sa.and_(Event.entity == "item", Event.entity_id == item_id),
                sa.and_(Event.entity == "message", Event.entity_id.in_(msg_ids)),
                sa.and_(Event.entity == "forward", Event.entity_id.in_(fwd_ids)),
            )
        )
        .order_by(Event.at, Event.id)
    )
    return [
        TimelineEntry(
            e.at,
            name,
            e.entity,
            e.entity_id,
            e.action,
            e.from_state,
            e.to_state,
            dict(e.data or {}),
        )
        for e, name in session.exec(stmt).all()
    ]


def _state(state: str | None) -> str:
    return (state or "").replace("_", " ")


def describe(entry: TimelineEntry) -> str:
    """Return one plain-English line for a timeline entry."""
    what = f"{entry.action.replace('_', ' ')} {entry.entity} #{entry.entity_id}"
    ids = entry.data.get("message_ids") or []
    if entry.entity == "item" and entry.action == "attached" and ids:
        what = f"added {len(ids)} message{'s' if len(ids) != 1 else ''} to item #{entry.entity_id}"
    before, after = (_state(s) for s in (entry.from_state, entry.to_state))
    if before and after:
        what += f": {before} → {after}"
    elif after:
        what += f" ({after})"
    extra = [f"{k}: {entry.data[k]}" for k in ("note", "reason", "of_item_id") if entry.data.get(k)]
    if "changes" in entry.data:
        extra.append("changed " + ", ".join(sorted(entry.data["changes"])))
    return "; ".join([what, *extra])
