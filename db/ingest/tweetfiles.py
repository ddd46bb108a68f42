"""Files of tweets: X API v2 responses, JSONL of tweet objects, the X archive's `tweets.js`.

An X API file is one JSON document (a response page, a single tweet, or a list of pages) and is
parsed whole; JSONL is streamed line by line (each line a tweet, optionally with an embedded
`author` or `includes`, or a whole response page); `tweets.js` items are mapped onto the v2
shape (counts as strings, `full_text`, dates like "Wed Oct 10 20:19:24 +0000 2018"). A
document that is not valid JSON is quarantined whole, with its bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from db.ingest.codec import loads
from db.ingest.records import RAW_CAP, BadField, Record, Rejected, to_int
from db.ingest.tweets import Item, tweet_record, users_by_id


def page_records(page: dict, prefix: str = "") -> Iterator[Item]:
    """Yield the records of one X API v2 response page."""
    data = page.get("data")
    includes = page.get("includes")
    users = users_by_id(includes.get("users")) if isinstance(includes, dict) else {}
    if isinstance(data, dict):
        data = [data]
    if data is None and page.get("errors"):
        raw = json.dumps(page).encode()
        yield Rejected(prefix + "errors", "X API error response without data", raw)
        return
    if not isinstance(data, list):
        if data is not None:
            yield Rejected(prefix + "data", "data is not a list", json.dumps(data).encode())
        return
    for i, obj in enumerate(data):
        yield tweet_record(obj, users=users, locator=f"{prefix}data[{i}]")


def read_xapi(fh: BinaryIO) -> Iterator[Item]:
    """Yield the tweets of an X API v2 JSON file (a page, a single tweet, or a list of pages)."""
    content = fh.read()
    try:
        doc = loads(content)
    except ValueError as e:
        if isinstance(e, json.JSONDecodeError) and e.msg == "Extra data":
            yield from read_jsonl(io.BytesIO(content))  # JSONL after all (one object per line)
        else:
            yield Rejected("file", f"invalid JSON: {_json_error(e)}", content)
        return
    yield from _document(doc, "")


def _document(doc: Any, prefix: str) -> Iterator[Item]:
    if isinstance(doc, dict) and ("data" in doc or "errors" in doc or "meta" in doc):
        yield from page_records(doc, prefix)
    elif isinstance(doc, dict):
        yield tweet_record(doc, users={}, locator=prefix or "document")
    elif isinstance(doc, list):
        for i, part in enumerate(doc):
            yield from _document(part, f"{prefix}[{i}].")
    else:
        yield Rejected(prefix or "document", "not an X API response", json.dumps(doc).encode())


def read_jsonl(fh: BinaryIO) -> Iterator[Item]:
    """Yield one record per line of a JSONL file (tweet objects, or whole response pages)."""
    for n, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except ValueError as e:
            yield Rejected(f"line {n}", f"invalid JSON: {_json_error(e)}", line)
            continue
        if isinstance(obj, dict) and "data" in obj:
            yield from page_records(obj, f"line {n} ")
            continue
        includes = obj.get("includes") if isinstance(obj, dict) else None
        users = users_by_id(includes.get("users")) if isinstance(includes, dict) else {}
        raw = line[:RAW_CAP].decode("utf-8", "replace").rstrip()
        yield tweet_record(obj, users=users, locator=f"line {n}", raw=raw)


def read_tweets_js(fh: BinaryIO) -> Iterator[Item]:
    """Yield the tweets of an X archive `tweets.js` (`window.YTD.tweets.part0 = [...]`).

    Only an account's owner can download its archive, so these are the company's own posts:
    kept (customers' replies point at them) and marked `own_account`, which makes them noise."""
    content = fh.read()
    _, sep, body = content.partition(b"=")
    try:
        items = json.loads(body if sep else content)
    except ValueError as e:
        yield Rejected("file", f"invalid tweets.js: {_json_error(e)}", content)
        return
    if not isinstance(items, list):
        yield Rejected("file", "tweets.js does not hold a list", content)
        return
    for i, item in enumerate(items):
        tweet = item.get("tweet", item) if isinstance(item, dict) else item
        raw = json.dumps(item)[:RAW_CAP]
        try:
            mapped = from_archive(tweet) if isinstance(tweet, dict) else tweet
        except BadField as e:
            yield Rejected(f"[{i}]", str(e), raw.encode())
            continue
        record = tweet_record(mapped, users={}, locator=f"[{i}]", raw=raw)
        if isinstance(record, Record):  # an archive holds the account owner's own posts
            record.row["headers"]["own_account"] = True
        yield record


def from_archive(t: dict) -> dict:
    """Map an archive tweet (counts as strings, `full_text`) onto the v2 tweet shape."""
    refs = []
    if t.get("in_reply_to_status_id_str") or t.get("in_reply_to_status_id"):
        refs.append({"type": "replied_to", "id": t.get("in_reply_to_status_id_str") or ""})
    text = t.get("full_text", t.get("text"))
    if isinstance(text, str) and text.startswith("RT @"):
        refs.append({"type": "retweeted", "id": ""})
    entities = t.get("entities")
    mentions = entities.get("user_mentions") if isinstance(entities, dict) else None
    return {
        "id": t.get("id_str", t.get("id")),
        "text": text,
        "created_at": t.get("created_at"),
        "lang": t.get("lang"),
        "public_metrics": {
            "like_count": to_int(t.get("favorite_count"), "favorite_count"),
            "retweet_count": to_int(t.get("retweet_count"), "retweet_count"),
        },
        "referenced_tweets": refs,
        "entities": {
            "mentions": [
                {"username": m.get("screen_name")}
                for m in (mentions if isinstance(mentions, list) else [])
                if isinstance(m, dict)
            ]
        },
    }


def _json_error(e: ValueError) -> str:
    if isinstance(e, json.JSONDecodeError):
        return f"{e.msg} (line {e.lineno}, column {e.colno})"
    return str(e).splitlines()[0][:120]
