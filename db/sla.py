"""SLAs on forwards: when they are due, forward notices, and escalation of overdue ones.

A forward is due `sla_ack_business_days` business days (Mon–Fri, in the company's time zone:
`db.clock`) after it was sent unless the sender set `respond_by`. An unacknowledged forward past
its due time is escalated once: the sender gets an e-mail, `escalated_at` is set and an Event
written; it stays flagged (it is overdue and escalated) until the recipient acknowledges it.
`queue_forward_notice` is meant to be called by `workflow.forward` before it commits; the
worker's `queue_forward_notices` sweep catches any forward without a notice (idempotent by
dedupe key), so none is missed either way.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, tzinfo

import sqlalchemy as sa
from sqlmodel import Session, select

from db.clock import add_business_days, company_zone, stamp
from db.models import Event, Forward, Item, Message, User
from db.notify import message_title, queue

NOTICE_WINDOW = timedelta(days=7)


def sla_days(session: Session) -> int:
    """Return the configured acknowledge SLA in business days (default 1)."""
    from db.settings import get_setting

    return int(get_setting(session, "sla_ack_business_days") or 1)


def due_at(forward: Forward, *, sla: int, zone: tzinfo = UTC) -> datetime:
    """Return when `forward` must be acknowledged (`sla` business days of the company's)."""
    return forward.respond_by or add_business_days(forward.created_at, sla, zone)


def is_overdue(forward: Forward, *, now: datetime, sla: int, zone: tzinfo = UTC) -> bool:
    """Whether `forward` is unacknowledged past its due time."""
    return forward.acknowledged_at is None and due_at(forward, sla=sla, zone=zone) < now


def base_url(session: Session) -> str:
    """Return the public base URL of the app, for links in e-mails."""
    from db.settings import get_setting

    url = get_setting(session, "public_base_url") or os.environ.get("FL_BASE_URL", "")
    return (url or "http://localhost:8501").rstrip("/")


def _about(session: Session, fwd: Forward, zone: tzinfo) -> tuple[str, str, str]:
    """Return (what, snippet, link) describing the forwarded message or item."""
    base = base_url(session)
    if fwd.item_id is not None:
        item = session.get(Item, fwd.item_id)
        return f"item #{item.id} “{item.title}”", item.problem[:400], f"{base}/item?item={item.id}"
    msg = session.get(Message, fwd.message_id)
    what = message_title(msg, zone)
    return what, msg.body[:400], f"{base}/inbox"


def _when(dt: datetime | None, zone: tzinfo) -> str:
    return stamp(dt, zone, "%a %d %b %Y, %H:%M", label=True) if dt else ""


def queue_forward_notice(session: Session, forward: Forward) -> None:
    """Queue the e-mail telling the recipient what was forwarded (caller commits)."""
    sender = session.get(User, forward.sender_id)
    recipient = session.get(User, forward.recipient_id)
    zone = company_zone(session)
    what, snippet, link = _about(session, forward, zone)
    subject = f"{sender.name} forwarded to you: {what}"
    queue(
        session,
        "forward",
        key=f"forward:{forward.id}",
        to=recipient.email,
        subject=subject,
        sender_name=sender.name,
        recipient_name=recipient.name,
        what=what,
        snippet=snippet,
        note=forward.note,
        link=link,
        respond_by=_when(due_at(forward, sla=sla_days(session), zone=zone), zone),
    )


def queue_forward_notices(session: Session, *, now: datetime) -> int:
    """Queue notices for recent unacknowledged forwards that have none yet; commit; count."""
    from db.models import Outbox

    key = sa.literal("forward:") + sa.cast(Forward.id, sa.String)
    has_notice = select(Outbox.id).where(Outbox.dedupe_key == key)
    rows = session.exec(
        select(Forward).where(
            Forward.acknowledged_at.is_(None),
            Forward.created_at >= now - NOTICE_WINDOW,
            ~has_notice.exists(),
        )
    ).all()
    for fwd in rows:
        queue_forward_notice(session, fwd)
    session.commit()
    return len(rows)


def _escalate(session: Session, fwd: Forward, *, now: datetime, sla: int, zone: tzinfo) -> None:
    sender, recipient = session.get(User, fwd.sender_id), session.get(User, fwd.recipient_id)
    what, _snippet, link = _about(session, fwd, zone)
    due = due_at(fwd, sla=sla, zone=zone)
    fwd.escalated_at = now
    session.add(fwd)
    session.add(
        Event(
            at=now,
            entity="forward",
            entity_id=fwd.id,
            action="escalated",
            data={"due": due.isoformat(), "recipient_id": fwd.recipient_id},
        )
    )
    subject = f"Overdue: {recipient.name} has not acknowledged {what}"
    queue(
        session,
        "escalation",
        key=f"escalation:{fwd.id}",
        to=sender.email,
        subject=subject,
        sender_name=sender.name,
        recipient_name=recipient.name,
        what=what,
        note=fwd.note,
        respond_by=_when(due, zone),
        overdue=_ago(now - due),
        link=link,
    )


def _ago(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    return f"{hours // 24} days {hours % 24} hours" if hours >= 24 else f"{hours} hours"


def escalate_overdue(session: Session, *, now: datetime) -> list[Forward]:
    """Escalate every overdue, unacknowledged, not yet escalated forward once; commit."""
    sla, zone = sla_days(session), company_zone(session)
    # business days are never shorter than calendar days (less a clock change, at most 2 h
    # anywhere), so this only narrows the scan
    sent_before = now - timedelta(days=sla) + timedelta(hours=2)
    maybe_due = sa.or_(
        Forward.respond_by < now,
        sa.and_(Forward.respond_by.is_(None), Forward.created_at < sent_before),
    )
    candidates = session.exec(
        select(Forward).where(
            Forward.acknowledged_at.is_(None), Forward.escalated_at.is_(None), maybe_due
        )
    ).all()
    overdue = [f for f in candidates if is_overdue(f, now=now, sla=sla, zone=zone)]
    for fwd in overdue:
        _escalate(session, fwd, now=now, sla=sla, zone=zone)
    session.commit()
    return overdue
