"""The forwards a user sent that still wait on someone: the executive's side of the "?" loop.

A forwarded message waits until its recipient answers it, makes it (or it becomes part of) an
item, or it is dismissed; a forwarded item waits until its recipient acknowledges it. Each
row says where it stands (waiting, or acknowledged and being acted on) and whether it is past
its respond-by time, newest first, over the last `DAYS` days: older forwards were escalated
already, and the digest lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from db.models import Forward, Item, Message, Triage, User

DAYS = 14
LIMIT = 50


@dataclass(frozen=True)
class SentRow:
    forward_id: int
    title: str
    recipient: str
    note: str
    created_at: datetime
    respond_by: datetime | None
    acknowledged_at: datetime | None
    overdue: bool  # not acknowledged by its respond-by time
    item_id: int | None


def sent_forwards(session: Session, *, user: Any, now: datetime) -> list[SentRow]:
    """Return the forwards `user` sent in the last DAYS days that still wait on someone."""
    to = aliased(User)
    message_open = sa.and_(
        Forward.message_id.is_not(None),
        Forward.answer_id.is_(None),
        Message.item_id.is_(None),
        Message.triage != Triage.DISMISSED,
    )
    item_open = sa.and_(Forward.message_id.is_(None), Forward.acknowledged_at.is_(None))
    stmt = (
        select(Forward, to.name, Message.subject, Message.body, Item.title)
        .join(to, to.id == Forward.recipient_id)
        .join(Message, Message.id == Forward.message_id, isouter=True)
        .join(Item, Item.id == Forward.item_id, isouter=True)
        .where(Forward.sender_id == user.id, Forward.created_at >= now - timedelta(days=DAYS))
        .where(sa.or_(message_open, item_open))
        .order_by(Forward.created_at.desc(), Forward.id.desc())
        .limit(LIMIT)
    )
    rows = []
    for f, name, subject, body, item_title in session.exec(stmt).all():
        title = item_title if f.message_id is None else (subject or " ".join((body or "").split()))
        late = f.acknowledged_at is None and f.respond_by is not None and f.respond_by < now
        rows.append(SentRow(f.id, (title or "")[:120], name, f.note, f.created_at, f.respond_by,
                            f.acknowledged_at, late, f.item_id))  # fmt: skip
    return rows
