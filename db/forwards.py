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

import sqlalchemy as sa
from sqlmodel import Session, func, select

from db.audit import get_or_404, record, sla_respond_by
from db.auth import require
from db.errors import InvalidInput, InvalidTransition, PermissionDenied
from db.models import Event, Forward, Item, Triage
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
        events = []
        for msg in msgs:
            to = Triage.LINKED if msg.triage == Triage.LINKED else Triage.FORWARDED
            events.append(set_triage(session, msg, to, "forwarded", actor=actor, now=now,
                                     data=data))  # fmt: skip
        session.flush()
        for event in events:  # each message's Event names the forward: the card goes along
            event.data = {**event.data, "forward": fwd.id}
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


def forwarded_messages(session: Session, fwd: Forward) -> list[int]:
    """Return the ids of the messages `fwd` carried (a card's: the lead first), from the
    Events written with it; forwards from before those Events named themselves carry the
    messages forwarded by its sender in that same moment."""
    if fwd.message_id is None:
        return []
    stmt = select(Event.entity_id, Event.data).where(
        Event.entity == "message", Event.action == "forwarded",
        Event.at == fwd.created_at, Event.actor_id == fwd.sender_id,
    ).order_by(Event.id)  # fmt: skip
    found = [
        mid for mid, data in session.exec(stmt) if (data or {}).get("forward", fwd.id) == fwd.id
    ]
    return list(dict.fromkeys([fwd.message_id, *found]))


def forwarded_to(session: Session, user_id: int, message_ids: set[int]) -> set[int]:
    """Return which of `message_ids` were forwarded to `user_id`, alone or on a card (by the
    forward its Event names, or for older Events the forward made with it in that moment)."""
    leads = select(Forward.message_id).where(
        Forward.recipient_id == user_id, Forward.message_id.in_(message_ids)
    )
    found = set(session.exec(leads).all())
    rest = message_ids - found
    if not rest:
        return found
    stmt = select(Event.entity_id, Event.data, Event.at, Event.actor_id).where(
        Event.entity == "message", Event.action == "forwarded", Event.entity_id.in_(rest)
    )
    events = session.exec(stmt).all()
    named = {(data or {}).get("forward") for _, data, _, _ in events} - {None}
    moments = {at for _, data, at, _ in events if "forward" not in (data or {})}
    mine = select(Forward.id, Forward.created_at, Forward.sender_id).where(
        Forward.recipient_id == user_id,
        Forward.message_id.is_not(None),
        sa.or_(Forward.id.in_(named), Forward.created_at.in_(moments)),
    )  # only the forwards these Events can point to, however many the user has had
    rows = session.exec(mine).all()
    ids, made = {f for f, _, _ in rows}, {(at, by) for _, at, by in rows}
    for mid, data, at, by in events:
        forward_id = (data or {}).get("forward")
        if forward_id in ids or (forward_id is None and (at, by) in made):
            found.add(mid)
    return found
