"""Fast text encodings for the import's hot path: JSON both ways, and SQLite's time text.

`loads` parses with orjson and falls back to json for what orjson refuses; `dumps` is the text
`json.dumps` gives, without its per-call set-up; `raw_json` keeps a record's source for audit;
`sqlite_time` is the text SQLAlchemy itself stores for an aware time on SQLite, so rows
prepared here for driver-level inserts read back exactly as ORM-written ones.
"""

from __future__ import annotations

import json
import json.encoder
from datetime import UTC, datetime
from typing import Any

import orjson

# json.dumps's own C encoder, built once: the same text as `json.dumps(value)` for acyclic
# values (parsed JSON and row fields), without json.dumps's per-call set-up (~3x faster)
_ENCODE = json.encoder.c_make_encoder(
    None, json.JSONEncoder().default, json.encoder.c_encode_basestring_ascii,
    None, ": ", ", ", False, False, True,
)  # fmt: skip


def dumps(value: Any) -> str:
    """Return `json.dumps(value)` (default options) for an acyclic value, faster."""
    return "".join(_ENCODE(value, 0))


def loads(content: bytes | str) -> Any:
    """Parse a JSON document: orjson (~3x faster than json), json for what orjson refuses.

    json accepts NaN, integers beyond 64 bits and lone surrogate escapes, which orjson rejects;
    a document json cannot parse either raises json's own `JSONDecodeError` (its message names
    the line and column, as users see it in quarantine).
    """
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return json.loads(content)


def raw_json(value: Any) -> str:
    """Return compact JSON text of a parsed value for the audit `raw` column (orjson, fast)."""
    try:
        return orjson.dumps(value).decode("utf-8")
    except (TypeError, ValueError):  # integers beyond 64 bits, lone surrogates
        return dumps(value)


_SQLITE_TIME = "%04d-%02d-%02d %02d:%02d:%02d.%06d"


def sqlite_time(value: datetime | None) -> str | None:
    """Return an aware datetime as the text SQLAlchemy stores on SQLite (naive UTC)."""
    if value is None:
        return None
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # as `value.isoformat(" ")` without its "+00:00" (SQLite holds naive UTC), always with
    # microseconds; %-formatting is faster than isoformat's own formatter
    return _SQLITE_TIME % (value.year, value.month, value.day, value.hour, value.minute,
                           value.second, value.microsecond)  # fmt: skip
