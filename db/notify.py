"""The outbox: every e-mail the product sends, queued in the causing transaction, sent by SMTP.

`enqueue` adds an Outbox row in the caller's transaction (no commit), idempotent by
`dedupe_key`, so the e-mail exists if and only if the action that caused it committed.
`deliver_due` sends due rows with `smtplib` (settings from `SMTP_HOST`, `SMTP_PORT`,
`SMTP_USER`, `SMTP_PASSWORD`, `SMTP_FROM`, `SMTP_STARTTLS=1`).

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

import os
import smtplib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import sqlalchemy as sa
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.errors import InvalidInput
from db.models import Outbox, OutboxStatus

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=10)
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "feedbackloop@localhost"
    starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        """Return settings from the SMTP_* environment, or None when SMTP_HOST is unset.

        InvalidInput names a malformed setting (the CLI shows it as a configuration error).
        """
        env = os.environ
        if not env.get("SMTP_HOST", "").strip():
            return None
        return cls(
            host=env["SMTP_HOST"].strip(),
            port=_port(env.get("SMTP_PORT", "").strip() or "25"),
            user=env.get("SMTP_USER") or None,
            password=env.get("SMTP_PASSWORD") or None,
            sender=env.get("SMTP_FROM") or "feedbackloop@localhost",
            starttls=env.get("SMTP_STARTTLS", "").strip().lower() in ("1", "true", "yes"),
        )


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(f"SMTP_PORT must be a number, got {text!r}")
    if not 1 <= int(text) <= 65535:
        raise InvalidInput(f"SMTP_PORT must be between 1 and 65535, got {text!r}")
    return int(text)


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    error: str | None = None


def render(name: str, *, title: str, **context: object) -> tuple[str, str]:
    """Render templates `<name>.txt.j2` and `<name>.html.j2` (auto-escaped) to text and HTML."""
    text = _ENV.get_template(f"{name}.txt.j2").render(title=title, **context)
    html = _ENV.get_template(f"{name}.html.j2").render(title=title, **context)
    return text.strip() + "\n", html


def queue(
    session: Session, template: str, *, key: str, to: str, subject: str, kind: str = "", **context
) -> Outbox:
    """Render `template` (the subject is its title) and add the e-mail to the outbox in the
    caller's transaction, once per `key`; `kind` defaults to the template's name."""
    text, html = render(template, title=subject, **context)
    return enqueue(session, kind=kind or template, dedupe_key=key, to_addr=to, subject=subject,
                   text=text, html=html)  # fmt: skip


def _message_id(sender: str) -> str:
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "feedbackloop.local"
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue(
    session: Session,
    *,
    kind: str,
    dedupe_key: str,
    to_addr: str,
    subject: str,
    text: str,
    html: str | None = None,
) -> Outbox:
    """Add an e-mail to the outbox in the caller's transaction; return the existing row if any."""
    existing = session.exec(select(Outbox).where(Outbox.dedupe_key == dedupe_key)).first()
    if existing is not None:
        return existing
    sender = os.environ.get("SMTP_FROM") or "feedbackloop@feedbackloop.local"
    row = Outbox(
        kind=kind,
        dedupe_key=dedupe_key,
        to_addr=to_addr,
        subject=subject[:500],
        body_text=text,
        body_html=html,
        message_id_header=_message_id(sender),
    )
    session.add(row)
    return row


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


def _email(row: Outbox, settings: SmtpSettings) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.sender, row.to_addr, row.subject
    msg["Message-ID"] = row.message_id_header
    msg["Date"] = format_datetime(row.created_at.astimezone(UTC))
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(row.body_text)
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    return msg


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.starttls:
        smtp.starttls()
    if settings.user:
        smtp.login(settings.user, settings.password or "")
    return smtp


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
        smtp = _connect(settings)
    except (smtplib.SMTPException, OSError) as e:
        return DeliveryReport(error=f"cannot reach SMTP server: {type(e).__name__}: {e}")
    sent = retrying = failed = 0
    try:
        for row in rows:
            if not _claim(engine, row.id, now=now):
                continue  # another worker took it
            try:
                smtp.send_message(_email(row, settings))
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


def run_digest(engine: Engine, *, now: datetime, send: bool, console) -> None:
    """Compose today's digests; print them, or with `send` queue and deliver them."""
    from db.worker import run_digest as run

    run(engine, now=now, send=send, console=console)


def run_worker(engine: Engine, *, once: bool, interval: int, console) -> None:
    """Run worker rounds every `interval` seconds (or once): escalate, digest, drain."""
    from db.worker import run_worker as run

    run(engine, once=once, interval=interval, console=console)
