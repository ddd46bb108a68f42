"""The write side of messages: review, forward, comment, turn into items, attach, split, dismiss.

Triage states: new → reviewed / forwarded / linked / dismissed. Each function checks the acting
user's permission, writes its Events in the same transaction and commits once. Linking messages
to items is in `db/linking.py`; item state changes in `db/workflow.py`, which re-exports all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, func, select

from db import mentions
from db.audit import get_or_404, record, sla_respond_by
from db.auth import require
from db.errors import InvalidInput, InvalidTransition, PermissionDenied
from db.models import Comment, Forward, Item, Message, Role, Triage, User
from db.sla import queue_forward_notice
from db.themes import split_message

_MENTION = re.compile(r"@([\w.+-]+)")


def messages_by_id(session: Session, message_ids: Sequence[int]) -> list[Message]:
    """Return these messages in the order given; InvalidInput if none or one is missing."""
    ids = list(dict.fromkeys(message_ids or []))
    if not ids:
        raise InvalidInput("Pick at least one message.")
    rows = session.exec(select(Message).where(Message.id.in_(ids))).all()
    missing = set(ids) - {m.id for m in rows}
    if missing:
        raise InvalidInput(f"There is no message #{min(missing)}.")
    by_id = {m.id: m for m in rows}
    return [by_id[i] for i in ids]


def set_triage(session, msg: Message, to: str, action: str, *, actor, now, data=None) -> None:
    """Move a message to triage state `to` and add its audit Event (the caller commits)."""
    record(
        session,
        actor=actor,
        now=now,
        entity="message",
        entity_id=msg.id,
        action=action,
        from_state=msg.triage,
        to_state=to,
        data=data,
    )
    msg.triage = to
    session.add(msg)


def assignable_user(session: Session, user_id: int | None) -> User:
    """Return an active manager or executive, or raise InvalidInput."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active or user.role not in (Role.MANAGER, Role.EXECUTIVE):
        raise InvalidInput("Forward or assign only to an active manager or executive.")
    return user


def review(session: Session, message_ids: list[int], *, actor, now: datetime) -> list[Message]:
    """Mark new messages as reviewed by the actor."""
    require(actor, "message.review")
    msgs = messages_by_id(session, message_ids)
    for msg in msgs:
        if msg.triage == Triage.NEW:
            msg.reviewed_at = now
            set_triage(session, msg, Triage.REVIEWED, "reviewed", actor=actor, now=now)
    session.commit()
    return msgs


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


def comment(session, *, message_id=None, item_id=None, body: str, actor, now) -> Comment:
    """Add a comment to a message or an item; the users it @mentions are told (db.mentions)."""
    note = add_comment(
        session, message_id=message_id, item_id=item_id, body=body, actor=actor, now=now
    )
    session.commit()
    return note


def add_comment(session, *, message_id=None, item_id=None, body: str, actor, now) -> Comment:
    """Add a comment, its Event and its mentions' notices; the caller commits."""
    if (message_id is None) == (item_id is None):
        raise InvalidInput("Comment on either a message or an item.")
    if not (body or "").strip():
        raise InvalidInput("A comment cannot be empty.")
    entity = "item" if item_id is not None else "message"
    target = get_or_404(session, Item if item_id is not None else Message, item_id or message_id)
    require(actor, f"{entity}.comment", item=target if entity == "item" else None)
    note = Comment(
        author_id=actor.id,
        body=body.strip(),
        created_at=now,
        item_id=item_id,
        message_id=message_id,
        mentions=_mentions(session, body),
    )
    session.add(note)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        entity=entity,
        entity_id=target.id,
        action="commented",
        data={"comment_id": note.id, "mentions": note.mentions},
    )
    mentions.notify(session, note)  # inbox entries and e-mails, in this same transaction
    return note


def _mentions(session: Session, body: str) -> list[int]:
    """Return the users an @mention names: "@Mara Lind" that one person; "@mara.lind",
    "@mara.lind@voltra.example" or "@Mara" whoever has that address or first name."""
    if "@" not in body:
        return []
    users = session.exec(select(User.id, User.email, User.name)).all()
    text = " ".join(body.lower().split())
    named = {uid for uid, _, name in users if f"@{' '.join(name.lower().split())}" in text}
    taken = {name.split()[0].lower() for uid, _, name in users if uid in named}
    words = {n.lower().rstrip(".") for n in _MENTION.findall(body)} - taken
    hits = {
        uid
        for uid, email, name in users
        if email.lower() in words
        or email.split("@")[0].lower() in words
        or name.split()[0].lower() in words
    }
    return sorted(named | hits)


def split_from_theme(session: Session, message_id: int, *, actor, now: datetime) -> Message:
    """Take a message out of its theme (it was grouped with the wrong problem)."""
    require(actor, "message.split")
    msg = get_or_404(session, Message, message_id)
    if msg.theme_id is None:
        raise InvalidTransition("This message is not part of a theme.")
    old = msg.theme_id
    # themes.split_message gives it a theme of its own that rescoring keeps apart
    new = split_message(session.connection(), msg.id, now=now)
    record(
        session,
        actor=actor,
        now=now,
        entity="message",
        entity_id=msg.id,
        action="split",
        data={"theme_id": old, "new_theme_id": new},
    )
    session.commit()
    session.refresh(msg)
    return msg


def dismiss(session, *, message_ids: list[int], reason: str, actor, now) -> int:
    """Dismiss messages with a reason; messages already linked to an item are refused."""
    require(actor, "message.dismiss")
    if not (reason or "").strip():
        raise InvalidInput("Dismissing needs a reason.")
    msgs = messages_by_id(session, message_ids)
    linked = [m for m in msgs if m.triage == Triage.LINKED]
    if linked:
        raise InvalidTransition(f"Message #{linked[0].id} belongs to item #{linked[0].item_id}.")
    changed = [m for m in msgs if m.triage != Triage.DISMISSED]
    for msg in changed:
        set_triage(
            session,
            msg,
            Triage.DISMISSED,
            "dismissed",
            actor=actor,
            now=now,
            data={"reason": reason.strip()},
        )
    session.commit()
    return len(changed)


def open_forward_count(session: Session, user_id: int) -> int:
    """Return how many forwards to this user are not yet acknowledged."""
    stmt = select(func.count()).where(
        Forward.recipient_id == user_id, Forward.acknowledged_at.is_(None)
    )
    return int(session.exec(stmt).one())
