"""The daily digests, composed as frozen values (`db/digestvalues.py`) and queued as e-mails.

A manager's digest: forwards to them still open (overdue ones first) and the items they own.
An executive's digest: yesterday's loop (since the previous business day on Mondays) — new
notable cards, items shipped, loops closed — plus every overdue forward, e-mails that could
not be delivered, and the median days from first complaint to fix (from the audit events).
Days, due times and the digest hour are the company's (`db.clock`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

import sqlalchemy as sa
from sqlmodel import Session, select

from db.clock import company_zone, day_start, local_day, previous_workday
from db.digestvalues import CardLine, ExecutiveDigest, ForwardLine, ItemLine, ManagerDigest
from db.leadtimes import median_days_to_fix, milestones_for
from db.models import Event, Forward, Item, ItemStatus, Outbox, OutboxStatus, Role, User
from db.sla import base_url, due_at, is_overdue, sla_days

DIGEST_HOUR = 7  # company time: the worker queues the day's digests at its first round after 7
MEDIAN_WINDOW = timedelta(days=90)
OPEN = (ItemStatus.NEW, ItemStatus.ACKNOWLEDGED, ItemStatus.IN_PROGRESS, ItemStatus.SHIPPED)


def _forward_lines(session: Session, forwards: list[Forward], *, now: datetime, zone: tzinfo):
    sla, base, names = sla_days(session), base_url(session), _names(session)
    lines = []
    for f in forwards:
        item = session.get(Item, f.item_id) if f.item_id else None
        what = f"#{item.id} {item.title}" if item else f"message #{f.message_id}"
        link = f"{base}/item?item={item.id}" if item else f"{base}/inbox"
        lines.append(
            ForwardLine(
                f.id,
                what,
                names.get(f.sender_id, "?"),
                names.get(f.recipient_id, "?"),
                f.note,
                due_at(f, sla=sla, zone=zone).astimezone(zone),  # shown as local time
                is_overdue(f, now=now, sla=sla, zone=zone),
                f.escalated_at is not None,
                link,
            )
        )
    return tuple(sorted(lines, key=lambda x: (not x.overdue, x.due)))


def _names(session: Session) -> dict[int, str]:
    return dict(session.exec(select(User.id, User.name)).all())


def _item_lines(session: Session, items) -> tuple[ItemLine, ...]:
    base = base_url(session)
    return tuple(ItemLine(i.id, i.title, i.status, f"{base}/item?item={i.id}") for i in items)


def manager_digest(session: Session, user: User, *, now: datetime) -> ManagerDigest:
    """Compose one manager's digest."""
    zone = company_zone(session)
    fwds = session.exec(
        select(Forward).where(Forward.recipient_id == user.id, Forward.acknowledged_at.is_(None))
    ).all()
    items = session.exec(
        select(Item).where(Item.owner_id == user.id, Item.status.in_(OPEN)).order_by(Item.id)
    ).all()
    return ManagerDigest(
        user.id,
        user.name,
        user.email,
        local_day(now, zone),
        _forward_lines(session, list(fwds), now=now, zone=zone),
        _item_lines(session, items),
    )


def loop_window(now: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """Return "yesterday": the previous business day (Friday on Mondays) up to today 00:00,
    in the company's days, as UTC moments."""
    return day_start(previous_workday(now, zone), zone), day_start(local_day(now, zone), zone)


def executive_digest(session: Session, user: User, *, now: datetime) -> ExecutiveDigest:
    """Compose one executive's digest of yesterday's loop."""
    zone = company_zone(session)
    start, end = loop_window(now, zone)
    shipped = _moved(session, "shipped", start, end)
    closed = _moved(session, "loop_closed", start, end)
    sla = sla_days(session)
    unacked = session.exec(select(Forward).where(Forward.acknowledged_at.is_(None))).all()
    overdue = [f for f in unacked if is_overdue(f, now=now, sla=sla, zone=zone)]
    recent = session.exec(select(Item.id).where(Item.shipped_at >= now - MEDIAN_WINDOW)).all()
    failed = session.exec(
        select(sa.func.count()).select_from(Outbox).where(Outbox.status == OutboxStatus.FAILED)
    ).one()
    return ExecutiveDigest(
        user.id,
        user.name,
        user.email,
        local_day(start, zone),
        start.astimezone(zone),
        _cards(session, start, now=now),
        _item_lines(session, shipped),
        _item_lines(session, closed),
        _forward_lines(session, overdue, now=now, zone=zone),
        median_days_to_fix(milestones_for(session, recent).values()),
        failed,
    )


def _moved(session: Session, action: str, start: datetime, end: datetime) -> list[Item]:
    """Return the items whose audit trail shows `action` in [start, end), still past it."""
    ids = select(Event.entity_id).where(
        Event.entity == "item", Event.action == action, Event.at >= start, Event.at < end
    )
    stay = [ItemStatus.LOOP_CLOSED]
    if action == "shipped":
        stay.append(ItemStatus.SHIPPED)
    stmt = select(Item).where(Item.id.in_(ids), Item.status.in_(stay)).order_by(Item.id)
    return list(session.exec(stmt).all())


def _cards(session: Session, start: datetime, *, now: datetime) -> tuple[CardLine, ...]:
    try:
        from db.queries import morning_feed
    except ImportError:  # the feed is another module's; a digest without it still helps
        return ()
    cards = morning_feed(session, day=None, since=start, limit=10, now=now)
    return tuple(CardLine(c.title, c.score, c.count, tuple(c.reasons)) for c in cards)


def compose_all(session: Session, *, now: datetime) -> list[ManagerDigest | ExecutiveDigest]:
    """Compose every active executive's digest and every manager's with something in it."""
    users = session.exec(select(User).where(User.is_active.is_(True)).order_by(User.id)).all()
    out: list[ManagerDigest | ExecutiveDigest] = []
    for user in users:
        if user.role == Role.EXECUTIVE:
            out.append(executive_digest(session, user, now=now))
        elif user.role == Role.MANAGER:
            d = manager_digest(session, user, now=now)
            if d.forwards or d.items:
                out.append(d)
    return out


def digest_key(user_id: int | str, day: date) -> str:
    """Return the outbox dedupe key of a user's digest of the company's `day` ("%" for all)."""
    return f"digest:{user_id}:{day.isoformat()}"


def queue_digests(session: Session, digests, *, now: datetime) -> int:
    """Queue each digest once per user and day (caller commits); return how many are new."""
    from db.notify import queue

    new, today = 0, local_day(now, company_zone(session))
    for d in digests:
        key = digest_key(d.user_id, today)
        row = queue(session, d.template, kind="digest", key=key, to=d.email, subject=d.subject, d=d)
        new += row.id is None
    return new
