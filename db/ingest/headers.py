"""Email headers: decoded text of any charset, addresses, message ids and dates.

Shared by `db.ingest.email`, which turns a parsed message into a Record. RFC 2047 encoded
words go through the stdlib's modern header registry (its parsed values cached: MIME headers
repeat a lot); words or raw bytes of an unknown charset are read as UTF-8, else Windows-1252,
so an odd header never fails an import. Dates are RFC 5322, or ISO 8601 as some tools write.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from functools import lru_cache
from typing import Any

from db.headertext import one_line
from db.ingest.records import clean, ident


class _CachedRegistry(HeaderRegistry):
    """The stdlib header registry, remembering parsed values (MIME headers repeat a lot)."""

    def __init__(self) -> None:
        super().__init__()
        self._parse = lru_cache(maxsize=4096)(super().__call__)

    def __call__(self, name: str, value: str) -> Any:
        return self._parse(name, value)


POLICY = policy.default.clone(header_factory=_CachedRegistry())
_MSGID = re.compile(r"<([^<>\s]+)>")
_SIMPLE_ADDR = re.compile(
    r"^\s*(?:([\w .'-]*?)\s*<([\w.+'-]+@[\w.-]+)>|([\w.+'-]+@[\w.-]+))\s*$", re.ASCII
)
_FOLD = re.compile(r"\r?\n(?=[ \t])")


def raw_headers(msg: EmailMessage) -> dict[str, str]:
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


def decoded(value: str | None) -> str:
    """Return a header's text, decoding RFC 2047 words with the modern parser when present."""
    if not value:
        return ""
    if "=?" in value:
        decoded = str(POLICY.header_factory("subject", value))
        value = decoded if "\ufffd" not in decoded else _decode_words(value)
    return header_text(value)


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


def header_date(value: str | None) -> datetime | None:
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


def delivered(msg: EmailMessage) -> datetime | None:
    """Return when the last server received the message (the top Received header's date)."""
    hops = msg.get_all("received") or []
    return header_date(str(hops[0]).rpartition(";")[2]) if hops else None


def _address(value: str) -> tuple[str, str]:
    """Split 'Name <addr>' or 'addr'; a regex for the plain cases, the stdlib for the rest."""
    match = _SIMPLE_ADDR.match(value)
    return (match[1] or "", match[2] or match[3]) if match else parseaddr(value)


def sender_of(value: str | None) -> tuple[str | None, str | None]:
    """Return (display name, lowercase address) of a From header; None for what is missing."""
    if not value:
        return None, None
    name, addr = _address(value)
    addr = clean(addr.strip().lower(), 320) if addr and "@" in addr else None
    return clean(one_line(decoded(name)), 200) or None, addr


def header_text(text: str) -> str:
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


def message_ids(value: str | None) -> list[str]:
    """Return the Message-IDs in a header (angle brackets off), in order."""
    if not value:
        return []
    return [i for i in (ident(m) for m in _MSGID.findall(value)) if i]


def recipients(raw: dict[str, str]) -> list[str]:
    """Return the lowercase addresses in To and Cc, once each, in order."""
    value = ", ".join(raw[key] for key in ("to", "cc") if key in raw)
    if '"' in value or "(" in value:
        pairs = getaddresses([value])
    else:
        pairs = [_address(part) for part in value.split(",") if part.strip()]
    found = [clean(addr.strip().lower(), 320) for _, addr in pairs if "@" in addr]
    return list(dict.fromkeys(found))


def from_line_date(line: bytes) -> datetime | None:
    """Return the date of an mbox From_ line ('From a@b Thu Nov 19 10:00:00 2026')."""
    parts = line.decode("ascii", "replace").split()
    try:
        dt = parsedate_to_datetime(" ".join(parts[2:]))
    except (TypeError, ValueError, IndexError):
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
