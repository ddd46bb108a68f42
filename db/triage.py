"""The write side of a message's triage state: review, dismiss, split from its theme.

Triage states: new → reviewed / forwarded / linked / dismissed. Each function checks the acting
user's permission, writes its Events in the same transaction and commits once. The helpers here
(`messages_by_id`, `set_triage`, `assignable_user`) are shared by the other message-side
intents: forwarding in `db/forwards.py`, comments in `db/comments.py`, linking messages to items
in `db/linking.py`; item state changes are in `db/workflow.py`, which re-exports all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, select

from db.audit import get_or_404, record
from db.auth import require
from db.errors import InvalidInput, InvalidTransition
from db.models import Event, Message, Role, Triage, User
from db.themes import split_message


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


def set_triage(session, msg: Message, to: str, action: str, *, actor, now, data=None) -> Event:
    """Move a message to triage state `to` and add its audit Event (the caller commits)."""
    event = record(
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
    return event


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
