"""Making it right for each customer, and closing the loop.

One Outreach row per customer (contact) linked to an item, with a drafted reply built from the
item's public text (redacted, so no other customer is named) and the customer's own words; the
e-mail's subject is the public title, redacted the same way. The fix for this customer (`remedy`,
e.g. the tickets refunded) is kept apart from any goodwill gesture (`goodwill`, e.g. a voucher):
the articles insist a gesture is not the fix. E-mail customers are told through the outbox in the
same transaction; tweet customers are answered by hand from a link, and we record that it was
done. `close_loop` needs the item shipped, every customer told or skipped with a reason, and the
customer track done or waived.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from db.audit import get_or_404, record
from db.auth import require
from db.errors import InvalidInput, InvalidTransition
from db.models import (
    Channel,
    Contact,
    Item,
    ItemStatus,
    Outreach,
    OutreachStatus,
    TrackStatus,
)
from db.outreach import (  # noqa: F401  (re-exported: part of this module's contract)
    channel_of,
    customer_rows,
    customers_of,
    draft_reply,
    known_customers,
    open_customers,
    others_named,
    outreach_for_item,
    reply_subject,
    tweet_url,
)

PERMISSION = "item.close_loop"


def _load(session: Session, outreach_id: int, actor: Any) -> tuple[Outreach, Item]:
    outreach = get_or_404(session, Outreach, outreach_id)
    item = get_or_404(session, Item, outreach.item_id)
    require(actor, PERMISSION, item=item)
    return outreach, item


def _event(session, outreach: Outreach, action: str, *, actor, now, data=None) -> None:
    data = {"item_id": outreach.item_id, "contact_id": outreach.contact_id, **(data or {})}
    record(
        session,
        actor=actor,
        now=now,
        entity="outreach",
        entity_id=outreach.id,
        action=action,
        data=data,
    )


def record_remedy(
    session: Session, outreach_id: int, *, remedy: str, goodwill: str, actor: Any, now: datetime
) -> Outreach:
    """Record the fix for this customer and, separately, any goodwill gesture."""
    outreach, _item = _load(session, outreach_id, actor)
    outreach.remedy, outreach.goodwill = (remedy or "").strip(), (goodwill or "").strip()
    session.add(outreach)
    _event(
        session,
        outreach,
        "updated",
        actor=actor,
        now=now,
        data={"remedy": outreach.remedy, "goodwill": outreach.goodwill},
    )
    session.commit()
    return outreach


def tell_customer(
    session: Session, outreach_id: int, *, reply_text: str, actor: Any, now: datetime
) -> Outreach:
    """Send the reply (e-mail: through the outbox; tweet: answered by hand) and mark it told;
    refused while it names another customer of the item (the draft never does; an edit may)."""
    from db.notify import queue
    from db.sla import base_url

    outreach, item = _load(session, outreach_id, actor)
    if not (reply_text or "").strip():
        raise InvalidInput("Write the reply before telling the customer.")
    if outreach.status != OutreachStatus.PENDING:
        raise InvalidTransition(f"This customer was already {outreach.status}.")
    contact = session.get(Contact, outreach.contact_id)
    known = known_customers(session, item.id)
    if named := others_named(known, contact, reply_text):
        shown = ", ".join(f"“{n}”" for n in named[:3])
        raise InvalidInput(f"The reply names another customer ({shown}): take it out first.")
    channel = channel_of(session, outreach, contact)
    if channel == Channel.EMAIL:
        if not contact.email:
            raise InvalidInput("This customer has no e-mail address; answer them by hand.")
        subject = reply_subject(item, known=known)
        queue(session, "reply", key=f"outreach:{outreach.id}", to=contact.email, subject=subject,
              reply_text=reply_text.strip(), link=f"{base_url(session)}/changes")  # fmt: skip
    outreach.status, outreach.reply_text = OutreachStatus.TOLD, reply_text.strip()
    outreach.done_by_id, outreach.done_at = actor.id, now
    session.add(outreach)
    _event(session, outreach, "told", actor=actor, now=now, data={"channel": channel})
    session.commit()
    return outreach


def skip_customer(
    session: Session, outreach_id: int, *, reason: str, actor: Any, now: datetime
) -> Outreach:
    """Decide not to contact this customer, with the reason."""
    outreach, _item = _load(session, outreach_id, actor)
    if not (reason or "").strip():
        raise InvalidInput("Give a reason for not telling this customer.")
    if outreach.status == OutreachStatus.TOLD:
        raise InvalidTransition("This customer was already told.")
    outreach.status, outreach.skip_reason = OutreachStatus.SKIPPED, reason.strip()
    outreach.done_by_id, outreach.done_at = actor.id, now
    session.add(outreach)
    _event(session, outreach, "skipped", actor=actor, now=now, data={"reason": reason.strip()})
    session.commit()
    return outreach


def _item_at(session: Session, item_id: int, expected_version: int) -> Item:
    from db.workflow import conflict

    item = get_or_404(session, Item, item_id)
    session.refresh(item)
    if item.version != expected_version:
        raise conflict(session, item_id)
    return item


def set_customer_track(
    session: Session,
    item_id: int,
    *,
    status: str,
    note: str,
    actor: Any,
    expected_version: int,
    now: datetime,
) -> Item:
    """Mark the 'make it right' track done, or waived with a note."""
    from db.workflow import conflict

    item = _item_at(session, item_id, expected_version)
    require(actor, PERMISSION, item=item)
    if status not in (TrackStatus.DONE, TrackStatus.WAIVED):
        raise InvalidInput("The customer track can be marked done or waived.")
    if status == TrackStatus.WAIVED and not (note or "").strip():
        raise InvalidInput("Say why the customer track is waived.")
    old = item.customer_track
    values = {
        "customer_track": status,
        "customer_track_note": (note or "").strip(),
        "version": item.version + 1,
        "updated_at": now,
    }
    stmt = sa.update(Item).where(Item.id == item_id, Item.version == expected_version)
    if session.execute(stmt.values(**values)).rowcount != 1:
        session.rollback()
        raise conflict(session, item_id)
    record(
        session,
        actor=actor,
        now=now,
        entity="item",
        entity_id=item_id,
        action="updated",
        data={"customer_track": [old, status], "note": values["customer_track_note"]},
    )
    session.commit()
    session.refresh(item)
    return item


def close_loop(
    session: Session, item_id: int, *, actor: Any, expected_version: int, now: datetime
) -> Item:
    """Close the loop: shipped, every customer told or skipped, the customer track settled."""
    from db.workflow import transition

    item = _item_at(session, item_id, expected_version)
    require(actor, PERMISSION, item=item)
    if item.status != ItemStatus.SHIPPED:
        raise InvalidTransition("Only a shipped item can have its loop closed.")
    waiting = open_customers(session, item_id)
    if waiting:
        raise InvalidTransition(
            f"{len(waiting)} customer(s) still wait for a reply: tell them, or skip with a reason."
        )
    if item.customer_track not in (TrackStatus.DONE, TrackStatus.WAIVED):
        raise InvalidTransition("Mark the 'make it right' track done or waived first.")
    session.refresh(item)
    transition(
        session, item, ItemStatus.LOOP_CLOSED, actor=actor, now=now, changes={"closed_at": now}
    )
    session.commit()
    return item
