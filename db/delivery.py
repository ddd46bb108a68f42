"""Draining the outbox: sending due rows over SMTP, at least once, with the same Message-ID.

`deliver_due` sends the due Outbox rows over one connection (`db/smtp.py`); the rows were
queued by `db/notify.py` in the transaction that caused them.

Delivery guarantee — at-least-once, with the same Message-ID:
each row is *claimed* before sending (a conditional UPDATE pending→sending, committed), and
marked sent right after the server accepted it. A failed attempt goes back to pending with
exponential backoff (`attempts`, `next_attempt_at`, `last_error`) and becomes `failed` after
`MAX_ATTEMPTS` (shown in the admin page and the digest). If the process dies between the
server's "250 OK" and recording it, the row stays in `sending`; after `LEASE` it is sent again
with the *same* RFC 5322 Message-ID header generated at enqueue time, so receivers (and mail
clients, which thread and dedupe by Message-ID) see one message. We chose this over
at-most-once (giving up on rows found in `sending`) because a lost close-the-loop reply is worse
than a duplicate the receiver can recognise. Outages and refusals never cause a resend of an
accepted message: a connection failure stops the round and leaves the remaining rows untouched.

Scheduling the digests: either cron, e.g. `0 7 * * 1-5 feedbackloop digest --send`, or one
long-running `feedbackloop worker` (every `--interval` seconds it drains the outbox, escalates
overdue forwards and, once a day after 07:00 company time, sends the digests; `--once` for one
round).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.models import Outbox, OutboxStatus
from db.smtp import SmtpSettings, connect, email_message

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=10)
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    error: str | None = None


def _due(now: datetime):
    t = Outbox.__table__.c
    ready = sa.or_(t.next_attempt_at.is_(None), t.next_attempt_at <= now)
    pending = sa.and_(t.status == OutboxStatus.PENDING, ready)
    lease_over = sa.and_(t.status == OutboxStatus.SENDING, t.next_attempt_at <= now)
    return sa.or_(pending, lease_over)


def _claim(engine: Engine, row_id: int, *, now: datetime) -> bool:
    """Take one due row for sending (pending→sending, or a lapsed lease); True if we won it."""
    t = Outbox.__table__.c
    stmt = (
        sa.update(Outbox)
        .where(t.id == row_id, _due(now))
        .values(status=OutboxStatus.SENDING, attempts=t.attempts + 1, next_attempt_at=now + LEASE)
    )
    with engine.begin() as conn:
        return conn.execute(stmt).rowcount == 1


def _finish(engine: Engine, row_id: int, **values: object) -> None:
    stmt = sa.update(Outbox).where(Outbox.__table__.c.id == row_id).values(**values)
    with engine.begin() as conn:
        conn.execute(stmt)


def _backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _failed_attempt(engine: Engine, row: Outbox, error: str, *, now: datetime) -> bool:
    """Record a failed attempt; return True when the row is given up on."""
    attempts = row.attempts + 1
    give_up = attempts >= MAX_ATTEMPTS
    status = OutboxStatus.FAILED if give_up else OutboxStatus.PENDING
    retry_at = now + _backoff(attempts)
    _finish(engine, row.id, status=status, next_attempt_at=retry_at, last_error=error[:2000])
    return give_up


def _row_level(e: Exception) -> bool:
    """Whether the server refused this message only (5xx), so the round can go on."""
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(e, smtplib.SMTPResponseException) and 500 <= e.smtp_code < 600


def deliver_due(
    engine: Engine, *, now: datetime, smtp_settings: SmtpSettings | None = None, limit: int = 200
) -> DeliveryReport:
    """Send the outbox rows that are due over one SMTP connection; return what happened."""
    settings = smtp_settings or SmtpSettings.from_env()
    if settings is None:
        return DeliveryReport(error="SMTP is not configured (set SMTP_HOST).")
    with Session(engine, expire_on_commit=False) as session:
        rows = session.exec(select(Outbox).where(_due(now)).order_by(Outbox.id).limit(limit)).all()
    if not rows:
        return DeliveryReport()
    try:
        smtp = connect(settings)
    except (smtplib.SMTPException, OSError) as e:
        return DeliveryReport(error=f"cannot reach SMTP server: {type(e).__name__}: {e}")
    sent = retrying = failed = 0
    try:
        for row in rows:
            if not _claim(engine, row.id, now=now):
                continue  # another worker took it
            try:
                smtp.send_message(email_message(row, settings))
            except (smtplib.SMTPException, OSError) as e:
                gave_up = _failed_attempt(engine, row, f"{type(e).__name__}: {e}", now=now)
                failed, retrying = failed + gave_up, retrying + (not gave_up)
                if _row_level(e):
                    continue
                # the connection is gone: stop; unclaimed rows stay pending, untouched
                return DeliveryReport(sent, retrying, failed, f"{type(e).__name__}: {e}")
            _finish(engine, row.id, status=OutboxStatus.SENT, sent_at=now, last_error=None)
            sent += 1
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return DeliveryReport(sent, retrying, failed)
