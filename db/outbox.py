"""What the Admin page shows and does about outgoing e-mail: counts per status, the e-mails
given up on after `db.delivery.MAX_ATTEMPTS`, and sending those again once SMTP works."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from db.auth import require
from db.models import Event, Outbox, OutboxStatus


def outbox_counts(session: Session) -> dict[str, int]:
    """Return the number of outbox rows per status (for the admin page and the digest)."""
    rows = session.exec(select(Outbox.status, sa.func.count()).group_by(Outbox.status)).all()
    return {status: n for status, n in rows}


def failed_emails(session: Session, *, limit: int = 200) -> list[tuple]:
    """Return the newest e-mails given up on: id, kind, to, subject, attempts, error, queued."""
    o = Outbox
    cols = (o.id, o.kind, o.to_addr, o.subject, o.attempts, o.last_error, o.created_at)
    stmt = select(*cols).where(o.status == OutboxStatus.FAILED).order_by(o.id.desc()).limit(limit)
    return [tuple(r) for r in session.exec(stmt).all()]


def retry_failed(session: Session, *, actor: Any, now: datetime) -> int:
    """Queue every e-mail given up on for sending again, now (admins only); return how many.

    Each keeps its Message-ID, so a receiver that did get an earlier attempt sees one message."""
    require(actor, "outbox.retry")
    ids = session.exec(select(Outbox.id).where(Outbox.status == OutboxStatus.FAILED)).all()
    if not ids:
        return 0
    session.execute(
        sa.update(Outbox)
        .where(Outbox.id.in_(ids), Outbox.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now)
    )
    for row_id in ids:
        session.add(Event(at=now, actor_id=actor.id, entity="outbox", entity_id=row_id,
                          action="retried", from_state="failed", to_state="pending"))  # fmt: skip
    session.commit()
    return len(ids)
