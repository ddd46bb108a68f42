"""Edits to an item that are not state changes: fields, owner, and marking a duplicate.

Each is one intent with optimistic locking and its audit Event; `db.workflow` re-exports them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import select

from db.audit import get_or_404, record
from db.auth import require
from db.errors import InvalidInput
from db.itemstate import S, load, save, transition
from db.models import Item, Message, Priority, Theme, TrackStatus
from db.triage import assignable_user

EDITABLE = {
    "title",
    "problem",
    "team",
    "priority",
    "respond_by",
    "due_at",
    "fix_plan",
    "customer_track",
    "customer_track_note",
    "public_title",
    "public_text",
    "show_publicly",
}


def mark_duplicate(session, item_id, *, of_item_id: int, actor, expected_version, now) -> Item:
    """Close an item as a duplicate; its messages and themes move to the original."""
    item = load(session, item_id, expected_version)
    require(actor, "item.duplicate", item=item)
    original = get_or_404(session, Item, of_item_id)
    if original.id == item.id or original.status == S.DUPLICATE:
        raise InvalidInput("Pick an original item that is neither this item nor a duplicate.")
    moved = list(session.exec(select(Message.id).where(Message.item_id == item.id)).all())
    transition(
        session,
        item,
        S.DUPLICATE,
        actor=actor,
        now=now,
        data={"of_item_id": original.id, "message_ids": moved},
        changes={"duplicate_of_id": original.id, "closed_at": now},
    )
    session.execute(update(Message).where(Message.item_id == item.id).values(item_id=original.id))
    session.execute(update(Theme).where(Theme.item_id == item.id).values(item_id=original.id))
    firsts = [t for t in (item.first_signal_at, original.first_signal_at) if t]
    original.first_signal_at = min(firsts) if firsts else None
    session.add(original)
    record(
        session,
        actor=actor,
        now=now,
        entity="item",
        entity_id=original.id,
        action="attached",
        data={"from_item_id": item.id, "message_ids": moved},
    )
    session.commit()
    session.expire_all()
    return session.get(Item, item_id)


def update_item(session, item_id, *, changes: dict, actor, expected_version, now) -> Item:
    """Edit an item's fields (its owner or an executive); record old and new values."""
    item = load(session, item_id, expected_version)
    require(actor, "item.update", item=item)
    clean = _clean_changes(changes)
    diff = {k: v for k, v in clean.items() if getattr(item, k) != v}
    if not diff:
        return item
    audit = {k: [_plain(getattr(item, k)), _plain(v)] for k, v in diff.items()}
    save(session, item, diff, now=now)
    record(
        session,
        actor=actor,
        now=now,
        entity="item",
        entity_id=item.id,
        action="updated",
        data={"changes": audit},
    )
    session.commit()
    return item


def _clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidInput(f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    clean = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    if "title" in clean and not clean["title"]:
        raise InvalidInput("An item needs a title.")
    if "priority" in clean and clean["priority"] not in set(Priority):
        raise InvalidInput(f"Unknown priority {clean['priority']!r}.")
    if "customer_track" in clean and clean["customer_track"] not in set(TrackStatus):
        raise InvalidInput(f"Unknown customer track state {clean['customer_track']!r}.")
    return clean


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def assign(session, item_id, *, owner_id: int, actor, expected_version, now) -> Item:
    """Name a new owner for an item (executives); the owner still has to acknowledge it."""
    item = load(session, item_id, expected_version)
    require(actor, "item.assign", item=item)
    owner = assignable_user(session, owner_id)
    if owner.id == item.owner_id:
        return item
    data = {"from": item.owner_id, "to": owner.id}
    save(session, item, {"owner_id": owner.id}, now=now)
    record(
        session,
        actor=actor,
        now=now,
        entity="item",
        entity_id=item.id,
        action="assigned",
        data=data,
    )
    session.commit()
    return item
