"""A user's inbox: forwards waiting for them, forwarded messages they acknowledged but have not
acted on yet, and the items they own that still need them.

A forwarded message has no item and no owner, and managers have no Messages page, so
acknowledging it ("I have it") does not take it off the inbox: it moves to the "acknowledged,
to act on" group until it is part of an item (made one here, or attached by anyone), answered
(`db.answers`) or dismissed. A forwarded item leaves on acknowledgement: taking ownership
lists it as owned.
Forwards and owned items come late first; the acknowledged group last, oldest first (its SLA
was met, so it is never late). A fixed number of queries; frozen rows of plain values.
`db.tracking` re-exports `inbox` and `InboxRow`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from db.itemdetail import is_overdue
from db.itemstate import OPEN
from db.models import Forward, Item, ItemStatus, Message, Triage, User


@dataclass(frozen=True)
class InboxRow:
    kind: str  # "forward" (not yet acknowledged), "acknowledged" (a message to act on), "owned"
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
    acknowledged_at: datetime | None = None  # kind "acknowledged": when the recipient did

    @property
    def takes_ownership(self) -> bool:
        """Whether acknowledging this forward makes its recipient the owner of a new item."""
        return self.kind == "forward" and self.item_id is not None and self.status == ItemStatus.NEW

    @property
    def can_make_item(self) -> bool:
        """Whether this is a forwarded message its recipient may still turn into an item."""
        waiting = self.kind in ("forward", "acknowledged")
        return waiting and self.item_id is None and self.message_id is not None


def inbox(session: Session, *, user: Any, now: datetime) -> list[InboxRow]:
    """Forwards to `user` not yet acknowledged and the items they own that are open or shipped
    (a shipped item still waits for its owner to tell the customers), late first; then the
    messages forwarded to them that they acknowledged and that are on no item, not dismissed."""
    rows = _forwards(session, user, now)
    rows += _owned(session, user, now, skip={r.item_id for r in rows})
    far = datetime.max.replace(tzinfo=now.tzinfo)
    rows.sort(key=lambda r: (not r.overdue, r.respond_by or far, r.title))
    return rows + _to_act_on(session, user, skip={r.message_id for r in rows})


def _forwards(session: Session, user: Any, now: datetime) -> list[InboxRow]:
    sender = aliased(User)
    stmt = (
        select(Forward, sender.name, Message.subject, Message.body, Item)
        .join(sender, sender.id == Forward.sender_id)
        .join(Message, Message.id == Forward.message_id, isouter=True)
        .join(Item, Item.id == Forward.item_id, isouter=True)
        .where(Forward.recipient_id == user.id, Forward.acknowledged_at.is_(None))
    )
    rows = []
    for f, sname, subject, body, item in session.exec(stmt).all():
        late = f.respond_by is not None and f.respond_by < now
        title, text = (item.title, None) if item else _title_and_text(subject, body)
        rows.append(
            InboxRow(
                "forward", f.item_id, f.id, f.message_id, title, item.status if item else None,
                f.note, sname, f.respond_by, late, f.created_at, item.version if item else None,
                f.escalated_at, text,
            )
        )  # fmt: skip
    return rows


def _owned(session: Session, user: Any, now: datetime, *, skip: set) -> list[InboxRow]:
    waiting = (*OPEN, ItemStatus.SHIPPED)
    stmt = select(Item).where(Item.owner_id == user.id, Item.status.in_(waiting))
    rows = []
    for i in session.exec(stmt).all():
        if i.id in skip:
            continue
        due = {ItemStatus.NEW: i.respond_by, ItemStatus.SHIPPED: None}.get(i.status, i.due_at)
        late = is_overdue(i.status, i.respond_by, i.due_at, now)
        rows.append(
            InboxRow(
                "owned", i.id, None, None, i.title, i.status, None, None, due, late,
                i.created_at, i.version,
            )
        )  # fmt: skip
    return rows


def _to_act_on(session: Session, user: Any, *, skip: set) -> list[InboxRow]:
    """Acknowledged forwards of messages still on no item, not answered and not dismissed, one
    per message."""
    sender = aliased(User)
    stmt = (
        select(Forward, sender.name, Message.subject, Message.body)
        .join(sender, sender.id == Forward.sender_id)
        .join(Message, Message.id == Forward.message_id)
        .where(
            Forward.recipient_id == user.id,
            Forward.acknowledged_at.is_not(None),
            Forward.answer_id.is_(None),
            Forward.item_id.is_(None),
            Message.item_id.is_(None),
            Message.triage != Triage.DISMISSED,
        )
        .order_by(Forward.acknowledged_at, Forward.id)
    )
    rows, seen = [], set(skip)
    for f, sname, subject, body in session.exec(stmt).all():
        if f.message_id in seen:  # forwarded to them again: one row per message is enough
            continue
        seen.add(f.message_id)
        title, text = _title_and_text(subject, body)
        rows.append(
            InboxRow(
                "acknowledged", None, f.id, f.message_id, title, None, f.note, sname,
                f.respond_by, False, f.created_at, text=text, acknowledged_at=f.acknowledged_at,
            )
        )  # fmt: skip
    return rows


def _title_and_text(subject: str | None, body: str | None) -> tuple[str, str | None]:
    """Return a message's title (subject, or the start of the body) and its text if the title
    does not already show all of it."""
    title = subject or (body or "")[:90]
    return title, None if " ".join((body or "").split()) == title else body
