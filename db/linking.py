"""Turning messages into improvement items: create an item from messages, attach more to one.

Linking sets each message's `item_id` and triage state `linked`, points the messages' themes at
the item, and keeps `Item.first_signal_at` the earliest complaint. An item whose creator names
themselves the owner starts `acknowledged` (creating it was accepting it: DESIGN §2), with the
`acknowledged` Event the lead times read; one made from a forwarded message keeps the forward's
respond-by. Re-exported by `db.workflow`.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from db.audit import get_or_404, record, sla_respond_by
from db.auth import can, require
from db.clock import company_zone
from db.errors import InvalidInput, InvalidTransition, PermissionDenied
from db.forwards import forwarded_messages, forwarded_to, mark_acknowledged
from db.itemstate import S, transition
from db.models import Forward, Item, Message, Priority, Theme, Triage
from db.sla import due_at, sla_days
from db.triage import assignable_user, messages_by_id, set_triage


def create_item(
    session,
    *,
    message_ids: list[int],
    title: str,
    problem: str = "",
    team=None,
    owner_id=None,
    priority="normal",
    actor,
    now,
) -> Item:
    """Turn messages into a new improvement item linked to them."""
    item = _new_item(
        session,
        message_ids=message_ids,
        title=title,
        problem=problem,
        team=team,
        owner_id=owner_id,
        priority=priority,
        respond_by=sla_respond_by(session, now),
        actor=actor,
        now=now,
    )
    session.commit()
    return item


def _new_item(
    session, *, message_ids, title, problem, team, owner_id, priority, respond_by, actor, now
) -> Item:
    """Add the item, its Events and its links; acknowledged if the actor owns it (no commit)."""
    require(actor, "item.create")
    if not (title or "").strip():
        raise InvalidInput("An item needs a title.")
    if priority not in set(Priority):
        raise InvalidInput(f"Unknown priority {priority!r}.")
    msgs = messages_by_id(session, message_ids) if message_ids else []
    owner = assignable_user(session, owner_id).id if owner_id is not None else None
    _may_link_and_assign(session, actor, msgs, owner)
    item = Item(
        title=title.strip(),
        problem=(problem or "").strip(),
        team=team or None,
        owner_id=owner,
        created_by_id=actor.id,
        priority=priority,
        created_at=now,
        updated_at=now,
        respond_by=respond_by,
    )
    session.add(item)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        entity="item",
        entity_id=item.id,
        action="created",
        to_state=item.status,
        data={"owner_id": owner},
    )
    _link(session, item, msgs, actor=actor, now=now)
    if owner == actor.id:  # named themselves: accepted by creating it, nobody left to ask
        require(actor, "item.acknowledge", item=item)
        data = {"owner_id": owner, "on_create": True}
        transition(session, item, S.ACKNOWLEDGED, actor=actor, now=now, data=data)
    return item


def _may_link_and_assign(session, actor, msgs: list[Message], owner: int | None) -> None:
    """A manager may create items, but only from messages forwarded to them (attaching any
    message is `item.attach`) and owned by themselves or nobody (naming one is `item.assign`)."""
    if msgs and not can(actor, "item.attach"):
        ids = {m.id for m in msgs}
        if forwarded_to(session, actor.id, ids) != ids:
            raise PermissionDenied("You can make an item only from messages forwarded to you.")
    if owner not in (None, actor.id) and not can(actor, "item.assign"):
        raise PermissionDenied("Only an executive can name someone else the owner.")


def item_from_forward(session, forward_id: int, *, title: str, problem: str = "", actor, now):
    """Turn a message forwarded to `actor` into an item they own (acknowledged), keeping the
    forward's respond-by; acknowledge the forward too if it was not yet."""
    fwd = get_or_404(session, Forward, forward_id)
    if fwd.recipient_id != actor.id or fwd.message_id is None:
        raise PermissionDenied("Only the person a message was forwarded to can make it an item.")
    linked = session.get(Message, fwd.message_id).item_id
    if linked is not None:
        raise InvalidTransition(f"This message is already part of item #{linked}.")
    carried = messages_by_id(session, forwarded_messages(session, fwd))
    item = _new_item(
        session,
        message_ids=[m.id for m in carried if m.item_id is None],  # the whole card
        title=title,
        problem=problem,
        team=actor.team,
        owner_id=actor.id,
        priority="normal",
        respond_by=_forward_due(session, fwd),
        actor=actor,
        now=now,
    )
    if fwd.acknowledged_at is None:
        mark_acknowledged(session, fwd, actor=actor, now=now)
    session.commit()
    return item


def _forward_due(session, fwd: Forward) -> datetime:
    """Return the forward's respond-by, or its SLA due time (business days, company zone)."""
    return due_at(fwd, sla=sla_days(session), zone=company_zone(session))


def attach(session, *, item_id: int, message_ids: list[int], actor, now) -> Item:
    """Link more messages to an existing item."""
    item = get_or_404(session, Item, item_id)
    require(actor, "item.attach", item=item)
    if item.duplicate_of_id:
        raise InvalidTransition(
            f"This item is a duplicate; attach to item #{item.duplicate_of_id}."
        )
    _link(session, item, messages_by_id(session, message_ids), actor=actor, now=now)
    session.commit()
    return item


def _link(session, item: Item, msgs: list[Message], *, actor, now) -> None:
    taken = [m for m in msgs if m.item_id not in (None, item.id)]
    if taken:
        raise InvalidInput(f"Message #{taken[0].id} already belongs to item #{taken[0].item_id}.")
    if not msgs:
        return
    for msg in msgs:
        msg.item_id = item.id
        set_triage(
            session, msg, Triage.LINKED, "attached", actor=actor, now=now, data={"item_id": item.id}
        )
    theme_ids = {m.theme_id for m in msgs if m.theme_id}
    for theme in session.exec(select(Theme).where(Theme.id.in_(theme_ids))).all():
        theme.item_id = theme.item_id or item.id
        session.add(theme)
    firsts = [m.received_at for m in msgs] + (
        [item.first_signal_at] if item.first_signal_at else []
    )
    item.first_signal_at = min(firsts)
    session.add(item)
    record(
        session,
        actor=actor,
        now=now,
        entity="item",
        entity_id=item.id,
        action="attached",
        data={"message_ids": [m.id for m in msgs]},
    )
