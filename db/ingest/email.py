"""Email: one message (`.eml`, a maildir file) or an mbox file, read with the modern stdlib API.

`parse_email` turns the bytes of one message into a Record: headers decoded (RFC 2047 and any
charset, `db.ingest.headers`; the subject and the sender's name flattened to one line, as an
encoded word can hide a line break), the text body (HTML-only mail converted to plain text; mail
forwarded as an attachment appended to it, see `db.ingest.mimeparts`), attachments by name and
size only, thread links from `In-Reply-To`/`References`, and the noise headers the feed weighs.
Any declared charset is tried, then UTF-8, then Windows-1252, so odd charsets never crash an
import (the fallback is noted in `headers["decode_note"]`). A message without a parseable Date
(RFC 5322, or ISO 8601 as some tools write it) is dated by its mbox From_ line, else by its
newest Received header; with none of these it is rejected ("no valid Date header"). mbox files
are streamed message by message (see `db.ingest.mbox`), so memory stays flat however large.
"""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from db.headertext import one_line
from db.ingest.headers import (
    POLICY,
    decoded,
    delivered,
    from_line_date,
    header_date,
    header_text,
    message_ids,
    raw_headers,
    recipients,
    sender_of,
)
from db.ingest.mimeparts import content, raw_text
from db.ingest.records import (
    BadField,
    ContactInfo,
    Record,
    Rejected,
    clean,
    content_hash,
    ident,
    message_row,
)

_PARSER = BytesParser(policy=POLICY)
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
NOISE = {
    "auto-submitted": "auto_submitted",
    "list-unsubscribe": "list_unsubscribe",
    "list-id": "list_id",
    "precedence": "precedence",
    "x-auto-response-suppress": "x_auto_response_suppress",
    "x-autoreply": "x_autoreply",
    "x-autorespond": "x_autorespond",
}


def parse_email(data: bytes, *, locator: str, from_line: bytes | None = None):
    """Return a Record for the message in `data` (dated by its mbox From_ line if need be)."""
    try:
        return _parse(data, locator, from_line)
    except BadField as e:
        return Rejected(locator, str(e), data)
    except Exception as e:  # the stdlib parser has corner cases that raise on hostile input
        return Rejected(locator, f"cannot parse email: {type(e).__name__}: {e}"[:300], data)


def _parse(data: bytes, locator: str, from_line: bytes | None) -> Record:
    if not _HEADER_LINE.match(data.lstrip(b"\r\n")[:1000]):
        raise BadField("not an email message (no header lines found)")
    msg: EmailMessage = _PARSER.parsebytes(data)
    raw = raw_headers(msg)
    received = (
        header_date(raw.get("date"))
        or (from_line_date(from_line) if from_line else None)
        or delivered(msg)
    )
    if received is None:
        raise BadField("no valid Date header")
    name, sender = sender_of(raw.get("from"))
    references = message_ids(raw.get("references"))
    in_reply_to = next(iter(message_ids(raw.get("in-reply-to"))), None)
    subject = clean(one_line(decoded(raw.get("subject"))), 1000) or None
    body, attachments, payloads, note = content(msg)
    headers = _noise(msg, raw)
    if name:
        headers["display_name"] = name
    if note:
        headers["decode_note"] = note
    msgid = next(iter(message_ids(raw.get("message-id"))), None) or ident(
        (raw.get("message-id") or "").strip("<> \t")
    )
    external_id = msgid or content_hash(sender, received.isoformat(), subject, body)
    row = message_row(
        channel="email",
        external_id=external_id,
        received_at=received,
        body=body,
        raw=raw_text(data, payloads),
        sender=sender,
        recipients=recipients(raw),
        subject=subject,
        in_reply_to=in_reply_to,
        references=references,
        thread_key=references[0] if references else (in_reply_to or external_id),
        headers=headers,
        attachments=attachments,
    )
    contact = ContactInfo(email=sender, display_name=name) if sender else None
    return Record(row, locator, contact)


def _noise(msg: EmailMessage, raw: dict[str, str]) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    for name, key in NOISE.items():
        if name in raw:
            headers[key] = clean(header_text(raw[name]).strip(), 500)
    if msg.get_content_type() == "multipart/report":
        headers["content_type"] = "multipart/report"
    if "return-path" in raw and raw["return-path"].strip() in ("", "<>"):
        headers["return_path_empty"] = True
    return headers
