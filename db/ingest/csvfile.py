"""CSV exports from other help desks: one message per row, columns by name (any order).

The first row names the columns. Required: `channel`, `received_at`, and `body` or `subject`.
Unknown columns are ignored; empty cells mean "not known".

| column | meaning |
|---|---|
| `channel` | `email` or `tweet` (required) |
| `external_id` | Message-ID without angle brackets, or tweet id; empty: a content hash |
| `received_at` | when sent, ISO 8601 (`2026-11-19T08:30:00Z`); no offset = UTC (required) |
| `sender` | email address, or handle with or without `@` |
| `name` | the sender's display name |
| `subject` | email subject |
| `body` | the plain-text message |
| `followers`, `likes`, `reposts`, `replies`, `quotes` | whole numbers; empty means 0 |
| `verified` | `true` / `false` |
| `lang` | language code, e.g. `en` |
| `in_reply_to`, `thread_key` | id of the message replied to; id of the thread's first message |
| `recipients` | addresses or handles separated by `;` |
| `auto_submitted`, `list_unsubscribe`, `list_id`, `precedence` | email noise headers |

The file is UTF-8 (a byte-order mark is fine; undecodable bytes become U+FFFD). A row with a
missing or unreadable required value goes to quarantine with the reason, naming the row.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from typing import BinaryIO

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
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_csv(fh: BinaryIO) -> Iterator[Record | Rejected]:
    """Yield one record per data row of a CSV export."""
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.DictReader(text)
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in fields]
    if missing or not ({"body", "subject"} & set(fields)):
        need = ", ".join(missing or ["body or subject"])
        yield Rejected("row 1", f"CSV header lacks required columns: {need}", _raw(fields))
        return
    reader.fieldnames = fields
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield Rejected(f"row {reader.line_num}", f"unreadable CSV row: {e}", b"")
            continue
        yield _row(values, f"row {reader.line_num}")


def _row(values: dict, locator: str) -> Record | Rejected:
    raw = json.dumps({k: v for k, v in values.items() if k is not None})[:RAW_CAP]
    try:
        return _record(values, locator, raw)
    except BadField as e:
        return Rejected(locator, str(e), raw.encode("utf-8"))


def _record(values: dict, locator: str, raw: str) -> Record:
    def get(key: str) -> str:
        value = values.get(key)
        return clean(value.strip()) if isinstance(value, str) else ""

    channel = get("channel").lower()
    if channel not in ("email", "tweet"):
        raise BadField(f"channel must be email or tweet, got {channel[:20]!r}")
    if not get("received_at"):
        raise BadField("received_at is empty")
    received = parse_time(get("received_at"), "received_at")
    sender = get("sender").lower() or None
    if sender and channel == "tweet":
        sender = sender.lstrip("@")
    body, subject = get("body"), get("subject") or None
    external_id = ident(get("external_id")) or content_hash(
        channel, sender, received, subject, body
    )
    name = get("name") or None
    counts = {c: to_int(get(c) or None, c) for c in COUNTS}
    verified = to_bool(get("verified") or None, "verified")
    headers = {k: get(k) for k in NOISE if get(k)}
    if name:
        headers["display_name"] = name[:200]
    if channel == "tweet":
        headers["verified"] = verified
    contact = None
    if sender:
        key = {"email": sender[:320]} if channel == "email" else {"handle": sender[:100]}
        contact = ContactInfo(
            **key,
            display_name=name and name[:200],
            followers=counts["followers"] if get("followers") else None,
            verified=verified if get("verified") else None,
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
        headers=headers,
        **counts,
    )
    return Record(row, locator, contact)


def _raw(fields: list[str]) -> bytes:
    return ",".join(fields).encode("utf-8")
