"""Drafting the replies of the "make it right" track: one Outreach row per linked customer.

The draft quotes the customer's own words and the item's public text, redacted against every
linked customer who did not agree to be named, so no reply ever names another customer.
Tweets are answered by hand: `tweet_url` gives the link to the customer's post. The reply's
subject is the public title, redacted the same way (`reply_subject`); `customer_rows` and
`open_customers` are the read side `db.loop` and the Loop page work from.
"""

from __future__ import annotations

from sqlmodel import Session, select

from db.audit import get_or_404
from db.models import Channel, Contact, Item, ItemStatus, Message, Outreach, OutreachStatus
from db.namematch import known_findings
from db.redact import Known, redact, redact_known


def known_by_item(session: Session, item_ids: list[int]) -> dict[int, list[Known]]:
    """Return, per item, the linked customers who did not agree to be named (for redaction)."""
    stmt = (
        select(Message.item_id, Contact.id, Contact.display_name, Contact.email, Contact.handle)
        .join(Contact, Message.contact_id == Contact.id)
        .where(Message.item_id.in_(item_ids), Contact.public_consent.is_(False))
        .distinct()
        .order_by(Message.item_id, Contact.id)
    )
    out: dict[int, list[Known]] = {i: [] for i in item_ids}
    for item_id, _contact_id, name, email, handle in session.exec(stmt).all():
        out[item_id].append(Known(name, email, handle))
    return out


def known_customers(session: Session, item_id: int) -> list[Known]:
    """Return the linked customers of one item who did not agree to be named."""
    return known_by_item(session, [item_id])[item_id]


def _quote(msg: Message | None, others: list[Known]) -> str:
    """Return the customer's own words, without the other customers they name ("@popcorn_and_
    peace same here ...")."""
    if msg is None:
        return "about this"
    words = (msg.body or msg.subject or "").split()
    text = " ".join(words[:30]) + (" …" if len(words) > 30 else "")
    return f"“{redact_known(text, known=others)}”"


def draft_reply(
    session: Session, item: Item, contact: Contact, msg: Message | None, *, known=None
) -> str:
    """Draft the reply for one customer: their own words, then what changed (`known`: the
    item's `known_customers`, if the caller has them)."""
    known = known_customers(session, item.id) if known is None else known
    changed = redact(item.public_text or item.fix_plan or "", known=known)
    me = Known(contact.display_name, contact.email, contact.handle)
    first = (contact.display_name or "").split()
    hello = f"Hello {first[0]}," if first else "Hello,"
    return (
        f"{hello}\n\nYou told us: {_quote(msg, [k for k in known if k != me])}\n\n"
        f"Here is what we changed: {changed}\n\nThank you for telling us — it made this happen."
    )


def outreach_for_item(session: Session, item_id: int) -> list[Outreach]:
    """Create the missing Outreach rows (one per linked customer) and return all, in order."""
    item = get_or_404(session, Item, item_id)
    msgs = session.exec(
        select(Message)
        .where(Message.item_id == item_id, Message.contact_id.is_not(None))
        .order_by(Message.received_at, Message.id)
    ).all()
    have = {o.contact_id for o in session.exec(select(Outreach).where(Outreach.item_id == item_id))}
    missing = [m for m in msgs if m.contact_id not in have]
    known = known_customers(session, item_id) if missing else []  # one query for all drafts
    for msg in missing:
        if msg.contact_id in have:
            continue  # a customer with several messages: drafted from the first
        have.add(msg.contact_id)
        contact = session.get(Contact, msg.contact_id)
        session.add(
            Outreach(
                item_id=item_id,
                contact_id=contact.id,
                message_id=msg.id,
                reply_text=draft_reply(session, item, contact, msg, known=known),
            )
        )
    session.commit()
    return list(
        session.exec(
            select(Outreach).where(Outreach.item_id == item_id).order_by(Outreach.id)
        ).all()
    )


def tweet_url(message: Message | None) -> str | None:
    """Return the link to answer a tweet by hand, or None for other channels."""
    if message is None or message.channel != Channel.TWEET:
        return None
    return f"https://x.com/i/web/status/{message.external_id}"


def channel_of(session: Session, outreach: Outreach, contact: Contact) -> str:
    """Return how to reach this customer: the channel they wrote in, else what we know."""
    msg = session.get(Message, outreach.message_id) if outreach.message_id else None
    if msg is not None:
        return msg.channel
    return Channel.EMAIL if contact.email else Channel.TWEET


def customers_of(session: Session, item_id: int) -> list[Outreach]:
    """Return the item's per-customer rows; while it is shipped, draft any that are missing."""
    item = get_or_404(session, Item, item_id)
    if item.status == ItemStatus.SHIPPED:
        return outreach_for_item(session, item_id)
    return list(session.exec(select(Outreach).where(Outreach.item_id == item_id)).all())


def customer_rows(session: Session, item_id: int) -> list[tuple[Outreach, Contact, Message | None]]:
    """Return the item's customers as (outreach, contact, message), in one query, drafting
    missing rows as `customers_of` does."""
    customers_of(session, item_id)
    stmt = (
        select(Outreach, Contact, Message)
        .join(Contact, Contact.id == Outreach.contact_id)
        .outerjoin(Message, Message.id == Outreach.message_id)
        .where(Outreach.item_id == item_id)
        .order_by(Outreach.id)
    )
    return [tuple(row) for row in session.exec(stmt).all()]


def reply_subject(item: Item, *, known: list[Known]) -> str:
    """Return the subject (and heading) of the reply: the public title, redacted, on one line.

    Never the internal title, which may name a customer or say what the public text does not.
    """
    title = " ".join(redact(item.public_title or "", known=known).split())
    return f"What we changed: {title}" if title else "What we changed"


def open_customers(session: Session, item_id: int) -> list[Outreach]:
    """Return the customers of the item not yet told or skipped."""
    rows = outreach_for_item(session, item_id)
    return [o for o in rows if o.status == OutreachStatus.PENDING]


def others_named(known: list[Known], contact: Contact, text: str) -> list[str]:
    """Return what `text`, a reply to `contact`, says of the item's other customers in `known`
    (their names, addresses, handles); the recipient's own details are fine."""
    me = Known(contact.display_name, contact.email, contact.handle)
    others = [k for k in known if k != me]
    if not others:
        return []
    mine = {f.text.casefold() for f in known_findings(text, [me])}
    found = (f.text for f in known_findings(text, others) if f.text.casefold() not in mine)
    return list(dict.fromkeys(found))
