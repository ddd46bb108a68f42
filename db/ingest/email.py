"""Email: one message (`.eml`, a maildir file) or an mbox file, read with the modern stdlib API.

`parse_email` turns the bytes of one message into a Record: RFC 2047 headers decoded, the text
body (HTML-only mail converted to plain text; mail forwarded as an attachment appended to it,
see `db.ingest.mimeparts`), attachments by name and size only, thread links from
`In-Reply-To`/`References`, and the noise headers the feed weighs. Any declared charset is
tried, then UTF-8, then Windows-1252, so odd charsets never crash an import (the fallback is
noted in `headers["decode_note"]`). A message without a parseable Date (RFC 5322, or ISO 8601
as some tools write it) is dated by its mbox From_ line, else by its newest Received header;
with none of these it is rejected ("no valid Date header"). mbox files are streamed
message by message (see `db.ingest.mbox`), so memory stays flat however large the file.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from functools import lru_cache
from typing import Any

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


class _CachedRegistry(HeaderRegistry):
    """The stdlib header registry, remembering parsed values (MIME headers repeat a lot)."""

    def __init__(self) -> None:
        super().__init__()
        self._parse = lru_cache(maxsize=4096)(super().__call__)

    def __call__(self, name: str, value: str) -> Any:
        return self._parse(name, value)


_POLICY = policy.default.clone(header_factory=_CachedRegistry())
_PARSER = BytesParser(policy=_POLICY)
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_MSGID = re.compile(r"<([^<>\s]+)>")
_SIMPLE_ADDR = re.compile(
    r"^\s*(?:([\w .'-]*?)\s*<([\w.+'-]+@[\w.-]+)>|([\w.+'-]+@[\w.-]+))\s*$", re.ASCII
)
_FOLD = re.compile(r"\r?\n(?=[ \t])")
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
    raw = _raw_headers(msg)
    received = (
        _date(raw.get("date"))
        or (from_line_date(from_line) if from_line else None)
        or _delivered(msg)
    )
    if received is None:
        raise BadField("no valid Date header")
    name, sender = _sender(raw.get("from"))
    references = _ids(raw.get("references"))
    in_reply_to = next(iter(_ids(raw.get("in-reply-to"))), None)
    subject = clean(_decoded(raw.get("subject")).strip(), 1000) or None
    body, attachments, payloads, note = content(msg)
    headers = _noise(msg, raw)
    if name:
        headers["display_name"] = name
    if note:
        headers["decode_note"] = note
    msgid = next(iter(_ids(raw.get("message-id"))), None) or ident(
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
        recipients=_recipients(raw),
        subject=subject,
        in_reply_to=in_reply_to,
        references=references,
        thread_key=references[0] if references else (in_reply_to or external_id),
        headers=headers,
        attachments=attachments,
    )
    contact = ContactInfo(email=sender, display_name=name) if sender else None
    return Record(row, locator, contact)


def _raw_headers(msg: EmailMessage) -> dict[str, str]:
    """Map lowercase header names to their unfolded raw values (To and Cc joined)."""
    found: dict[str, str] = {}
    for name, value in msg.raw_items():
        key = name.lower()
        value = _FOLD.sub("", str(value))
        if key in found:
            if key in ("to", "cc"):
                found[key] += ", " + value
            continue
        found[key] = value
    return found


def _decoded(value: str | None) -> str:
    """Return a header's text, decoding RFC 2047 words with the modern parser when present."""
    if not value:
        return ""
    if "=?" in value:
        decoded = str(_POLICY.header_factory("subject", value))
        value = decoded if "\ufffd" not in decoded else _decode_words(value)
    return _header_text(value)


def _decode_words(value: str) -> str:
    """Decode encoded words of an unknown charset: try it, then UTF-8, then Windows-1252."""
    parts = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, str):
            parts.append(chunk)
            continue
        for codec in (charset or "ascii", "utf-8"):
            try:
                parts.append(chunk.decode(codec))
                break
            except (LookupError, UnicodeDecodeError):
                continue
        else:
            parts.append(chunk.decode("cp1252", "replace"))
    return "".join(parts)


def _date(value: str | None) -> datetime | None:
    """Return an RFC 5322 date (or, as some tools write, ISO 8601) as aware UTC, or None."""
    if not value:
        return None
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            dt = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _delivered(msg: EmailMessage) -> datetime | None:
    """Return when the last server received the message (the top Received header's date)."""
    hops = msg.get_all("received") or []
    return _date(str(hops[0]).rpartition(";")[2]) if hops else None


def _address(value: str) -> tuple[str, str]:
    """Split 'Name <addr>' or 'addr'; a regex for the plain cases, the stdlib for the rest."""
    match = _SIMPLE_ADDR.match(value)
    return (match[1] or "", match[2] or match[3]) if match else parseaddr(value)


def _sender(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    name, addr = _address(value)
    addr = clean(addr.strip().lower(), 320) if addr and "@" in addr else None
    return clean(_decoded(name).strip(), 200) or None, addr


def _header_text(text: str) -> str:
    """Return header text; bytes of an unknown charset are read as UTF-8, else Windows-1252."""
    if text.isascii():
        return text
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _ids(value: str | None) -> list[str]:
    if not value:
        return []
    return [i for i in (ident(m) for m in _MSGID.findall(value)) if i]


def _recipients(raw: dict[str, str]) -> list[str]:
    value = ", ".join(raw[key] for key in ("to", "cc") if key in raw)
    if '"' in value or "(" in value:
        pairs = getaddresses([value])
    else:
        pairs = [_address(part) for part in value.split(",") if part.strip()]
    found = [clean(addr.strip().lower(), 320) for _, addr in pairs if "@" in addr]
    return list(dict.fromkeys(found))


def _noise(msg: EmailMessage, raw: dict[str, str]) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    for name, key in NOISE.items():
        if name in raw:
            headers[key] = clean(_header_text(raw[name]).strip(), 500)
    if msg.get_content_type() == "multipart/report":
        headers["content_type"] = "multipart/report"
    if "return-path" in raw and raw["return-path"].strip() in ("", "<>"):
        headers["return_path_empty"] = True
    return headers


def from_line_date(line: bytes) -> datetime | None:
    """Return the date of an mbox From_ line ('From a@b Thu Nov 19 10:00:00 2026')."""
    parts = line.decode("ascii", "replace").split()
    try:
        dt = parsedate_to_datetime(" ".join(parts[2:]))
    except (TypeError, ValueError, IndexError):
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
