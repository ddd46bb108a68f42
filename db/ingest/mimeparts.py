"""The parts of an email message: its text body, its attachments, and its raw text for audit.

The body is the preferred text part (plain over HTML; HTML converted to clean text). Text is
decoded with its declared charset, then UTF-8, then Windows-1252, so no charset crashes an
import; the fallback is returned as a note. Attachments are described by name, size and type;
their content is cut out of the raw text kept for audit.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from db.ingest.htmltext import html_to_text
from db.ingest.records import RAW_CAP, clean


def raw_text(data: bytes, payloads: list[str]) -> str:
    """Return the message as text for audit, attachment contents cut out, capped."""
    text = data[: RAW_CAP * 4 + sum(map(len, payloads))].decode("utf-8", "replace")
    for payload in payloads:
        text = text.replace(payload.strip(), "[attachment content not stored]")
    return clean(text, RAW_CAP)


def content(msg: EmailMessage) -> tuple[str, list[dict[str, Any]], list[str], str | None]:
    body_part = msg.get_body(preferencelist=("plain", "html"))
    body, note = ("", None) if body_part is None else _text(body_part)
    if body_part is not None and body_part.get_content_subtype() == "html":
        body = html_to_text(body)
    attachments: list[dict[str, Any]] = []
    payloads: list[str] = []
    for part in msg.walk():
        if part is body_part or part.is_multipart():
            continue
        filename = part.get_filename()
        if (
            part.get_content_disposition() == "attachment"
            or filename
            or (part.get_content_maintype() not in ("text", "message"))
        ):
            size = len(part.get_payload(decode=True) or b"")
            name = clean(filename, 300) if filename else None
            attachments.append({"name": name, "size": size, "type": part.get_content_type()})
            encoded = part.get_payload()
            if isinstance(encoded, str) and len(encoded.strip()) > 16:
                payloads.append(encoded)
    return clean(body.strip()), attachments, payloads, note


def _text(part: EmailMessage) -> tuple[str, str | None]:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        return payload.decode(charset), None
    except LookupError:
        note = f"unknown charset {charset[:40]!r}"
    except UnicodeDecodeError:
        note = f"text is not valid {charset[:40]}"
    try:
        return payload.decode("utf-8"), note + "; read as UTF-8"
    except UnicodeDecodeError:
        return payload.decode("cp1252", "replace"), note + "; read as Windows-1252"
