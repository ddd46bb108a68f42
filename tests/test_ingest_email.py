"""Email ingestion: single .eml, mbox, maildir, folders; headers, charsets, HTML, attachments."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from db.ingest.email import parse_email
from db.ingest.mbox import read_eml
from db.ingest.pipeline import ingest_paths
from db.ingest.records import BODY_CAP, RAW_CAP, Record, Rejected
from db.models import Contact, Message, Quarantine
from tests.factories import NOW

DATA = Path(__file__).parent / "data" / "ingest"


@pytest.fixture
def eng(engine, session):
    """The test database, emptied after the test (by the session fixture)."""
    return engine


def parse(name: str) -> Record | Rejected:
    with (DATA / name).open("rb") as fh:
        return next(read_eml(fh))


def rows(engine, table=Message.__table__, **where) -> list[dict]:
    with engine.connect() as conn:
        query = sa.select(table).filter_by(**where).order_by(table.c.id)
        return [dict(r) for r in conn.execute(query).mappings()]


def test_plain_email_decodes_rfc2047_headers_and_quoted_printable_body():
    row = parse("email_plain.eml").row
    assert row["external_id"] == "charging-1@mail.example.com"
    assert row["sender"] == "mia.hart@example.com"
    assert row["headers"]["display_name"] == "Mia Härt"
    assert row["subject"] == "Charging stalls are used as parking ⚡"
    assert row["received_at"] == datetime(2026, 11, 18, 6, 45, tzinfo=UTC)
    assert "not charging. I waited 40 minutes" in row["body"]
    assert "something – this is the third time." in row["body"]
    assert row["recipients"] == ["ceo@acme.example", "support@acme.example", "jane.doe@example.org"]
    assert row["thread_key"] == "charging-1@mail.example.com"


def test_html_only_email_becomes_clean_text_without_markup_or_scripts():
    body = parse("email_html_only.eml").row["body"]
    assert body.startswith("Help! My screen went black on the motorway & I want my money back.")
    assert "Café owner, 5 years a customer." in body
    assert "- First" in body and "- Second" in body
    for markup in ("<", ">", "alert", "Mail title", "color: red", "evil.example", "&amp;"):
        assert markup not in body


def test_attachments_are_recorded_by_name_and_size_but_not_stored():
    row = parse("email_attachment.eml").row
    assert row["body"] == "I was charged twice for order 4471. Receipt attached."
    assert [(a["name"], a["size"]) for a in row["attachments"]] == [
        ("receipt.pdf", 48),
        ("schäden.png", 8),
    ]
    assert "JVBERi0xLjQK" not in row["raw"]
    assert "[attachment content not stored]" in row["raw"]


def test_replies_carry_thread_links_to_the_root_message():
    row = parse("email_reply.eml").row
    assert row["in_reply_to"] == "charging-2@acme.example"
    assert row["references"] == ["charging-1@mail.example.com", "charging-2@acme.example"]
    assert row["thread_key"] == "charging-1@mail.example.com"


def test_noise_headers_are_kept_for_the_feed():
    auto = parse("email_autoreply.eml").row["headers"]
    assert auto["auto_submitted"] == "auto-replied"
    assert auto["x_auto_response_suppress"] == "All"
    assert auto["precedence"] == "auto_reply"
    news = parse("email_newsletter.eml").row["headers"]
    assert news["list_unsubscribe"].startswith("<https://deals.example/u?id=1>")
    assert news["list_id"] == "Deals <deals.example>" and news["precedence"] == "bulk"
    bounce = parse("email_bounce.eml").row
    assert bounce["headers"]["content_type"] == "multipart/report"
    assert bounce["headers"]["return_path_empty"] is True
    assert bounce["body"] == "This is the mail system. Delivery failed."
    assert "return_path_empty" not in parse("email_plain.eml").row["headers"]


def test_unknown_charset_falls_back_without_crashing_and_notes_it():
    row = parse("email_unknown_charset.eml").row
    assert row["body"] == "The café was closed and nobody answered."
    assert row["subject"] == "café complaint"
    assert "x-unknown-9" in row["headers"]["decode_note"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ("Date: 2026-11-20T09:00:00Z\n", datetime(2026, 11, 20, 9, 0, tzinfo=UTC)),
        (
            "Received: from mx.acme.example by in.acme.example; Fri, 20 Nov 2026 10:15:00 +0100\n"
            "Received: from client by mx.acme.example; Fri, 20 Nov 2026 10:14:00 +0100\n",
            datetime(2026, 11, 20, 9, 15, tzinfo=UTC),  # the newest hop: the top one
        ),
    ],
)
def test_a_date_in_iso_form_or_only_on_the_received_line_dates_the_mail(headers, expected):
    data = f"{headers}From: a@b.example\nSubject: x\nMessage-ID: <d@b>\n\nHello?\n".encode()
    item = parse_email(data, locator="1.eml")
    assert isinstance(item, Record), item
    assert item.row["received_at"] == expected


def test_missing_date_is_rejected_with_a_reason_and_the_raw_bytes():
    item = parse("email_no_date.eml")
    assert isinstance(item, Rejected)
    assert item.reason == "no valid Date header"
    assert item.raw == (DATA / "email_no_date.eml").read_bytes()


def test_missing_message_id_gets_a_stable_content_hash():
    first = parse("email_no_message_id.eml").row["external_id"]
    data = (DATA / "email_no_message_id.eml").read_bytes().replace(b"\n", b"\r\n")
    again = parse_email(data, locator="file").row["external_id"]
    assert first.startswith("sha256:") and first == again


def test_binary_garbage_is_rejected_not_crashed():
    item = parse_email(bytes(range(256)) * 40, locator="file")
    assert isinstance(item, Rejected)
    assert item.reason.startswith("not an email message")


def test_mbox_imports_good_messages_and_quarantines_the_broken_one(eng):
    result = ingest_paths(eng, [DATA / "mixed.mbox"], now=NOW)
    assert (result.imported, result.duplicates, result.rejected) == (3, 0, 1)
    stored = {r["external_id"]: r for r in rows(eng)}
    assert set(stored) == {"mbox-1@example.com", "mbox-3@example.com", "mbox-4@example.com"}
    assert "From now on I will park elsewhere." in stored["mbox-1@example.com"]["body"]
    assert stored["mbox-3@example.com"]["received_at"] == datetime(2026, 11, 19, 9, 15, tzinfo=UTC)
    [bad] = rows(eng, Quarantine.__table__)
    assert bad["locator"] == "message 2 (line 11)" and bad["fmt"] == "mbox"
    assert bad["raw"].startswith(b"\x89PNG\x00\x01\x02")
    assert bad["source"] == str(DATA / "mixed.mbox")


def test_maildir_and_folder_of_eml_files_are_imported(eng, tmp_path):
    for name in ("email_plain.eml", "email_reply.eml", "email_no_date.eml"):
        shutil.copy(DATA / name, tmp_path / name)
    result = ingest_paths(eng, [DATA / "maildir", tmp_path], now=NOW)
    assert (result.imported, result.rejected) == (4, 1)
    ids = {r["external_id"] for r in rows(eng)}
    assert {"cinema-1@example.com", "shirt-1@example.com", "charging-3@mail.example.com"} <= ids


def test_repeat_emails_share_one_contact_with_the_newest_name(eng, tmp_path):
    ingest_paths(eng, [DATA / "email_plain.eml", DATA / "email_reply.eml"], now=NOW)
    [contact] = rows(eng, Contact.__table__)
    assert contact["email"] == "mia.hart@example.com"
    assert contact["display_name"] == "Mia Hart"  # the reply is newer than the first mail
    assert {r["contact_id"] for r in rows(eng)} == {contact["id"]}


def test_huge_single_line_body_is_imported_and_capped(eng, tmp_path):
    big = tmp_path / "big.eml"
    head = b"From: a@example.com\nDate: Thu, 19 Nov 2026 08:00:00 +0000\nMessage-ID: <big@x>\n\n"
    big.write_bytes(head + b"word " * 1_000_000)
    assert ingest_paths(eng, [big], now=NOW).imported == 1
    [row] = rows(eng)
    assert len(row["body"]) == BODY_CAP and row["headers"]["body_truncated_from"] > BODY_CAP
    assert len(row["raw"]) == RAW_CAP


def test_subject_and_name_hiding_a_line_break_are_imported_as_one_line():
    data = (
        b"From: =?utf-8?q?Pat=0D=0ABcc=3A_x=40evil=2Eexample?= <pat@example.net>\r\n"
        b"Subject: =?utf-8?q?My_charger_is_broken=0ABcc=3A_attacker=40evil=2Eexample?=\r\n"
        b" =?utf-8?q?=E2=80=A8and_more?=\r\n"
        b"Date: Fri, 20 Nov 2026 07:00:00 +0000\r\n"
        b"Message-ID: <crlf-1@example.net>\r\n\r\n"
        b"First line.\r\nSecond line.\r\n"
    )
    record = parse_email(data, locator="crlf.eml")
    assert record.row["subject"] == "My charger is broken Bcc: attacker@evil.example and more"
    assert record.row["headers"]["display_name"] == "Pat Bcc: x@evil.example"
    assert record.contact.display_name == "Pat Bcc: x@evil.example"
    assert record.row["body"].splitlines() == ["First line.", "Second line."]
