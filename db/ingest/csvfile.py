"""CSV exports from other help desks: one message per row, columns by name (any order).

The first line names the columns, separated by whichever of comma, semicolon or tab it holds
most (Excel saves semicolons in many locales). Required: `channel`, `received_at`, and `body`
or `subject`. Unknown columns are ignored; empty cells mean "not known".

| column | meaning |
|---|---|
| `channel` | `email` or `tweet` (required) |
| `external_id` | Message-ID without angle brackets, or tweet id; empty: a content hash |
| `received_at` | when sent, ISO 8601 (`2026-11-19T08:30:00Z`); no offset = UTC (required) |
| `sender` | one email address (`Pat <pat@example.net>` is fine), or handle with or without `@` |
| `name` | the sender's display name (one line) |
| `subject` | email subject (one line: line breaks become spaces) |
| `body` | the plain-text message (a row needs a body or a subject) |
| `followers`, `likes`, `reposts`, `replies`, `quotes` | whole numbers; empty means 0 |
| `verified` | `true` / `false` |
| `lang` | language code, e.g. `en` |
| `in_reply_to`, `thread_key` | id of the message replied to; id of the thread's first message |
| `recipients` | addresses or handles separated by `;` |
| `auto_submitted`, `list_unsubscribe`, `list_id`, `precedence` | email noise headers |

Text is UTF-8 (a byte-order mark is fine) or UTF-16 with a byte-order mark; a line that is not
valid UTF-8 is read as Windows-1252 (Excel's plain "CSV"), as the email reader reads 8-bit text,
and noted in `headers["decode_note"]`. Rows of empty cells are skipped. A bad row is quarantined
with its reason and the rest of the file is read: a missing or unreadable required value,
neither body nor subject, a sender that is not one email address (replies go to it) or not a
handle, or a quote never closed. Quotes are read leniently (a stray one inside
a field is kept), but a quoted field is taken to be never closed when the file ends inside it,
when it spans `csvlines.MAX_RECORD_LINES` lines, or when a later line of it reads as a row of
its own (a channel and a time in their columns): it swallowed the rows after it, so the row's
first line is quarantined and reading resumes at the next line.

Rows are located as `line L (row N)`: L is the file's line where the row starts, as an editor
counts; N is the row as a spreadsheet shows it (the header is row 1, and a line break inside
quotes does not start a new row).
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from db.headertext import is_handle, one_line, single_address
from db.ingest.csvlines import Lines, byte_lines
from db.ingest.records import (
    RAW_CAP,
    BadField,
    ContactInfo,
    Record,
    Rejected,
    clean,
    content_hash,
    ident,
    message_row,
    to_bool,
    to_int,
)
from db.ingest.tweets import parse_time

REQUIRED = ("channel", "received_at")
COUNTS = ("followers", "likes", "reposts", "replies", "quotes")
NOISE = ("auto_submitted", "list_unsubscribe", "list_id", "precedence")
DELIMITERS = ",;\t"  # in order of preference when the header holds as many of each
DECODE_NOTE = "not valid UTF-8; read as Windows-1252"
NEVER_CLOSED = "a quoted field is never closed"
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_csv(fh: BinaryIO) -> Iterator[Record | Rejected]:
    """Yield one record per data row of a CSV export."""
    lines = Lines(byte_lines(fh))
    layout = _header(lines)
    if isinstance(layout, Rejected):
        yield layout
        return
    reader = csv.reader(lines, delimiter=layout.delimiter)
    for row in itertools.count(2):
        lines.begin()
        try:
            values = next(reader)
        except StopIteration:
            return
        locator = f"line {lines.start} (row {row})"
        if lines.cut or any(map(layout.starts_row, lines.later())):
            lines.reread(lines.record[1:])  # the rows the open quote swallowed
            yield Rejected(locator, NEVER_CLOSED, lines.record[0])
        elif any(v.strip() for v in values):
            yield _row(dict(zip(layout.fields, values, strict=False)), locator, lines.fallback)


@dataclass(frozen=True, slots=True)
class _Layout:
    """The header's column names and separator."""

    fields: list[str]
    delimiter: str
    reach: int  # separators on a line before both channel and received_at

    def starts_row(self, text: str) -> bool:
        """Tell whether a line reads as a row of its own: a channel and a time in place."""
        if text.count(self.delimiter) < self.reach:  # most lines of a long body: cheap
            return False
        cells = next(csv.reader([text], delimiter=self.delimiter), [])
        values = dict(zip(self.fields, cells, strict=False))
        if values.get("channel", "").strip().lower() not in ("email", "tweet"):
            return False
        try:
            parse_time(values.get("received_at", "").strip(), "received_at")
        except BadField:
            return False
        return True


def _header(lines: Lines) -> _Layout | Rejected:
    """Return the columns and separator the first line names, or why they are not usable."""
    text = next(lines, "")
    delimiter = max(DELIMITERS, key=text.count)
    fields = [f.strip().lower() for f in next(csv.reader([text], delimiter=delimiter), [])]
    missing = [c for c in REQUIRED if c not in fields]
    if not {"body", "subject"} & set(fields):
        missing.append("body or subject")
    if not missing:
        return _Layout(fields, delimiter, max(fields.index(c) for c in REQUIRED))
    found = ", ".join(fields)[:200] or "no columns"
    reason = f"CSV header lacks required columns: {', '.join(missing)} (found: {found})"
    return Rejected("line 1 (row 1)", reason, b"".join(lines.record))


def _row(values: dict[str, str], locator: str, fallback: bool) -> Record | Rejected:
    raw = json.dumps(values)[:RAW_CAP]
    try:
        return _record(values, locator, raw, DECODE_NOTE if fallback else None)
    except BadField as e:
        return Rejected(locator, str(e), raw.encode("utf-8"))


def _record(values: dict[str, str], locator: str, raw: str, note: str | None) -> Record:
    def get(key: str) -> str:
        value = values.get(key)
        return clean(value.strip()) if value else ""

    channel, received, body, subject = _required(get)
    sender = _sender(channel, get("sender"))
    counts = {c: to_int(get(c) or None, c) for c in COUNTS}
    verified = to_bool(get("verified") or None, "verified")
    external_id = ident(get("external_id")) or content_hash(
        channel, sender, received, subject, body
    )
    reply_to = ident(get("in_reply_to"))
    row = message_row(
        channel=channel,
        external_id=external_id,
        received_at=received,
        body=body,
        raw=raw,
        sender=sender and sender[:320],
        recipients=[r.strip().lower() for r in get("recipients").split(";") if r.strip()],
        subject=subject and subject[:1000],
        lang=get("lang")[:10] or None,
        in_reply_to=reply_to,
        thread_key=ident(get("thread_key")) or reply_to or external_id,
        headers=_headers(get, channel, verified, note),
        **counts,
    )
    return Record(row, locator, _contact(get, channel, sender, counts["followers"], verified))


def _required(get: Callable[[str], str]) -> tuple[str, datetime, str, str | None]:
    """Return the row's channel, time, body and subject, or raise BadField."""
    channel = get("channel").lower()
    if channel not in ("email", "tweet"):
        raise BadField(f"channel must be email or tweet, got {channel[:20]!r}")
    if not get("received_at"):
        raise BadField("received_at is empty")
    received = parse_time(get("received_at"), "received_at")
    body, subject = get("body"), one_line(get("subject")) or None
    if not body and not subject:
        raise BadField("body and subject are both empty")
    return channel, received, body, subject


def _sender(channel: str, text: str) -> str | None:
    """Return the row's sender, lowercase: exactly one e-mail address (a reply goes to it), or
    a handle without the '@'; raise BadField for anything else."""
    if not text:
        return None
    if channel == "tweet":
        handle = text.lower().removeprefix("@")
        if not is_handle(handle):
            raise BadField(f"sender is not a handle: {text[:80]!r}")
        return handle
    address = single_address(text)
    if address is None:
        raise BadField(f"sender is not one e-mail address: {text[:80]!r}")
    return address.lower()


def _headers(get: Callable[[str], str], channel: str, verified: bool, note: str | None) -> dict:
    headers: dict = {k: get(k) for k in NOISE if get(k)}
    if get("name"):
        headers["display_name"] = one_line(get("name"))[:200]
    if channel == "tweet":
        headers["verified"] = verified
    if note:
        headers["decode_note"] = note
    return headers


def _contact(
    get: Callable[[str], str], channel: str, sender: str | None, followers: int, verified: bool
) -> ContactInfo | None:
    if not sender:
        return None
    key = {"email": sender[:320]} if channel == "email" else {"handle": sender[:100]}
    return ContactInfo(
        **key,
        display_name=one_line(get("name"))[:200] or None,
        followers=followers if get("followers") else None,
        verified=verified if get("verified") else None,
    )
