"""Write the demo files in `seeds/data/` from the hand-written stories in `posts` and `mails`.

Run once after editing a story (`python -m seeds.build`); the output is committed. Everything
is derived from the story keys, so ids, Message-IDs and bytes are the same on every run.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from datetime import datetime, timedelta, timezone
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from seeds import ANCHOR, DATA_DIR
from seeds.bounce import bounce_bytes
from seeds.mails import MAILS
from seeds.posts import POSTS, USERS

TWITTER_EPOCH_MS = 1288834974657
PAGE_SIZE = 25


def when(day: int, hm: str) -> datetime:
    """Return the anchor-relative time of a story entry."""
    hours, minutes = (int(p) for p in hm.split(":"))
    midnight = ANCHOR.replace(hour=0, minute=0)
    return midnight + timedelta(days=day, hours=hours, minutes=minutes)


def digest(*parts: str) -> str:
    """Return a short stable hex digest of `parts`."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def user_id(handle: str) -> str:
    """Return a stable numeric X user id for a handle."""
    return str(10**17 + int(digest("user", handle)[:14], 16))


def tweet_id(post: dict[str, Any], seq: int) -> str:
    """Return a snowflake-style id carrying the post's anchor-relative time."""
    ms = int(when(post["day"], post["hm"]).timestamp() * 1000)
    return str(((ms - TWITTER_EPOCH_MS) << 22) | (seq & 0xFFF))


def tweet_objects() -> list[dict[str, Any]]:
    """Return every post as an X API v2 tweet object, in story order."""
    ids = {p["key"]: tweet_id(p, n) for n, p in enumerate(POSTS)}
    by_key = {p["key"]: p for p in POSTS}
    out = []
    for p in POSTS:
        parent = p.get("reply_to") or p.get("rt")
        root = p["key"]
        while by_key[root].get("reply_to"):
            root = by_key[root]["reply_to"]
        refs = [
            {"type": kind, "id": ids[p[field]]}
            for field, kind in (
                ("reply_to", "replied_to"),
                ("rt", "retweeted"),
                ("quote", "quoted"),
            )
            if p.get(field)
        ]
        obj: dict[str, Any] = {
            "id": ids[p["key"]],
            "text": p["text"],
            "author_id": user_id(p["handle"]),
            "created_at": when(p["day"], p["hm"]).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "conversation_id": ids[root],
            "lang": p.get("lang", "en"),
            "edit_history_tweet_ids": [ids[p["key"]]],
            "public_metrics": {
                "retweet_count": p.get("rts", 0),
                "reply_count": p.get("replies", 0),
                "like_count": p.get("likes", 0),
                "quote_count": p.get("quotes", 0),
                "bookmark_count": p.get("likes", 0) // 20,
                "impression_count": p.get("likes", 0) * 37 + 120,
            },
            "entities": {"mentions": mentions(p["text"])},
        }
        if refs:
            obj["referenced_tweets"] = refs
        if p.get("reply_to") and parent:
            obj["in_reply_to_user_id"] = user_id(by_key[parent]["handle"])
        out.append(obj)
    return out


def mentions(text: str) -> list[dict[str, Any]]:
    """Return the X API mention entities of `text`."""
    return [
        {"start": m.start(), "end": m.end(), "username": m.group(1)}
        for m in re.finditer(r"@(\w{1,15})", text)
    ]


def user_object(handle: str) -> dict[str, Any]:
    """Return the X API v2 user object of a handle."""
    name, followers, verified = USERS[handle]
    return {
        "id": user_id(handle),
        "username": handle,
        "name": name,
        "verified": verified,
        "public_metrics": {
            "followers_count": followers,
            "following_count": 150 + followers % 900,
            "tweet_count": 800 + followers % 7000,
            "listed_count": followers // 400,
        },
    }


def write_tweets(folder: Path) -> int:
    """Write the posts as X API v2 search pages, newest first; return how many."""
    handles = {user_id(h): h for h in USERS}
    tweets = sorted(tweet_objects(), key=lambda t: t["created_at"], reverse=True)
    pages = [tweets[i : i + PAGE_SIZE] for i in range(0, len(tweets), PAGE_SIZE)]
    for n, page in enumerate(pages, 1):
        authors = sorted({t["author_id"] for t in page})
        meta: dict[str, Any] = {
            "newest_id": page[0]["id"],
            "oldest_id": page[-1]["id"],
            "result_count": len(page),
        }
        if n < len(pages):
            meta["next_token"] = "b26v89c19zqg8o3f" + digest("page", str(n))[:12]
        doc = {
            "data": page,
            "includes": {"users": [user_object(handles[a]) for a in authors]},
            "meta": meta,
        }
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        (folder / f"mentions_page_{n:02d}.json").write_text(text, encoding="utf-8")
    return len(tweets)


def message_id(m: dict[str, Any]) -> str:
    """Return the stable Message-ID of a story email."""
    domain = m["from"][1].split("@", 1)[1]
    return f"<{digest('mail', m['key'])[:24]}.{m['key'].replace('_', '')}@{domain}>"


def as_html(text: str) -> str:
    """Return a plain HTML rendering of a body, as a mail client would send it."""
    paras = "".join(
        f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>\n" for p in text.strip().split("\n\n")
    )
    return f'<html><body style="font-family:Arial,sans-serif">\n{paras}</body></html>\n'


def fake_bytes(kind: str, size: int, seed: str) -> bytes:
    """Return deterministic stand-in content for an attachment."""
    head = {"application/pdf": b"%PDF-1.4\n", "image/jpeg": b"\xff\xd8\xff\xe0"}.get(kind, b"")
    body = hashlib.shake_256(seed.encode()).digest(size)
    return head + body[len(head) :]


def email_message(m: dict[str, Any], by_key: dict[str, dict[str, Any]]) -> EmailMessage:
    """Build one story email with its headers, parts and attachments."""
    msg = EmailMessage(policy=policy.default)
    tz = timezone(timedelta(hours=int(m.get("tz", "+0000")[:3])))
    msg["From"] = Address(m["from"][0], addr_spec=m["from"][1])
    msg["To"] = Address(m["to"][0], addr_spec=m["to"][1])
    msg["Subject"] = m["subject"]
    msg["Date"] = format_datetime(when(m["day"], m["hm"]).astimezone(tz))
    msg["Message-ID"] = message_id(m)
    chain, parent = [], m.get("reply_to")
    while parent:
        chain.insert(0, message_id(by_key[parent]))
        parent = by_key[parent].get("reply_to")
    if chain:
        msg["In-Reply-To"] = chain[-1]
        msg["References"] = " ".join(chain)
    for name, value in m.get("headers", {}).items():
        msg[name] = value
    if m.get("html_only"):
        msg.set_content(as_html(m["body"]), subtype="html")
    else:
        msg.set_content(m["body"])
        if m.get("html"):
            msg.add_alternative(as_html(m["body"]), subtype="html")
    for filename, kind, size in m.get("attach", []):
        maintype, subtype = kind.split("/")
        data = fake_bytes(kind, size, m["key"] + filename)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"===============_{digest('boundary', m['key'], str(n))[:20]}==")
    return msg


def write_mails(folder: Path) -> int:
    """Write the story emails as `.eml` files named by day and key; return how many."""
    by_key = {m["key"]: m for m in MAILS}
    for m in MAILS:
        name = f"d{m['day']:+03d}_{m['hm'].replace(':', '')}_{m['key']}.eml"
        (folder / name).write_bytes(bytes(email_message(m, by_key)))
    original = by_key["pk_e1"]
    bounce = bounce_bytes(when(-7, "10:02"), message_id(original), original["to"][1])
    (folder / "d-07_1002_bounce.eml").write_bytes(bounce)
    return len(MAILS) + 1


def build(target: Path = DATA_DIR) -> tuple[int, int]:
    """Rewrite `target` from the stories; return (emails, tweets) written."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "mail").mkdir(parents=True)
    (target / "x").mkdir(parents=True)
    return write_mails(target / "mail"), write_tweets(target / "x")


if __name__ == "__main__":
    emails, tweets = build()
    print(f"wrote {emails} emails and {tweets} tweets to {DATA_DIR}")
