"""Delivery through a real SMTP server (aiosmtpd on loopback): nothing lost, nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from db import delivery as notify
from db.delivery import LEASE, MAX_ATTEMPTS, deliver_due
from db.models import Outbox, OutboxStatus
from db.notify import enqueue, render
from db.smtp import SmtpSettings
from tests.factories import NOW
from tests.mailsink import MailSink

pytestmark = pytest.mark.smtp


@pytest.fixture
def sink() -> Iterator[MailSink]:
    server = MailSink().start()
    yield server
    server.stop()


def _queue(session: Session, n: int, *, to: str = "mara@co.test") -> list[Outbox]:
    rows = []
    for i in range(n):
        text, html = render(
            "reply", title=f"Hello {i}", reply_text=f"Message {i} <b>", link="http://x.test/changes"
        )
        rows.append(
            enqueue(
                session,
                kind="test",
                dedupe_key=f"t:{i}",
                to_addr=to,
                subject=f"Hello {i}",
                text=text,
                html=html,
            )
        )
    session.commit()
    return rows


def _statuses(session: Session) -> list[str]:
    session.expire_all()
    return [r.status for r in session.exec(select(Outbox).order_by(Outbox.id)).all()]


def test_due_message_arrives_with_text_and_html_parts_and_its_message_id(session, sink) -> None:
    [row] = _queue(session, 1)
    report = deliver_due(session.get_bind(), now=NOW, smtp_settings=sink.settings())
    assert (report.sent, report.retrying, report.failed, report.error) == (1, 0, 0, None)
    [msg] = sink.messages
    assert msg["Message-ID"] == row.message_id_header
    assert msg["Subject"] == "Hello 0" and msg["To"] == "mara@co.test"
    parts = {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in msg.walk()
        if not p.is_multipart()
    }
    assert "Message 0 <b>" in parts["text/plain"]
    assert "Message 0 &lt;b&gt;" in parts["text/html"]
    assert _statuses(session) == ["sent"]


def test_server_crash_mid_run_loses_nothing_and_sends_nothing_twice(session, sink) -> None:
    rows = _queue(session, 10)
    engine, settings = session.get_bind(), sink.settings()
    sink.stop_after = 3  # accepts three, refuses the fourth and goes down

    first = deliver_due(engine, now=NOW, smtp_settings=settings)
    assert first.sent == 3 and first.error
    sink.stop()
    during = deliver_due(engine, now=NOW + timedelta(minutes=5), smtp_settings=settings)
    assert during.sent == 0 and "cannot reach" in during.error
    assert _statuses(session).count("sent") == 3
    assert _statuses(session).count("pending") == 7

    sink.start()
    after = deliver_due(engine, now=NOW + timedelta(hours=1), smtp_settings=settings)
    again = deliver_due(engine, now=NOW + timedelta(hours=2), smtp_settings=settings)
    assert (after.sent, again.sent) == (7, 0)
    ids = sink.message_ids()
    assert len(ids) == 10
    assert sorted(ids) == sorted(r.message_id_header for r in rows)
    assert _statuses(session) == ["sent"] * 10


def test_row_left_sending_by_a_crash_is_resent_after_the_lease_with_the_same_message_id(
    session, sink, monkeypatch
) -> None:
    [row] = _queue(session, 1)
    engine, settings = session.get_bind(), sink.settings()
    real_finish = notify._finish

    def crash_on_mark_sent(engine, row_id, **values):
        if values.get("status") == OutboxStatus.SENT:
            raise RuntimeError("power cut")
        real_finish(engine, row_id, **values)

    monkeypatch.setattr(notify, "_finish", crash_on_mark_sent)
    with pytest.raises(RuntimeError):
        deliver_due(engine, now=NOW, smtp_settings=settings)
    monkeypatch.setattr(notify, "_finish", real_finish)
    assert _statuses(session) == ["sending"]

    early = deliver_due(engine, now=NOW + LEASE - timedelta(seconds=1), smtp_settings=settings)
    assert early.sent == 0 and len(sink.messages) == 1
    late = deliver_due(engine, now=NOW + LEASE, smtp_settings=settings)
    assert late.sent == 1
    assert sink.message_ids() == [row.message_id_header, row.message_id_header]
    assert _statuses(session) == ["sent"]


def test_refused_recipient_backs_off_then_fails_without_blocking_others(session, sink) -> None:
    engine, settings = session.get_bind(), sink.settings()
    enqueue(session, kind="t", dedupe_key="bad", to_addr="gone@co.test", subject="s", text="x")
    enqueue(session, kind="t", dedupe_key="good", to_addr="ok@co.test", subject="s", text="y")
    session.commit()
    sink.refuse.add("gone@co.test")
    now, waits = NOW, []
    for _ in range(MAX_ATTEMPTS):
        deliver_due(engine, now=now, smtp_settings=settings)
        bad = session.exec(select(Outbox).where(Outbox.dedupe_key == "bad")).one()
        session.refresh(bad)
        waits.append(bad.next_attempt_at - now)
        now = bad.next_attempt_at
    assert bad.status == OutboxStatus.FAILED and bad.attempts == MAX_ATTEMPTS
    assert "550" in bad.last_error
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert [m["To"] for m in sink.messages] == ["ok@co.test"]
    assert deliver_due(engine, now=now + timedelta(days=1), smtp_settings=settings).sent == 0


def test_outage_before_connecting_touches_no_row(session) -> None:
    _queue(session, 2)
    dead = SmtpSettings(host="127.0.0.1", port=MailSink().port, timeout=2)
    report = deliver_due(session.get_bind(), now=NOW, smtp_settings=dead)
    assert report.sent == 0 and "cannot reach" in report.error
    session.expire_all()
    rows = session.exec(select(Outbox)).all()
    assert [(r.status, r.attempts) for r in rows] == [("pending", 0), ("pending", 0)]


def test_worker_round_sends_notice_escalation_and_digests_once(session, sink, monkeypatch) -> None:
    from io import StringIO

    from rich.console import Console

    from db.models import Forward
    from db.worker import run_round
    from tests.factories import make_message
    from tests.journeys import cast

    for key, value in sink.env().items():
        monkeypatch.setenv(key, value)
    c = cast(session)
    msg = make_message(session, subject="Screen went black")
    session.add(
        Forward(
            sender_id=c.ceo.id,
            recipient_id=c.mara.id,
            note="?",
            message_id=msg.id,
            created_at=NOW - timedelta(days=3),
            respond_by=NOW - timedelta(days=1),
        )
    )
    session.commit()
    console = Console(file=StringIO())
    run_round(session.get_bind(), now=NOW, console=console)
    run_round(session.get_bind(), now=NOW + timedelta(minutes=5), console=console)
    got = sorted((m["To"], m["Subject"].split(":")[0]) for m in sink.messages)
    assert got == [
        ("ceo@example.com", "Overdue"),
        ("ceo@example.com", "Yesterday's loop"),
        ("mara.lind@example.com", "Erin Cole forwarded to you"),
        ("mara.lind@example.com", "Your day"),
    ]
    assert len(set(sink.message_ids())) == 4


def test_digest_command_prints_without_send_and_queues_nothing(session) -> None:
    from io import StringIO

    from rich.console import Console

    from db.worker import run_digest
    from tests.journeys import cast

    cast(session)
    out = StringIO()
    run_digest(session.get_bind(), now=NOW, send=False, console=Console(file=out, width=200))
    assert "Good morning Erin Cole" in out.getvalue()
    assert session.exec(select(Outbox)).all() == []


def test_two_workers_at_once_send_each_message_exactly_once(session, sink, db_url) -> None:
    import threading

    from sqlmodel import SQLModel

    from db.engine import make_engine

    engine = make_engine(db_url)  # a separate, empty database: real concurrent connections
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        _queue(s, 20)
    settings, reports = sink.settings(), []
    workers = [
        threading.Thread(
            target=lambda: reports.append(deliver_due(engine, now=NOW, smtp_settings=settings))
        )
        for _ in range(2)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    engine.dispose()
    assert sum(r.sent for r in reports) == 20
    assert len(sink.messages) == len(set(sink.message_ids())) == 20
