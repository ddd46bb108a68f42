"""The outbox without a server: idempotent enqueue, claiming, templates, settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from db import delivery as notify
from db.delivery import LEASE, deliver_due
from db.errors import InvalidInput
from db.models import Outbox, OutboxStatus
from db.notify import enqueue, render
from db.outbox import outbox_counts
from db.smtp import SmtpSettings
from tests.factories import NOW


def _add(session, key: str = "k1") -> Outbox:
    return enqueue(session, kind="t", dedupe_key=key, to_addr="a@co.test", subject="s", text="x")


def test_enqueue_is_idempotent_by_dedupe_key(session) -> None:
    first = _add(session)
    second = _add(session)
    session.commit()
    assert first is second
    assert len(session.exec(select(Outbox)).all()) == 1


def test_enqueue_belongs_to_the_callers_transaction(session) -> None:
    _add(session)
    session.rollback()
    assert session.exec(select(Outbox)).all() == []


def test_each_row_gets_its_own_rfc5322_message_id(session) -> None:
    a, b = _add(session, "a"), _add(session, "b")
    assert a.message_id_header != b.message_id_header
    for row in (a, b):
        assert row.message_id_header.startswith("<") and row.message_id_header.endswith(">")
        assert "@" in row.message_id_header


def test_html_part_is_escaped_and_text_part_is_not() -> None:
    text, html = render(
        "reply",
        title="<i>t</i>",
        reply_text="<script>x</script> & co",
        link="http://x.test/changes",
    )
    assert "<script>x</script> & co" in text
    assert "&lt;script&gt;x&lt;/script&gt; &amp; co" in html
    assert "<script>" not in html and "&lt;i&gt;t&lt;/i&gt;" in html


def test_claim_is_won_by_one_worker_only(session) -> None:
    row = _add(session)
    session.commit()
    engine = session.get_bind()
    assert notify._claim(engine, row.id, now=NOW) is True
    assert notify._claim(engine, row.id, now=NOW) is False
    assert notify._claim(engine, row.id, now=NOW + LEASE) is True  # the lease lapsed


def test_backoff_doubles_and_is_capped() -> None:
    assert [notify._backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert notify._backoff(30) == notify.BACKOFF_CAP


def test_without_smtp_settings_nothing_is_touched(session, monkeypatch) -> None:
    monkeypatch.delenv("SMTP_HOST", raising=False)
    _add(session)
    session.commit()
    report = deliver_due(session.get_bind(), now=NOW)
    assert "SMTP_HOST" in report.error
    assert outbox_counts(session) == {OutboxStatus.PENDING: 1}


def test_smtp_settings_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.co.test")
    monkeypatch.setenv("SMTP_PORT", "587")
    monkeypatch.setenv("SMTP_USER", "loop")
    monkeypatch.setenv("SMTP_PASSWORD", "secret")
    monkeypatch.setenv("SMTP_FROM", "loop@co.test")
    monkeypatch.setenv("SMTP_STARTTLS", "1")
    s = SmtpSettings.from_env()
    assert (s.host, s.port, s.user, s.password, s.sender, s.starttls) == (
        "mail.co.test",
        587,
        "loop",
        "secret",
        "loop@co.test",
        True,
    )


@pytest.mark.parametrize(
    "port, error",
    [("abc", "SMTP_PORT must be a number, got 'abc'"),
     ("-1", "SMTP_PORT must be a number, got '-1'"),
     ("70000", "SMTP_PORT must be between 1 and 65535, got '70000'"),
     ("0", "SMTP_PORT must be between 1 and 65535, got '0'")],
)  # fmt: skip
def test_a_malformed_smtp_port_is_named(monkeypatch, port, error) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.co.test")
    monkeypatch.setenv("SMTP_PORT", port)
    with pytest.raises(InvalidInput) as refused:
        SmtpSettings.from_env()
    assert str(refused.value) == error


def test_a_blank_smtp_port_means_25(monkeypatch) -> None:
    monkeypatch.setenv("SMTP_HOST", "mail.co.test")
    monkeypatch.setenv("SMTP_PORT", " ")
    assert SmtpSettings.from_env().port == 25


def test_a_subject_spanning_lines_is_queued_as_one_line(session) -> None:
    from db.notify import queue

    subject = "What we changed:\r\nBcc: x@evil.example"
    row = queue(session, "reply", key="r1", to="pat@example.net", subject=subject,
                reply_text="Fixed.\nThanks.", link="http://x.test/changes")  # fmt: skip
    direct = enqueue(session, kind="t", dedupe_key="d1", to_addr="a@co.test",
                     subject="a\u2028b\n\tc", text="x")  # fmt: skip
    assert row.subject == "What we changed: Bcc: x@evil.example"
    assert "<title>What we changed: Bcc: x@evil.example</title>" in row.body_html
    assert "Fixed.\nThanks." in row.body_text  # the body keeps its lines
    assert direct.subject == "a b c"


@pytest.mark.parametrize(
    "to", ["a@co.test\r\nBcc: eve@evil.example", "a@co.test, eve@evil.example", "a@co.test\n", ""]
)
def test_enqueue_refuses_anything_but_one_recipient_address(session, to) -> None:
    with pytest.raises(InvalidInput, match="not one e-mail address"):
        enqueue(session, kind="t", dedupe_key="k", to_addr=to, subject="s", text="x")
    assert session.exec(select(Outbox)).all() == []
