"""The public "What we changed" log: its entries, read from items, and their export.

Only public wording is used (public title and text, the public decline reason), always passed
through `db.redact` with the item's customers who did not agree to be named, so a name, e-mail
address, handle, phone or order number typed by mistake never leaves the building. Counts and
lead times are numbers, never people.

The formats themselves (Markdown, HTML, Atom, JSON) and an entry's wording are
`db/changeformats.py`'s; `render_changelog` reads the entries and hands them over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.changeformats import render_entries
from db.clock import company_zone
from db.leadtimes import days_to_fix, milestones_for
from db.models import Event, Item, ItemStatus, Message
from db.outreach import known_by_item
from db.redact import redact


@dataclass(frozen=True)
class PublicEntry:
    item_id: int
    kind: str  # "shipped" or "declined"
    title: str
    text: str
    when: datetime
    customers: int
    days_to_fix: float | None


def _customer_counts(session: Session, item_ids: list[int]) -> dict[int, int]:
    who = sa.func.coalesce(
        sa.cast(Message.contact_id, sa.String), Message.sender, Message.external_id
    )
    stmt = (
        select(Message.item_id, sa.func.count(sa.distinct(who)))
        .where(Message.item_id.in_(item_ids))
        .group_by(Message.item_id)
    )
    return dict(session.exec(stmt).all())


def _declined_at(session: Session, item_ids: list[int]) -> dict[int, datetime]:
    stmt = (
        select(Event.entity_id, sa.func.max(Event.at))
        .where(Event.entity == "item", Event.action == "declined", Event.entity_id.in_(item_ids))
        .group_by(Event.entity_id)
    )
    return dict(session.exec(stmt).all())


def public_entries(session: Session, *, include_declined: bool = True) -> list[PublicEntry]:
    """Return the public log: shipped fixes (and declined items shown publicly), newest first."""
    shown = Item.status.in_([ItemStatus.SHIPPED, ItemStatus.LOOP_CLOSED])
    if include_declined:
        declined = sa.and_(Item.status == ItemStatus.DECLINED, Item.show_publicly.is_(True))
        shown = sa.or_(shown, declined)
    items = session.exec(select(Item).where(shown)).all()
    ids = [i.id for i in items]
    counts, milestones = _customer_counts(session, ids), milestones_for(session, ids)
    declined_at = _declined_at(session, ids)
    known, zone = known_by_item(session, ids), company_zone(session)
    entries = [_entry(i, known[i.id], counts, milestones, declined_at, zone) for i in items]
    return sorted(entries, key=lambda e: (e.when, e.item_id), reverse=True)


def _entry(item: Item, known, counts, milestones, declined_at, zone: tzinfo) -> PublicEntry:
    if item.status == ItemStatus.DECLINED:
        kind, when, days = "declined", declined_at.get(item.id) or item.updated_at, None
        text = item.public_text or "We decided not to make this change."
    else:
        kind, text = "shipped", item.public_text or ""
        when = milestones[item.id].shipped or item.shipped_at or item.updated_at
        days = days_to_fix(milestones[item.id])
    fallback = "A request we will not take up" if kind == "declined" else "A change you asked for"
    title = item.public_title or fallback
    return PublicEntry(
        item.id,
        kind,
        redact(title, known=known),
        redact(text, known=known),
        when.astimezone(zone),  # the company's date is the one shown
        counts.get(item.id, 0),
        days,
    )


def _base(session: Session) -> str:
    from db.sla import base_url

    return base_url(session)


def render_changelog(engine: Engine, *, fmt: str, now: datetime) -> str:
    """Export the public log as `md`, `html`, `atom` or `json`."""
    with Session(engine) as session:
        entries, base = public_entries(session), _base(session)
        zone = company_zone(session)
    return render_entries(entries, fmt=fmt, base=base, now=now.astimezone(zone))
