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

One bad row never stops the rows behind it: any error building or sending one row is recorded
on that row and the round goes on (unless the connection is gone). An error from the row itself
(ValueError and kin: a header or address that cannot be sent) fails it at once, since retrying
cannot help; others back off as above. A row whose last allowed attempt left it in `sending`
(the sender died each time) is not claimed again after its lease but marked `failed`.

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
STUCK = "given up: the sender stopped while sending it on its last attempt (lease lapsed)"


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
    lease_over = sa.and_(
        t.status == OutboxStatus.SENDING, t.next_attempt_at <= now, t.attempts < MAX_ATTEMPTS
    )
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


def _fail_stuck(engine: Engine, *, now: datetime) -> int:
    """Give up on rows whose last allowed attempt never finished (the lease lapsed); count."""
    t = Outbox.__table__.c
    stmt = (
        sa.update(Outbox)
        .where(
            t.status == OutboxStatus.SENDING, t.next_attempt_at <= now, t.attempts >= MAX_ATTEMPTS
        )
        .values(status=OutboxStatus.FAILED, last_error=STUCK)
    )
    with engine.begin() as conn:
        return conn.execute(stmt).rowcount


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


def _permanent(e: Exception) -> bool:
    """Whether the error comes from the row itself (bad header, address, encoding): retrying
    cannot help, so the row fails at once."""
    return isinstance(e, ValueError | TypeError | LookupError)


def _row_level(smtp: smtplib.SMTP, e: Exception) -> bool:
    """Whether the error concerns this message only, so the round can go on with the next."""
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(e, smtplib.SMTPResponseException):
        return 500 <= e.smtp_code < 600
    if isinstance(e, smtplib.SMTPException | OSError):
        return False  # the connection is gone
    try:  # not an SMTP error: go on if the connection still answers
        smtp.rset()
    except (smtplib.SMTPException, OSError):
        return False
    return True


def _send(smtp: smtplib.SMTP, row: Outbox, settings: SmtpSettings) -> Exception | None:
    """Build and send one row's e-mail; return what went wrong, if anything."""
    try:
        smtp.send_message(email_message(row, settings))
    except Exception as e:  # one bad row must never stop the rows behind it
        return e
    return None


def deliver_due(
    engine: Engine, *, now: datetime, smtp_settings: SmtpSettings | None = None, limit: int = 200
) -> DeliveryReport:
    """Send the outbox rows that are due over one SMTP connection; return what happened."""
    settings = smtp_settings or SmtpSettings.from_env()
    if settings is None:
        return DeliveryReport(error="SMTP is not configured (set SMTP_HOST).")
    stuck = _fail_stuck(engine, now=now)
    with Session(engine, expire_on_commit=False) as session:
        rows = session.exec(select(Outbox).where(_due(now)).order_by(Outbox.id).limit(limit)).all()
    if not rows:
        return DeliveryReport(failed=stuck)
    try:
        smtp = connect(settings)
    except (smtplib.SMTPException, OSError) as e:
        error = f"cannot reach SMTP server: {type(e).__name__}: {e}"
        return DeliveryReport(failed=stuck, error=error)
    try:
        return _deliver(engine, smtp, rows, settings, now=now, failed=stuck)
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _deliver(
    engine: Engine,
    smtp: smtplib.SMTP,
    rows: list[Outbox],
    settings: SmtpSettings,
    *,
    now: datetime,
    failed: int,
) -> DeliveryReport:
    """Claim and send `rows` one by one over `smtp`; stop only if the connection is gone."""
    sent = retrying = 0
    for row in rows:
        if not _claim(engine, row.id, now=now):
            continue  # another worker took it
        error = _send(smtp, row, settings)
        if error is None:
            _finish(engine, row.id, status=OutboxStatus.SENT, sent_at=now, last_error=None)
            sent += 1
            continue
        reason = f"{type(error).__name__}: {error}"
        if _permanent(error):
            _finish(engine, row.id, status=OutboxStatus.FAILED, last_error=reason[:2000])
            gave_up = True
        else:
            gave_up = _failed_attempt(engine, row, reason, now=now)
        failed, retrying = failed + gave_up, retrying + (not gave_up)
        if not _row_level(smtp, error):
            # the connection is gone: stop; unclaimed rows stay pending, untouched
            return DeliveryReport(sent, retrying, failed, reason)
    return DeliveryReport(sent, retrying, failed)
