"""The item state machine of DESIGN §2 and its guarded save (optimistic locking).

`new → acknowledged → in_progress → shipped → loop_closed`; any open state → declined or
duplicate; shipped → in_progress (reopen). `transition` validates a step, writes the new state
with `UPDATE ... WHERE version = <read version>` and adds the audit Event; it does not commit,
so other modules (the loop-closing code) use it inside their own intent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from db.audit import get_or_404, record
from db.clock import company_zone, stamp
from db.errors import Conflict, InvalidInput, InvalidTransition
from db.models import Event, Item, ItemStatus, User

S = ItemStatus
ALLOWED: dict[str, set[str]] = {
    S.NEW: {S.ACKNOWLEDGED, S.DECLINED, S.DUPLICATE},
    S.ACKNOWLEDGED: {S.IN_PROGRESS, S.DECLINED, S.DUPLICATE},
    S.IN_PROGRESS: {S.SHIPPED, S.DECLINED, S.DUPLICATE},
    S.SHIPPED: {S.LOOP_CLOSED, S.IN_PROGRESS},
    S.LOOP_CLOSED: set(),
    S.DECLINED: set(),
    S.DUPLICATE: set(),
}
OPEN = (S.NEW, S.ACKNOWLEDGED, S.IN_PROGRESS)
_ORDER = list(ItemStatus)
_VERB = {
    S.ACKNOWLEDGED: "acknowledged",
    S.IN_PROGRESS: "started",
    S.SHIPPED: "shipped",
    S.LOOP_CLOSED: "loop_closed",
    S.DECLINED: "declined",
    S.DUPLICATE: "duplicated",
}


def allowed_next(item: Item) -> list[str]:
    """Return the states `item` may move to next, in workflow order."""
    return sorted(ALLOWED.get(item.status, set()), key=_ORDER.index)


def _action(from_state: str, to_state: str) -> str:
    return "reopened" if (from_state, to_state) == (S.SHIPPED, S.IN_PROGRESS) else _VERB[to_state]


def transition(
    session: Session,
    item: Item,
    to_state: str,
    *,
    actor: Any,
    now: datetime,
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> Event:
    """Move `item` to `to_state` with `changes`: validate, bump the version, add the Event."""
    from_state = item.status
    if to_state not in ALLOWED.get(from_state, set()):
        steps = ", ".join(s.replace("_", " ") for s in allowed_next(item)) or "none (it is final)"
        raise InvalidTransition(
            f"An item that is {from_state.replace('_', ' ')} cannot move to "
            f"{to_state.replace('_', ' ')}. Allowed next steps: {steps}."
        )
    values = {**(changes or {}), "status": to_state}
    if to_state == S.SHIPPED:
        require_public_text(values.get("public_title"), values.get("public_text"))
    save(session, item, values, now=now)
    return record(
        session,
        actor=actor,
        now=now,
        entity="item",
        entity_id=item.id,
        action=_action(from_state, to_state),
        from_state=from_state,
        to_state=to_state,
        data=data,
    )


def require_public_text(title: str | None, text: str | None) -> None:
    if not (title or "").strip() or not (text or "").strip():
        raise InvalidInput("Shipping needs a public title and the public 'what we changed' text.")


def save(session: Session, item: Item, values: dict[str, Any], *, now: datetime) -> None:
    """Write `values` only if nobody changed the item since it was read; bump the version."""
    expected = item.version
    values = {**values, "version": expected + 1, "updated_at": now}
    stmt = update(Item).where(Item.id == item.id, Item.version == expected).values(**values)
    if session.execute(stmt.execution_options(synchronize_session=False)).rowcount != 1:
        session.rollback()
        raise conflict(session, item.id)
    for key, value in values.items():
        set_committed_value(item, key, value)


def conflict(session: Session, item_id: int) -> Conflict:
    """Build the Conflict naming whoever changed the item last, and when."""
    stmt = (
        select(Event.at, User.name)
        .join(User, User.id == Event.actor_id, isouter=True)
        .where(Event.entity == "item", Event.entity_id == item_id)
        .order_by(Event.at.desc(), Event.id.desc())
        .limit(1)
    )
    last = session.exec(stmt).first()
    who = (last[1] or "someone") if last else "someone"
    when = stamp(last[0], company_zone(session), label=True) if last else "an unknown time"
    return Conflict(
        f"This item changed since you opened it (by {who} at {when}). Reload to see the changes."
    )


def load(session: Session, item_id: int, expected_version: int) -> Item:
    item = get_or_404(session, Item, item_id)
    session.refresh(item)
    if item.version != expected_version:
        raise conflict(session, item_id)
    return item
