"""The worker behind `feedbackloop digest` and `feedbackloop worker`.

One round: queue forward notices, escalate overdue forwards, queue the day's digests (once a
day, on weekdays after `DIGEST_HOUR` company time) and drain the outbox. Every step is
idempotent, so a round can be repeated or run by cron as well as by the long-running worker.
The outbox is drained even when queueing new e-mail fails, and the long-running worker outlives
a failed round: what is already queued must never wait behind a bug.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from db.clock import company_zone
from db.delivery import DeliveryReport, deliver_due
from db.digest import DIGEST_HOUR, compose_all, digest_key, queue_digests
from db.errors import first_line
from db.ingest.mailbox import MailboxError, fetch_mail
from db.ingest.mailurl import MailboxUrl
from db.models import Outbox
from db.notify import render
from db.sla import escalate_overdue, queue_forward_notices

Mailbox = tuple[MailboxUrl, str]  # where, and its password


def run_digest(engine: Engine, *, now: datetime, send: bool, console) -> None:
    """Compose today's digests; print them, or with `send` queue them and deliver."""
    with Session(engine, expire_on_commit=False) as session:
        digests = compose_all(session, now=now)
        if not send:
            for d in digests:
                console.print(render_digest(d)[0], markup=False, highlight=False)
            return
        queued = queue_digests(session, digests, now=now)
        session.commit()
    report = deliver_due(engine, now=now)
    console.print(f"queued {queued} digests; sent {report.sent}" + _why(report))


def render_digest(d) -> tuple[str, str]:
    """Render one digest (manager or executive) to text and HTML."""
    return render(d.template, title=d.subject, d=d)


def _why(report: DeliveryReport) -> str:
    return f" ({report.error})" if report.error else ""


def run_round(engine: Engine, *, now: datetime, console) -> DeliveryReport:
    """One worker round: notices and escalations, the daily digests, then drain the outbox."""
    try:
        _queue_round(engine, now=now, console=console)
    except Exception:
        _drain(engine, now=now, console=console)  # what is already queued still goes out
        raise
    return _drain(engine, now=now, console=console)


def _queue_round(engine: Engine, *, now: datetime, console) -> None:
    """Queue forward notices, escalations and (once a day) the digests."""
    with Session(engine, expire_on_commit=False) as session:
        queue_forward_notices(session, now=now)
        escalated = escalate_overdue(session, now=now)
        if escalated:
            console.print(f"escalated {len(escalated)} overdue forwards")
        local = now.astimezone(company_zone(session))
        if local.hour >= DIGEST_HOUR and local.weekday() < 5 and not _digested(session, local):
            queue_digests(session, compose_all(session, now=now), now=now)
            session.commit()


def _drain(engine: Engine, *, now: datetime, console) -> DeliveryReport:
    report = deliver_due(engine, now=now)
    if report.sent or report.retrying or report.failed or report.error:
        console.print(
            f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}" + _why(report)
        )
    return report


def _digested(session: Session, local: datetime) -> bool:
    """Whether today's digests were already queued (composing them is not free)."""
    key = Outbox.dedupe_key.like(digest_key("%", local.date()))
    return (
        session.exec(select(Outbox.id).where(Outbox.kind == "digest", key).limit(1)).first()
        is not None
    )


def run_worker(
    engine: Engine, *, once: bool, interval: int, console, mailboxes: Sequence[Mailbox] = ()
) -> None:
    """Run rounds every `interval` seconds (or once): fetch the mailboxes' new mail, then
    escalate, digest and drain the outbox."""
    while True:
        for url, password in mailboxes:  # a mailbox that is down never holds up the outbox
            _fetch(engine, url, password, console=console)
        try:
            run_round(engine, now=datetime.now(UTC), console=console)
        except Exception as e:  # a database hiccup or a bug must not stop the worker for good
            if once:
                raise
            why = first_line(e)
            if not isinstance(e, SQLAlchemyError):  # its message starts with the driver's error
                why = f"{type(e).__name__}: {why}"
            console.print(f"round failed, retrying in {interval}s: {why}", markup=False)
        if once:
            return
        time.sleep(interval)


def _fetch(engine: Engine, url: MailboxUrl, password: str, *, console) -> None:
    """Import a mailbox's new mail; say what came in, or why nothing could."""
    try:
        got = fetch_mail(engine, url, password=password, now=datetime.now(UTC), console=console)
    except (MailboxError, SQLAlchemyError) as e:
        console.print(f"fetch failed, retrying next round: {first_line(e)}", markup=False)
        return
    if got.imported or got.rejected or got.error:
        stopped = f"; stopped early: {got.error}" if got.error else ""
        console.print(f"{url}: imported {got.imported}, rejected {got.rejected}{stopped}",
                      markup=False)  # fmt: skip
