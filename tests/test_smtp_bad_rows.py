"""One bad e-mail never stops the others: a customer's subject hiding a line break, a row that
cannot be built, a row its sender died on every time (real SMTP server, aiosmtpd on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from rich.console import Console
from sqlmodel import Session, select

from db import delivery, workflow
from db.delivery import LEASE, MAX_ATTEMPTS, STUCK, deliver_due
from db.ingest.uploads import import_uploads
from db.models import Message, Outbox, OutboxStatus
from db.notify import enqueue
from db.smtp import SmtpSettings, email_message
from tests.factories import NOW, make_message
from tests.journeys import cast
from tests.mailsink import MailSink

pytestmark = pytest.mark.smtp

# "My charger is broken", a line break, then a Bcc header: all inside one RFC 2047 word
COMPLAINT = (
    b"From: Pat Customer <pat@example.net>\r\n"
    b"To: ceo@voltra.example\r\n"
    b"Subject: =?utf-8?q?My_charger_is_broken=0ABcc=3A_attacker=40evil=2Eexample?=\r\n"
    b"Date: Fri, 20 Nov 2026 07:00:00 +0000\r\n"
    b"Message-ID: <crlf-1@example.net>\r\n\r\n"
    b"The charger at my home stopped working.\r\nPlease help.\r\n"
)


class RecordingSink(MailSink):
    """A MailSink that also remembers every RCPT TO it was given."""

    def __init__(self) -> None:
        super().__init__()
        self.rcpts: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        self.rcpts.append(address)
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


@pytest.fixture
def sink() -> Iterator[RecordingSink]:
    server = RecordingSink().start()
    yield server
    server.stop()


def _add(session: Session, key: str, **values) -> Outbox:
    """Add an outbox row as it may sit in the table (bypassing `enqueue`'s checks)."""
    fields = {"to_addr": f"{key}@co.test", "subject": key, "body_text": "x"} | values
    row = Outbox(kind="t", dedupe_key=key, message_id_header=f"<{key}@co.test>", **fields)
    session.add(row)
    session.commit()
    return row


def _rows(session: Session) -> dict[str, Outbox]:
    session.expire_all()
    return {r.dedupe_key: r for r in session.exec(select(Outbox)).all()}


def test_forwarded_subject_hiding_a_line_break_is_sent_flat_and_nothing_waits(
    session, sink, monkeypatch
) -> None:
    from db.worker import run_round

    for key, value in sink.env().items():
        monkeypatch.setenv(key, value)
    c, engine = cast(session), session.get_bind()
    assert import_uploads(engine, [("complaint.eml", COMPLAINT)], actor=c.ada, now=NOW).imported
    bad = session.exec(select(Message).where(Message.external_id == "crlf-1@example.net")).one()
    assert bad.subject == "My charger is broken Bcc: attacker@evil.example"
    assert bad.body.splitlines() == ["The charger at my home stopped working.", "Please help."]
    fine = make_message(session, subject="Screen went black")
    for msg in (bad, fine):  # the customer's forward is queued first, the other behind it
        workflow.forward(session, message_ids=[msg.id], to_user_id=c.mara.id, note="?",
                         respond_by=None, actor=c.ceo, now=NOW)  # fmt: skip

    report = run_round(engine, now=NOW, console=Console(file=StringIO()))

    rows = _rows(session)
    assert report.failed == report.retrying == 0 and report.error is None
    assert {r.status for r in rows.values()} == {OutboxStatus.SENT}
    assert report.sent == len(rows) == len(sink.messages) >= 3  # two forwards, the digests
    # (the stdlib folds a long Subject right after the colon: the unfolded value starts " ")
    forwards = sorted(m["Subject"].strip() for m in sink.messages if "forwarded" in m["Subject"])
    assert forwards == [
        "Erin Cole forwarded to you: My charger is broken Bcc: attacker@evil.example",
        "Erin Cole forwarded to you: Screen went black",
    ]
    assert all(m["Bcc"] is None for m in sink.messages)
    assert not any("evil" in rcpt for rcpt in sink.rcpts)


def _fail_to_build(monkeypatch, key: str, error: Exception) -> None:
    """Make building the e-mail of the row queued under `key` raise `error`."""
    real = delivery.email_message

    def build(row, settings):
        if row.dedupe_key == key:
            raise error
        return real(row, settings)

    monkeypatch.setattr(delivery, "email_message", build)


def test_a_row_whose_message_cannot_be_built_fails_with_its_reason_and_the_next_is_sent(
    session, sink, monkeypatch
) -> None:
    for key in ("first", "broken", "last"):
        _add(session, key)
    error = ValueError("Header values may not contain linefeed or carriage return")
    _fail_to_build(monkeypatch, "broken", error)
    report = deliver_due(session.get_bind(), now=NOW, smtp_settings=sink.settings())

    assert (report.sent, report.retrying, report.failed, report.error) == (2, 0, 1, None)
    rows = _rows(session)
    assert rows["broken"].status == OutboxStatus.FAILED and rows["broken"].attempts == 1
    assert rows["broken"].last_error == (
        "ValueError: Header values may not contain linefeed or carriage return"
    )
    assert (rows["first"].status, rows["last"].status) == (OutboxStatus.SENT, OutboxStatus.SENT)
    assert [m["To"] for m in sink.messages] == ["first@co.test", "last@co.test"]


def test_a_stored_row_with_a_second_recipient_fails_at_once_and_no_one_gets_it(
    session, sink
) -> None:
    _add(session, "legacy", to_addr="pat@example.net,\r\n eve@evil.example")
    _add(session, "next")
    report = deliver_due(session.get_bind(), now=NOW, smtp_settings=sink.settings())
    assert (report.sent, report.failed) == (1, 1)
    legacy = _rows(session)["legacy"]
    assert legacy.status == OutboxStatus.FAILED
    assert legacy.last_error.startswith("ValueError: the recipient is not one e-mail address")
    assert sink.rcpts == ["next@co.test"]


def test_a_row_stuck_in_sending_from_before_the_fix_is_sent_with_a_flat_subject(
    session, sink
) -> None:
    lapsed = NOW - timedelta(minutes=1)
    _add(session, "stuck", subject="Fwd: broken\nBcc: x@evil.example", status="sending",
         attempts=3, next_attempt_at=lapsed)  # fmt: skip
    report = deliver_due(session.get_bind(), now=NOW, smtp_settings=sink.settings())
    assert (report.sent, report.failed) == (1, 0)
    assert [m["Subject"] for m in sink.messages] == ["Fwd: broken Bcc: x@evil.example"]
    assert sink.rcpts == ["stuck@co.test"]


def test_a_row_left_sending_after_its_last_attempt_ends_failed_and_is_not_sent_again(
    session, sink
) -> None:
    engine, settings = session.get_bind(), sink.settings()
    _add(session, "stuck", status="sending", attempts=MAX_ATTEMPTS, next_attempt_at=NOW + LEASE)
    _add(session, "fresh")

    early = deliver_due(engine, now=NOW, smtp_settings=settings)
    assert (early.sent, early.failed) == (1, 0)  # its lease still runs: maybe still being sent
    assert _rows(session)["stuck"].status == OutboxStatus.SENDING

    late = deliver_due(engine, now=NOW + LEASE, smtp_settings=settings)
    assert (late.sent, late.failed) == (0, 1)
    stuck = _rows(session)["stuck"]
    assert (stuck.status, stuck.attempts, stuck.last_error) == ("failed", MAX_ATTEMPTS, STUCK)
    assert sink.rcpts == ["fresh@co.test"]
    assert deliver_due(engine, now=NOW + timedelta(days=1), smtp_settings=settings).failed == 0


def test_a_row_left_sending_with_attempts_to_spare_is_still_resent_after_its_lease(
    session, sink
) -> None:
    _add(session, "crashed", status="sending", attempts=MAX_ATTEMPTS - 1, next_attempt_at=NOW)
    report = deliver_due(session.get_bind(), now=NOW, smtp_settings=sink.settings())
    assert (report.sent, report.failed) == (1, 0)
    assert _rows(session)["crashed"].attempts == MAX_ATTEMPTS


def test_an_unexpected_error_while_sending_backs_off_and_the_round_goes_on(
    session, sink, monkeypatch
) -> None:
    for key in ("odd", "next"):
        _add(session, key)
    _fail_to_build(monkeypatch, "odd", RuntimeError("something unforeseen"))
    report = deliver_due(session.get_bind(), now=NOW, smtp_settings=sink.settings())
    assert (report.sent, report.retrying, report.failed) == (1, 1, 0)
    odd = _rows(session)["odd"]
    assert (odd.status, odd.attempts) == (OutboxStatus.PENDING, 1)
    assert odd.next_attempt_at == NOW + timedelta(minutes=1)
    assert odd.last_error == "RuntimeError: something unforeseen"


def test_a_failing_round_still_drains_the_outbox_and_the_worker_carries_on(
    session, sink, monkeypatch
) -> None:
    from db import worker

    for key, value in sink.env().items():
        monkeypatch.setenv(key, value)
    enqueue(session, kind="t", dedupe_key="queued", to_addr="mara@co.test", subject="s", text="x")
    session.commit()

    def broken(session, *, now):
        raise KeyError("a bug in queueing")

    class Stop(BaseException):
        pass

    def stop(seconds):
        raise Stop

    monkeypatch.setattr(worker, "queue_forward_notices", broken)
    monkeypatch.setattr(worker.time, "sleep", stop)
    out = StringIO()
    console = Console(file=out, width=200)
    with pytest.raises(Stop):  # the worker only stops when it goes to sleep after the round
        worker.run_worker(session.get_bind(), once=False, interval=1, console=console)
    assert "round failed, retrying in 1s: KeyError: 'a bug in queueing'" in out.getvalue()
    assert sink.rcpts == ["mara@co.test"]
    with pytest.raises(KeyError):  # one round (cron, --once) still reports the error
        worker.run_worker(session.get_bind(), once=True, interval=1, console=console)


def test_built_message_has_one_line_subject_and_refuses_a_second_recipient() -> None:
    settings = SmtpSettings(host="127.0.0.1", sender="loop@co.test")
    row = Outbox(kind="t", dedupe_key="k", to_addr="a@co.test", subject="a\r\n\tb\u2028c",
                 body_text="x", message_id_header="<k@co.test>", created_at=NOW)  # fmt: skip
    assert email_message(row, settings)["Subject"] == "a b c"
    for to in ("a@co.test, b@evil.example", "a@co.test\nBcc: b@evil.example", "", "nobody"):
        row.to_addr = to
        with pytest.raises(ValueError, match="not one e-mail address"):
            email_message(row, settings)
