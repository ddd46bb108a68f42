"""What a reader hands the pipeline: a parsed `Record`, or a `Rejected` one, and field checks.

A `Record.row` is a dict keyed by `Message` column names with every column the pipeline inserts
(the pipeline adds `contact_id`, `source` and `imported_at`). Text is made safe for both
databases here (no NUL characters, no lone surrogates) and capped to the column sizes, so a
hostile file can never make an insert fail; the readers keep subjects and names one line, as
they may end up in the header of an e-mail (`db.headertext`). Senders are lowercase: an email
address, or a handle without the '@'. `headers` carries what the feed needs to spot noise and
weigh reach: for email `auto_submitted`, `list_unsubscribe`, `list_id`, `precedence`,
`x_auto_response_suppress`, `content_type` (only `multipart/report`, i.e. bounces),
`return_path_empty` and `decode_note` (a charset fallback was used); for tweets `verified`,
`author_id` and `quoted_id`; for both `display_name`, and `body_truncated_from` when a body
over BODY_CAP characters was cut.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

RAW_CAP = 64 * 1024
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?)")  # CSI, OSC
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 but \t \n \r, DEL, C1
BODY_CAP = 1_000_000
QUARANTINE_CAP = 8 * 1024 * 1024
MAX_COUNT = 2**31 - 1  # the largest count a 32-bit integer column holds


@dataclass(frozen=True, slots=True)
class ContactInfo:
    """Who sent a record, and their reach as the record saw it (None = not known)."""

    email: str | None = None
    handle: str | None = None
    display_name: str | None = None
    followers: int | None = None
    verified: bool | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """A record ready to become a Message row."""

    row: dict[str, Any]
    locator: str
    contact: ContactInfo | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that cannot be imported, with a plain-English reason and its raw bytes."""

    locator: str
    reason: str
    raw: bytes


class BadField(ValueError):
    """A field of a record has the wrong type or an unreadable value."""


def clean(text: str | None, cap: int | None = None) -> str | None:
    """Return `text` without control characters (but tab and line ends) or lone surrogates,
    cut to `cap` characters: customer text must not drive the terminal that shows it (an
    escape sequence can clear the screen or retitle the window) nor break a database (NUL)."""
    if text is None:
        return None
    if not text.isprintable() and _CONTROL.search(text):
        text = _CONTROL.sub("", _ESCAPE.sub("", text))
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if cap is not None and len(text) > cap:
        text = text[:cap]
    return text


def ident(value: str | None) -> str | None:
    """Return a message or tweet id fit for an indexed column (long ones become a hash)."""
    if not value:
        return None
    value = clean(value)
    if len(value) > 255:
        return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()
    return value


def content_hash(*parts: object) -> str:
    """Return a stable id for a record that carries none, from its content."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "replace"))
    return "sha256:" + digest.hexdigest()[:40]


def to_int(value: Any, name: str) -> int:
    """Return a count as int (numbers and digit strings, "12,345" too), or raise BadField.

    Counts are stored in 32-bit columns (PostgreSQL `integer`): no real follower or like count
    comes near 2**31, so a larger or negative one is a broken record, rejected on both
    databases alike rather than failing the whole batch at insert time."""
    if value is None:
        return 0
    if type(value) is int:
        count = value
    elif isinstance(value, str) and value.strip().replace(",", "").isdigit():
        count = int(value.strip().replace(",", ""))
    elif isinstance(value, float) and value.is_integer():
        count = int(value)
    else:
        raise BadField(f"{name} is not a number: {_short(value)}")
    if not 0 <= count <= MAX_COUNT:
        raise BadField(f"{name} is out of range: {_short(value)}")
    return count


def to_bool(value: Any, name: str) -> bool:
    """Return a flag as bool ("true"/"false" strings accepted), or raise BadField."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no", ""):
        return value.lower() in ("true", "1", "yes")
    raise BadField(f"{name} is not true/false: {_short(value)}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def message_row(
    *,
    channel: str,
    external_id: str,
    received_at: datetime,
    body: str,
    raw: str | None,
    **fields: Any,
) -> dict[str, Any]:
    """Return a complete Message row dict (every inserted column present, fresh containers)."""
    if len(body) > BODY_CAP:
        fields.setdefault("headers", {})["body_truncated_from"] = len(body)
        body = body[:BODY_CAP]
    row = {
        "channel": channel,
        "external_id": external_id,
        "contact_id": None,
        "sender": None,
        "recipients": [],
        "subject": None,
        "body": body,
        "received_at": received_at,
        "lang": None,
        "followers": 0,
        "likes": 0,
        "reposts": 0,
        "replies": 0,
        "quotes": 0,
        "in_reply_to": None,
        "references": [],
        "thread_key": None,
        "is_retweet": False,
        "headers": {},
        "attachments": [],
        "sentiment": 0.0,
        "complaint": 0.0,
        "score": 0.0,
        "reasons": [],
        "is_noise": False,
        "theme_id": None,
        "triage": "new",
        "item_id": None,
        "reviewed_at": None,
        "source": None,
        "raw": raw,
        "imported_at": None,
    }
    row.update(fields)
    return row
