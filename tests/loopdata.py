"""Items with customers, driven through the real workflow on a fixed timeline (loop tests)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from db import workflow as wf
from db.models import Channel, Contact, Item
from tests.factories import NOW, make_contact, make_message
from tests.journeys import Cast

T0 = NOW - timedelta(days=6)  # the first complaint; the fix ships at NOW


def customers(session: Session) -> tuple[Contact, Contact, Contact]:
    """Return an email customer, a tweet customer and a tweet customer who agreed to be named."""
    return (
        make_contact(session, email="zebulon.q@mailbox.test", display_name="Zebulon Quackenbush"),
        make_contact(session, handle="ottilie_vance", display_name="Ottilie Vance", followers=900),
        make_contact(session, handle="happy_hank", display_name="Hank Public", public_consent=True),
    )


def complaint(session: Session, contact: Contact, *, at, body: str):
    """Create the contact's message in their channel."""
    channel = Channel.EMAIL if contact.email else Channel.TWEET
    return make_message(
        session,
        body=body,
        channel=channel,
        contact_id=contact.id,
        received_at=at,
        sender=contact.email or contact.handle,
        subject="Chargers blocked" if contact.email else None,
    )


def shipped_item(
    session: Session,
    c: Cast,
    contacts: list[Contact],
    *,
    public_title: str = "Idle fees at busy chargers",
    public_text: str = "Cars that finish charging now pay an idle fee after five minutes.",
    start=T0,
    ship_at=NOW,
    publish_anyway: bool = True,  # some tests ship a slip on purpose, to see it never spread
) -> Item:
    """Complaints at `start`, reviewed and turned into an item by the CEO, shipped by Mara."""
    msgs = [
        complaint(session, ct, at=start + timedelta(hours=i), body=f"Chargers full of cars {i}")
        for i, ct in enumerate(contacts)
    ]
    ids = [m.id for m in msgs]
    wf.review(session, ids, actor=c.ceo, now=start + timedelta(hours=20))
    item = wf.create_item(
        session,
        message_ids=ids,
        title="Charging stalls used as parking",
        actor=c.ceo,
        now=start + timedelta(hours=21),
    )
    wf.forward(
        session,
        item_id=item.id,
        to_user_id=c.mara.id,
        note="?",
        respond_by=None,
        actor=c.ceo,
        now=start + timedelta(hours=22),
    )
    item = wf.acknowledge(
        session,
        item.id,
        actor=c.mara,
        expected_version=item.version,
        now=start + timedelta(days=1, hours=2),
    )
    item = wf.start(
        session, item.id, actor=c.mara, expected_version=item.version, now=start + timedelta(days=2)
    )
    return wf.ship(
        session,
        item.id,
        public_title=public_title,
        public_text=public_text,
        actor=c.mara,
        expected_version=item.version,
        now=ship_at,
        publish_anyway=publish_anyway,
    )
