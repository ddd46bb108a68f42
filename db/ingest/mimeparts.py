"""The parts of an email message: its text body, its attachments, and its raw text for audit.

The body is the preferred text part (plain over HTML, HTML converted to clean text; a blank
plain part gives way to the HTML one). Mail forwarded as an attachment (message/rfc822) is read
the same way, recursively, and its text is appended to the body under a "Forwarded message"
header block, so a customer's words forwarded by a colleague are scored like any other; the
forwarded mail is also listed as an attachment (the mail a bounce returns is listed, not read).
Text is decoded with its declared charset, then UTF-8, then Windows-1252, so no charset crashes
an import; the fallback is returned as a note. Attachments are described by name, size and
type; their content is cut out of the raw text kept for audit.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from db.ingest.htmltext import html_to_text
from db.ingest.records import RAW_CAP, clean

SEPARATOR = "---------- Forwarded message ----------"
_FORWARDS = ("message/rfc822", "message/global")
_FORWARD_HEADERS = ("From", "Date", "Subject")
# hostile mail can nest forwards deeply; forwards deeper than this are listed, not read
_MAX_DEPTH = 8
# writes a message out as it was read (no refolding), to measure it
_SIZE_POLICY = policy.default.clone(refold_source="none")

Content = tuple[str, list[dict[str, Any]], list[str], str | None]


def raw_text(data: bytes, payloads: list[str]) -> str:
    """Return the message as text for audit, attachment contents cut out, capped."""
    text = data[: RAW_CAP * 4 + sum(map(len, payloads))].decode("utf-8", "replace")
    for payload in payloads:
        text = text.replace(payload.strip(), "[attachment content not stored]")
    return clean(text, RAW_CAP)


def content(msg: EmailMessage, depth: int = 0) -> Content:
    """Return a message's body text, attachments, payloads to cut from the raw text, and note."""
    body_part, body, note = _body(msg)
    if msg.get_content_type() == "multipart/report":
        depth = _MAX_DEPTH  # a bounce returns our own mail: list it, never read it as theirs
    texts = [body.strip()]
    attachments: list[dict[str, Any]] = []
    payloads: list[str] = []
    for part in _parts(msg):
        if _is_forward(part):
            text, found, cut, inner_note = _forwarded(part, depth)
            texts.append(text)
            attachments += found
            payloads += cut
            note = note or inner_note
        elif part is not body_part and not part.is_multipart() and _is_attachment(part):
            attachments.append(_described(part))
            encoded = part.get_payload()
            if isinstance(encoded, str) and len(encoded.strip()) > 16:
                payloads.append(encoded)
    return clean("\n\n".join(t for t in texts if t)), attachments, payloads, note


def _body(msg: EmailMessage) -> tuple[EmailMessage | None, str, str | None]:
    """Return the body part, its text and decode note: plain, or HTML if plain is blank."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return None, "", None
    text, note = _readable(part)
    if text.strip() or part.get_content_subtype() == "html":
        return part, text, note
    html = msg.get_body(preferencelist=("html",))
    if html is None:
        return part, text, note
    html_text, html_note = _readable(html)
    return (html, html_text, html_note) if html_text.strip() else (part, text, note)


def _readable(part: EmailMessage) -> tuple[str, str | None]:
    """Return a text part's text (HTML converted to plain text) and its decode note."""
    text, note = _text(part)
    return (html_to_text(text) if part.get_content_subtype() == "html" else text), note


def _parts(part: EmailMessage) -> Iterator[EmailMessage]:
    """Yield a message's parts as `walk` does, without going inside forwarded mail."""
    yield part
    if part.is_multipart() and not _is_forward(part):
        for sub in part.get_payload():
            yield from _parts(sub)


def _is_forward(part: EmailMessage) -> bool:
    return part.is_multipart() and part.get_content_type() in _FORWARDS


def _is_attachment(part: EmailMessage) -> bool:
    return (
        part.get_content_disposition() == "attachment"
        or bool(part.get_filename())
        or part.get_content_maintype() not in ("text", "message")
    )


def _described(part: EmailMessage) -> dict[str, Any]:
    filename = part.get_filename()
    size = len(part.get_payload(decode=True) or b"")
    name = clean(filename, 300) if filename else None
    return {"name": name, "size": size, "type": part.get_content_type()}


def _forwarded(part: EmailMessage, depth: int) -> Content:
    """Return a forwarded mail's text under its header block, and its attachments (itself first)."""
    inner = _inner(part)
    name = part.get_filename() or _header(inner, "Subject") or "forwarded message.eml"
    entry = {"name": clean(name, 300), "size": _size(inner), "type": part.get_content_type()}
    if depth >= _MAX_DEPTH:
        return "", [entry], [], None
    text, attachments, payloads, note = content(inner, depth + 1)
    lines = [SEPARATOR]
    lines += [f"{key}: {value}" for key in _FORWARD_HEADERS if (value := _header(inner, key))]
    block = "\n".join(lines) + ("\n\n" + text if text else "")
    return block, [entry, *attachments], payloads, note


def _inner(part: EmailMessage) -> EmailMessage:
    """Return the mail inside a message/rfc822 part, read again if it was (wrongly) base64."""
    inner = part.get_payload(0)
    encoded = inner.get_payload()
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte != "base64" or len(inner) or not isinstance(encoded, str):
        return inner
    try:
        data = base64.b64decode(encoded)
    except (binascii.Error, ValueError):
        return inner
    return BytesParser(policy=part.policy).parsebytes(data)


def _header(msg: EmailMessage, name: str) -> str:
    """Return a header's decoded text on one line, or '' if it is missing or unreadable."""
    try:
        value = str(msg.get(name) or "")
    except Exception:  # the stdlib's structured header parsers have hostile-input corners
        return ""
    return clean(" ".join(value.split()), 300)


def _size(msg: EmailMessage) -> int:
    """Return a message's size in bytes as written out again (0 if it cannot be)."""
    try:
        return len(msg.as_bytes(policy=_SIZE_POLICY))
    except Exception:  # the size is only a hint; never reject a mail over it
        return 0


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
