"""Tweets: one parser for X API v2 tweet objects (the files are read in `tweetfiles`).

One parser (`tweet_record`) reads a v2 tweet object with the author looked up in the page's
`includes.users` (or an embedded `author` object); archive tweets are first mapped onto the v2
shape. Wrong field types reject only the record concerned, naming the field.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

from db.ingest.codec import raw_json
from db.ingest.records import (
    MAX_COUNT,
    RAW_CAP,
    BadField,
    ContactInfo,
    Record,
    Rejected,
    clean,
    ident,
    message_row,
    to_bool,
    to_int,
)

Item = Record | Rejected


def parse_time(value: Any, name: str = "created_at") -> datetime:
    """Return an aware UTC datetime from ISO 8601 or the archive's 'Wed Oct 10 ... 2018'."""
    if not isinstance(value, str) or not value:
        raise BadField(f"{name} is missing or not a string")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        try:
            dt = datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
        except ValueError:
            raise BadField(f"{name} is not a date: {value[:40]!r}") from None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def user_info(user: Any) -> ContactInfo:
    """Return the contact described by an X API v2 user object, or raise BadField."""
    if not isinstance(user, dict):
        raise BadField("author is not a JSON object")
    handle = user.get("username")
    if not isinstance(handle, str) or not handle:
        raise BadField("author username is missing or not a string")
    metrics = user.get("public_metrics") or {}
    if not isinstance(metrics, dict):
        raise BadField("author public_metrics is not an object")
    name = user.get("name")
    return ContactInfo(
        handle=clean(handle.lstrip("@").lower(), 100),
        display_name=clean(name, 200) if isinstance(name, str) else None,
        followers=to_int(metrics.get("followers_count"), "followers_count"),
        verified=to_bool(user.get("verified"), "verified"),
    )


def users_by_id(users: Any) -> dict[str, ContactInfo | str]:
    """Map user id to its ContactInfo, or to the reason the user object is unreadable."""
    found: dict[str, ContactInfo | str] = {}
    for user in users if isinstance(users, list) else ():
        if isinstance(user, dict) and isinstance(user.get("id"), str | int):
            try:
                found[str(user["id"])] = user_info(user)
            except BadField as e:
                found[str(user["id"])] = str(e)
    return found


def tweet_record(obj: Any, *, users: dict, locator: str, raw: str | None = None) -> Item:
    """Turn one v2 tweet object into a Record, or a Rejected naming what is wrong."""
    try:
        if raw is None:
            raw = raw_json(obj)[:RAW_CAP]
        return _record(obj, users, locator, raw)
    except BadField as e:
        return Rejected(locator, str(e), (raw or repr(obj)).encode("utf-8", "replace"))


def _count(metrics: dict, name: str) -> int:
    value = metrics.get(name)
    return value if type(value) is int and 0 <= value <= MAX_COUNT else to_int(value, name)


def _record(obj: Any, users: dict, locator: str, raw: str) -> Record:
    # the hot path of a tweet import: plain type checks inline, helpers only off the common path
    if type(obj) is not dict and not isinstance(obj, dict):
        raise BadField("tweet is not a JSON object")
    get = obj.get
    tid = get("id")
    if type(tid) is int:
        tid = str(tid)
    if not isinstance(tid, str) or not tid.strip():
        raise BadField("id is missing or not a string")
    note = get("note_tweet")
    text = note.get("text") if isinstance(note, dict) else get("text")
    if not isinstance(text, str):
        raise BadField("text is missing or not a string")
    if "&" in text:  # X escapes &, < and > in tweet text
        text = html.unescape(text)
    metrics = get("public_metrics") or {}
    if not isinstance(metrics, dict):
        raise BadField("public_metrics is not an object")
    contact = _author(obj, users)
    refs = get("referenced_tweets")
    reply_to, quoted, retweet = _references(refs) if refs else (None, None, False)
    conversation = get("conversation_id")
    lang = get("lang")
    author = get("author_id")
    headers: dict[str, Any] = {"author_id": str(author or "") or None}
    if contact is not None:
        headers["display_name"] = contact.display_name
        headers["verified"] = contact.verified
    if quoted:
        headers["quoted_id"] = quoted
    tid = tid if len(tid) <= 255 and tid.isascii() and "\x00" not in tid else ident(tid)
    entities = get("entities")
    return Record(
        message_row(
            channel="tweet",
            external_id=tid,
            received_at=parse_time(get("created_at")),
            body=clean(text),
            raw=raw,
            sender=contact.handle if contact else None,
            recipients=_mentions(entities) if entities else [],
            lang=clean(lang, 10) if isinstance(lang, str) else None,
            followers=(contact.followers or 0) if contact else 0,
            likes=_count(metrics, "like_count"),
            reposts=_count(metrics, "retweet_count"),
            replies=_count(metrics, "reply_count"),
            quotes=_count(metrics, "quote_count"),
            in_reply_to=reply_to,
            references=[r for r in (reply_to, quoted) if r],
            thread_key=ident(str(conversation)) if conversation else (reply_to or tid),
            is_retweet=retweet,
            headers=headers,
        ),
        locator,
        contact,
    )


def _author(obj: dict, users: dict) -> ContactInfo | None:
    embedded = obj.get("author")
    if embedded is not None:
        return user_info(embedded)
    found = users.get(str(obj.get("author_id")))
    if isinstance(found, str):
        raise BadField(f"author {obj.get('author_id')}: {found}")
    return found


def _references(refs: Any) -> tuple[str | None, str | None, bool]:
    if not refs:
        return None, None, False
    if not isinstance(refs, list):
        raise BadField("referenced_tweets is not a list")
    reply_to = quoted = None
    retweet = False
    for ref in refs:
        if not isinstance(ref, dict) or not isinstance(ref.get("id", ""), str | int):
            raise BadField("referenced_tweets holds an entry that is not {type, id}")
        rid = ident(str(ref.get("id") or "")) or None
        kind = ref.get("type")
        if kind == "replied_to":
            reply_to = rid
        elif kind == "quoted":
            quoted = rid
        elif kind == "retweeted":
            retweet = True
    return reply_to, quoted, retweet


def _mentions(entities: Any) -> list[str]:
    if not isinstance(entities, dict) or not isinstance(entities.get("mentions"), list):
        return []
    names = (m.get("username") for m in entities["mentions"] if isinstance(m, dict))
    return [clean(n.lower(), 100) for n in names if isinstance(n, str)]
