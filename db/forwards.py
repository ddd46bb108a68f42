"""Forwards: sending messages or an item to a manager with a note, and its acknowledgement.

A forward carries a respond-by time (the SLA's by default) and queues its notice e-mail
(`db.sla`) in the same transaction; forwarding messages moves them to triage state
`forwarded` (linked ones stay `linked`). Only the recipient may acknowledge a forward;
`mark_acknowledged` is shared with the intents that acknowledge one on the way
(`db/linking.py`, `db/answers.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, func, select

from db.audit import get_or_404, record, sla_respond_by
from db.auth import require
from db.errors import InvalidInput, InvalidTransition, PermissionDenied
from db.models import Forward, Item, Triage
from db.sla import queue_forward_notice
from db.triage import assignable_user, messages_by_id, set_triage


def forward(
    session: Session,
    *,
    message_ids: list[int] | None = None,
    item_id: int | None = None,
    to_user_id: int,
    note: str,
    respond_by: datetime | None,
    actor: Any,
    now: datetime,
) -> Forward:
    """Forward messages (one card) or an item to a manager with a note ("?" will do)."""
    if (message_ids is None) == (item_id is None):
        raise InvalidInput("Forward either messages or an item, not both.")
    recipient = assignable_user(session, to_user_id)
    respond_by = respond_by or sla_respond_by(session, now)
    if respond_by <= now:
        raise InvalidInput("The respond-by time must be in the future.")
    fwd = Forward(
        sender_id=actor.id,
        recipient_id=recipient.id,
        note=(note or "").strip(),
        respond_by=respond_by,
        created_at=now,
    )
    data = {"to": recipient.id, "note": fwd.note, "respond_by": respond_by.isoformat()}
    if item_id is not None:
        item = get_or_404(session, Item, item_id)
        require(actor, "item.forward", item=item)
        fwd.item_id = item.id
        session.add(fwd)
        record(
            session,
            actor=actor,
            now=now,
            entity="item",
            entity_id=item.id,
            action="forwarded",
            data=data,
        )
    else:
        require(actor, "message.forward")
        msgs = messages_by_id(session, message_ids)
        fwd.message_id, fwd.item_id = msgs[0].id, msgs[0].item_id
        session.add(fwd)
        for msg in msgs:
            to = Triage.LINKED if msg.triage == Triage.LINKED else Triage.FORWARDED
            set_triage(session, msg, to, "forwarded", actor=actor, now=now, data=data)
    session.flush()  # the notice needs the forward's id for its dedupe key
    queue_forward_notice(session, fwd)
    session.commit()
    return fwd


def acknowledge_forward(session: Session, forward_id: int, *, actor, now: datetime) -> Forward:
    """Confirm a forward was received (its recipient only)."""
    fwd = get_or_404(session, Forward, forward_id)
    if fwd.recipient_id != actor.id:
        raise PermissionDenied("Only the person it was forwarded to can acknowledge it.")
    if fwd.acknowledged_at is not None:
        raise InvalidTransition("This forward was already acknowledged.")
    mark_acknowledged(session, fwd, actor=actor, now=now)
    session.commit()
    return fwd


def mark_acknowledged(session: Session, fwd: Forward, *, actor, now: datetime) -> None:
    """Set a forward acknowledged now and add its Event (the caller checks and commits)."""
    fwd.acknowledged_at = now
    session.add(fwd)
    record(
        session,
        actor=actor,
        now=now,
        entity="forward",
        entity_id=fwd.id,
        action="acknowledged",
        data={"item_id": fwd.item_id, "message_id": fwd.message_id},
    )


def open_forward_count(session: Session, user_id: int) -> int:
    """Return how many forwards to this user are not yet acknowledged."""
    stmt = select(func.count()).where(
        Forward.recipient_id == user_id, Forward.acknowledged_at.is_(None)
    )
    return int(session.exec(stmt).one())
