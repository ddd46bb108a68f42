"""Lead times of items, from the audit trail: first signal → executive view → forwarded →
acknowledged → shipped → loop closed.

Each milestone is the time of an Event (or, for the first signal, of the earliest linked
message), never a timestamp column someone could edit. `milestones_for` reads many items in a
few queries, for the changelog and the digest; `item_milestones` is the one-item form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median

import sqlalchemy as sa
from sqlmodel import Session, select

from db.models import Event, Item, Message, Role, User

_VIEW = ("reviewed", "forwarded", "dismissed", "attached")


@dataclass(frozen=True)
class Milestones:
    item_id: int
    first_signal: datetime | None = None
    first_executive_view: datetime | None = None
    forwarded: datetime | None = None
    acknowledged: datetime | None = None
    shipped: datetime | None = None
    loop_closed: datetime | None = None


def _days(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round(max((end - start).total_seconds(), 0) / 86400, 1)


def days_to_fix(m: Milestones) -> float | None:
    """Return days from the first complaint to the (last) shipped fix, one decimal."""
    return _days(m.first_signal, m.shipped)


def days_to_close(m: Milestones) -> float | None:
    """Return days from the first complaint to the closed loop, one decimal."""
    return _days(m.first_signal, m.loop_closed)


def median_days_to_fix(milestones: Iterable[Milestones]) -> float | None:
    """Return the median complaint-to-fix days over items that shipped, or None."""
    days = [d for d in map(days_to_fix, milestones) if d is not None]
    return round(median(days), 1) if days else None


def _first(found: dict[int, datetime], key: int, at: datetime, *, last: bool = False) -> None:
    if key not in found or (at > found[key] if last else at < found[key]):
        found[key] = at


def milestones_for(session: Session, item_ids: Iterable[int]) -> dict[int, Milestones]:
    """Return the milestones of each item in `item_ids`."""
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    msgs = session.exec(
        select(Message.id, Message.item_id, Message.received_at).where(Message.item_id.in_(ids))
    ).all()
    owner = {m_id: i_id for m_id, i_id, _ in msgs}
    signal: dict[int, datetime] = {}
    for _m, i_id, at in msgs:
        _first(signal, i_id, at)
    for item in session.exec(select(Item).where(Item.id.in_(ids))).all():
        if item.first_signal_at is not None:
            _first(signal, item.id, item.first_signal_at)
    found: dict[str, dict[int, datetime]] = {k: {} for k in ("view", "fwd", "ack", "ship", "close")}
    for entity, entity_id, action, at, role in _events(session, ids, list(owner)):
        item_id = entity_id if entity == "item" else owner.get(entity_id)
        if item_id is None:
            continue
        if action in _VIEW and role == Role.EXECUTIVE:
            _first(found["view"], item_id, at)
        key = {"forwarded": "fwd", "acknowledged": "ack", "shipped": "ship"}.get(action)
        if action == "loop_closed":
            key = "close"
        if key and (entity == "item" or key == "fwd"):
            _first(found[key], item_id, at, last=key == "ship")
    return {
        i: Milestones(
            i,
            signal.get(i),
            found["view"].get(i),
            found["fwd"].get(i),
            found["ack"].get(i),
            found["ship"].get(i),
            found["close"].get(i),
        )
        for i in ids
    }


def _events(session: Session, item_ids: list[int], message_ids: list[int]) -> list[tuple]:
    on_item = sa.and_(Event.entity == "item", Event.entity_id.in_(item_ids))
    on_msgs = sa.and_(Event.entity == "message", Event.entity_id.in_(message_ids or [-1]))
    stmt = (
        select(Event.entity, Event.entity_id, Event.action, Event.at, User.role)
        .join(User, User.id == Event.actor_id, isouter=True)
        .where(sa.or_(on_item, on_msgs))
        .order_by(Event.at, Event.id)
    )
    return list(session.exec(stmt).all())


def item_milestones(session: Session, item_id: int) -> Milestones:
    """Return the milestones of one item."""
    return milestones_for(session, [item_id])[item_id]


def timeline(m: Milestones) -> list[tuple[str, datetime | None, float | None]]:
    """Return each milestone as (label, when, days since the first complaint), in order."""
    steps = [
        ("first complaint", m.first_signal),
        ("seen by an executive", m.first_executive_view),
        ("forwarded", m.forwarded),
        ("acknowledged", m.acknowledged),
        ("shipped", m.shipped),
        ("loop closed", m.loop_closed),
    ]
    return [(label, at, _days(m.first_signal, at)) for label, at in steps]
