"""Email ingestion of forwarded mail and blank plain-text parts: the customer's words are kept."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
import sqlalchemy as sa

from db.ingest.email import parse_email
from db.ingest.pipeline import ingest_paths
from db.ingest.records import BODY_CAP
from db.models import Message
from tests.factories import NOW

SEPARATOR = "---------- Forwarded message ----------"
COMPLAINT = "My charger caught fire last night. I'm going to a lawyer."
PDF = b"%PDF-1.4 receipt for charger order 4471 " * 4


def make_customer_mail(*, html: bool = False, subject: str | None = "broken charger"):
    """Return the customer's original mail (plain, or HTML-only with a receipt attached)."""
    inner = EmailMessage()
    inner["From"] = "Mia Härt <mia.hart@example.com>"
    inner["To"] = "ceo@yourco.example"
    if subject:
        inner["Subject"] = subject
    inner["Date"] = "Wed, 18 Nov 2026 06:45:00 +0000"
    inner["Message-ID"] = "<c1@example.com>"
    if html:
        inner.set_content(f"<html><body><p>{COMPLAINT}</p><script>x()</script></body></html>",
                          subtype="html")  # fmt: skip
        inner.add_attachment(PDF, maintype="application", subtype="pdf", filename="receipt.pdf")
    else:
        inner.set_content(COMPLAINT)
    return inner


def make_forward(inner, *, text: str = "FYI") -> EmailMessage:
    """Return the CEO's mail forwarding `inner` as an attachment."""
    outer = EmailMessage()
    outer["From"] = "ceo@yourco.example"
    outer["To"] = "care@yourco.example"
    outer["Subject"] = "Fwd: broken charger"
    outer["Message-ID"] = "<f1@x>"
    outer["Date"] = "Thu, 19 Nov 2026 08:00:00 +0000"
    outer.set_content(text)
    outer.add_attachment(inner)
    return outer


def ingest(engine, tmp_path, msg) -> dict:
    """Import `msg` as an .eml file and return its stored row."""
    path = tmp_path / "mail.eml"
    path.write_bytes(msg.as_bytes())
    assert ingest_paths(engine, [path], now=NOW).imported == 1
    with engine.connect() as conn:
        [row] = conn.execute(sa.select(Message.__table__)).mappings()
    return dict(row)


def row_of(msg) -> dict:
    return parse_email(msg.as_bytes(), locator="file").row


def test_forwarded_attachment_keeps_the_customers_text_after_the_note(engine, session, tmp_path):
    inner = make_customer_mail()
    row = ingest(engine, tmp_path, make_forward(inner))
    assert row["body"] == (
        f"FYI\n\n{SEPARATOR}\nFrom: Mia Härt <mia.hart@example.com>\n"
        f"Date: Wed, 18 Nov 2026 06:45:00 +0000\nSubject: broken charger\n\n{COMPLAINT}"
    )
    [forwarded] = row["attachments"]
    assert forwarded["name"] == "broken charger"
    assert forwarded["type"] == "message/rfc822"
    assert forwarded["size"] == len(inner.as_bytes())
    assert "legal or regulator threat: lawyer" in row["reasons"]


def test_mime_message_alone_in_mixed_becomes_the_body():
    outer = MIMEMultipart("mixed")
    outer["From"] = "ceo@yourco.example"
    outer["Date"] = "Thu, 19 Nov 2026 08:00:00 +0000"
    outer.attach(MIMEMessage(make_customer_mail()))
    row = row_of(outer)
    assert row["body"].startswith(SEPARATOR + "\nFrom: ")
    assert "mia.hart@example.com" in row["body"].splitlines()[1]
    assert row["body"].endswith("Subject: broken charger\n\n" + COMPLAINT)
    assert [a["name"] for a in row["attachments"]] == ["broken charger"]


def test_html_only_forwarded_mail_is_text_and_its_attachments_are_listed():
    row = row_of(make_forward(make_customer_mail(html=True)))
    assert row["body"].endswith("Subject: broken charger\n\n" + COMPLAINT)
    assert "<p>" not in row["body"] and "x()" not in row["body"]
    names = [(a["name"], a["type"]) for a in row["attachments"]]
    assert names == [("broken charger", "message/rfc822"), ("receipt.pdf", "application/pdf")]
    assert row["attachments"][1]["size"] == len(PDF)
    assert "JVBERi0xLjQg" not in row["raw"] and COMPLAINT in row["raw"]


def test_forwarded_mail_without_subject_is_named_as_an_eml_file():
    row = row_of(make_forward(make_customer_mail(subject=None)))
    assert [a["name"] for a in row["attachments"]] == ["forwarded message.eml"]
    assert "\nFrom: Mia Härt <mia.hart@example.com>\nDate: " in row["body"]
    assert "Subject:" not in row["body"] and row["body"].endswith(COMPLAINT)


def test_forwarded_mail_attached_under_a_file_name_keeps_that_name():
    msg = make_forward(make_customer_mail())
    [part] = msg.iter_attachments()
    part.set_param("filename", "charger.eml", header="Content-Disposition")
    assert [a["name"] for a in row_of(msg)["attachments"]] == ["charger.eml"]


def test_forward_of_a_forward_renders_both_levels():
    middle = make_forward(make_customer_mail(), text="Care team: please look at this.")
    row = row_of(make_forward(middle, text="FYI"))
    assert row["body"].startswith(f"FYI\n\n{SEPARATOR}\nFrom: ceo@yourco.example")
    assert row["body"].count(SEPARATOR) == 2
    assert row["body"].index("please look") < row["body"].index(COMPLAINT)
    assert [a["name"] for a in row["attachments"]] == ["Fwd: broken charger", "broken charger"]


def test_base64_encoded_forward_is_decoded_and_read():
    data = make_forward(make_customer_mail()).as_bytes()
    head, _, inner = data.partition(b"Content-Disposition: attachment\n\n")
    inner, _, tail = inner.partition(b"\n--=")
    encoded = base64.encodebytes(inner)
    data = head.replace(b"8bit", b"base64") + b"Content-Disposition: attachment\n\n"
    row = parse_email(data + encoded + b"\n--=" + tail, locator="file").row
    assert row["body"].endswith("Subject: broken charger\n\n" + COMPLAINT)
    assert [a["name"] for a in row["attachments"]] == ["broken charger"]


def test_deeply_nested_forwards_are_read_only_to_a_depth():
    msg = make_customer_mail()
    for _ in range(12):
        msg = make_forward(msg)
    row = row_of(msg)
    assert len(row["attachments"]) == 9  # eight forwards read, the ninth listed unread
    assert row["body"].count(SEPARATOR) == 8 and COMPLAINT not in row["body"]


def test_mail_returned_by_a_bounce_is_listed_but_not_read_as_the_body():
    report = MIMEMultipart("report", report_type="delivery-status")
    report["From"] = "mailer-daemon@mx.example.net"
    report["Date"] = "Thu, 19 Nov 2026 08:00:00 +0000"
    report.attach(MIMEText("Delivery failed."))
    report.attach(MIMEMessage(make_customer_mail()))
    row = row_of(report)
    assert row["body"] == "Delivery failed."
    assert [a["name"] for a in row["attachments"]] == ["broken charger"]


def test_huge_forwarded_mail_is_capped_like_any_body():
    inner = make_customer_mail()
    inner.set_content("word " * (BODY_CAP // 4))
    row = row_of(make_forward(inner))
    assert len(row["body"]) == BODY_CAP
    assert row["headers"]["body_truncated_from"] > BODY_CAP


@pytest.mark.parametrize("plain", ["", "  \n\n \t\n"])
def test_blank_plain_alternative_falls_back_to_the_html_part(plain):
    msg = MIMEMultipart("alternative")
    msg["From"] = "mia.hart@example.com"
    msg["Date"] = "Thu, 19 Nov 2026 08:00:00 +0000"
    msg.attach(MIMEText(plain, "plain"))
    msg.attach(MIMEText("<p>My charger caught <b>fire</b>&hellip;</p><p>Help</p>", "html"))
    row = row_of(msg)
    assert row["body"] == "My charger caught fire…\nHelp"
    assert row["attachments"] == []
