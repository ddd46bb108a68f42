"""The audit trail's write helper and small shared lookups for the write side.

Every intent (`db/workflow.py` and the message-side modules) records its Events through
`record`, in the same transaction as the change, so the log and the data can never disagree.
For the same reason `record` keeps the Insights item rollups (`db.itemrollup`) in step with
every item Event, and the forward rollup (`db.fwdrollup`) with every forward made ("forwarded":
the new Forward is still pending in the session) or acknowledged (an Event on the forward).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from db import fwdrollup, itemrollup
from db.clock import add_business_days, company_zone
from db.errors import NotFound
from db.models import Event, Forward

T = TypeVar("T", bound=SQLModel)


def record(
    session: Session,
    *,
    actor: Any,
    now: datetime,
    entity: str,
    entity_id: int,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Add one audit Event to the session (the caller commits)."""
    event = Event(
        at=now,
        actor_id=getattr(actor, "id", None),
        entity=entity,
        entity_id=entity_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )
    made = [o for o in session.new if isinstance(o, Forward)] if action == "forwarded" else []
    session.add(event)
    if made:
        session.flush()
        for fwd in made:
            fwdrollup.follow_new(session.connection(), fwd.id)
    if entity == "forward" and action == "acknowledged":
        session.flush()
        fwdrollup.follow_ack(session.connection(), entity_id)
    if entity == "item":
        session.flush()  # the rollup reads the item, its messages and this event in SQL
        itemrollup.follow(session.connection(), entity_id, event)
        fwdrollup.follow_item(session.connection(), entity_id)
        if (data or {}).get("from_item_id"):  # messages moved over from a duplicate
            itemrollup.follow(session.connection(), data["from_item_id"])
    return event


def get_or_404(session: Session, model: type[T], row_id: int | None) -> T:
    """Return the row with this id or raise NotFound with a plain message."""
    row = session.get(model, row_id) if row_id is not None else None
    if row is None:
        raise NotFound(f"There is no {model.__name__.lower()} #{row_id}.")
    return row


def sla_respond_by(session: Session, now: datetime) -> datetime:
    """Return the default respond-by time: now plus the acknowledge SLA in business days."""
    from db.sla import sla_days  # it e-mails (jinja2): loaded only when a forward is made

    return add_business_days(now, sla_days(session), company_zone(session))
