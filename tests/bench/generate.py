"""Synthetic input for benchmarks: N tweets as X API v2 JSON pages, N emails as one mbox.

Deterministic (seeded) and varied like real traffic: complaints, praise, questions and noise;
a long tail of small accounts and a few huge ones; replies, retweets and quotes; plain, HTML-only
and multipart mail with attachments, auto-replies, newsletters, bounces, RFC 2047 subjects and
Latin-1 bodies. Reusable by other benchmarks:

    from tests.bench.generate import write_tweet_pages, write_mbox
"""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TOPICS = [
    "the charging stalls at {place} are full of cars that are not charging",
    "my screen went black on the motorway, I want my money back",
    "nobody collected the bins on {place} again and nobody takes ownership",
    "you returned my shirt washed and pressed, thank you, lovely people",
    "the cinema at {place} had no ushers and people were shouting all film",
    "I have been on hold for {n} minutes and the line keeps dropping",
    "my order {n} arrived broken, second time this month",
    "the app logs me out every time I open it since the update",
    "how do I change the address on my account?",
    "great service at {place} today, the staff were brilliant",
    "I was charged twice for order {n}, please refund me",
    "your new pricing is a joke, I am cancelling my subscription",
]
PLACES = ["Leeds", "Bristol", "Kings Cross", "Elm Street", "Harbour Road", "the airport"]
NOISE = ["Win a free cruise!!! click now", "We are hiring: senior engineer", "RT if you agree"]


OPENERS = ["", "", "", "@acme ", "Hey @acme, ", "Seriously, ", "Honestly ", "Update: ", "So ",
           "Day {d} and ", "Morning. ", "Not again: ", "Quick one: ", "FYI @acme "]  # fmt: skip
DETAILS = [
    " Third time this week.", " Order ref {code}.", " Waiting since {h}:{mm}.",
    " Called {k} times, no answer.", " My kids were with me.", " Paid £{n} for this.",
    " Thanks {name}!", " Sort it out.", " Anyone else?", " Not impressed.",
    " https://t.co/{code}", " #{tag}", " 😡", " 🙏", " Posted from {place} at {h}:{mm}.",
    " {name} at the desk was kind though.", " Ticket {code}, reply pending {k} days.",
]  # fmt: skip
NAMES = ["Sam", "Priya", "Tom", "Aisha", "Lukas", "Marie", "Jo", "Wei", "Omar", "Elena"]
TAGS = ["fail", "customerservice", "help", "ev", "thankyou", "notgood", "monday", "travel"]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        place=rng.choice(PLACES), n=rng.randint(10, 99999), d=rng.randint(2, 30),
        code=f"{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}{rng.randint(1000, 999999)}",
        h=rng.randint(6, 22), mm=f"{rng.randint(0, 59):02d}", k=rng.randint(2, 9),
        name=rng.choice(NAMES), tag=rng.choice(TAGS),
    )  # fmt: skip


def _text(rng: random.Random) -> str:
    """Return one customer text; nearly every one distinct, as real traffic is."""
    return _topical(rng)[0]


def _topical(rng: random.Random, topic: int | None = None) -> tuple[str, int]:
    """Return a text about `topic` (or a random one, or noise) and its topic (-1: noise)."""
    if topic is None and rng.random() < 0.08:
        return rng.choice(NOISE) + _fill(rng.choice(DETAILS[-7:]), rng), -1
    if topic is None or topic < 0:
        topic = rng.randrange(len(TOPICS))
    text = _fill(rng.choice(OPENERS), rng) + _fill(TOPICS[topic], rng)
    text = text[0].upper() + text[1:] + rng.choice([".", "!", "!!", " @acme", " #fail", ""])
    for _ in range(rng.choice((0, 1, 1, 2, 2))):
        text += _fill(rng.choice(DETAILS), rng)
    return text, topic


def _when(rng: random.Random, now: datetime, days: int) -> datetime:
    return now - timedelta(seconds=rng.randint(0, days * 86400))


def _user(i: int, rng: random.Random) -> dict:
    followers = int(rng.paretovariate(1.2) * 50) if i % 997 else rng.randint(1_000_000, 9_000_000)
    return {
        "id": str(10_000 + i),
        "username": f"user{i}",
        "name": f"User {i}",
        "verified": followers > 500_000,
        "public_metrics": {"followers_count": followers, "following_count": rng.randint(0, 900)},
    }


def _tweet(
    tid: int, rng: random.Random, author: dict, when: datetime, topics: dict[int, int]
) -> dict:
    """Return one tweet; a reply is mostly about what it replies to, as in a real thread."""
    kind = rng.random()
    parent = rng.randint(max(1, tid - 5000), tid - 1) if kind < 0.15 and tid > 1 else None
    same = parent is not None and rng.random() < 0.8
    text, topics[tid] = _topical(rng, topics.get(parent) if same else None)
    topics.pop(tid - 5000, None)  # replies reach back 5000 tweets at most
    tweet = {
        "id": str(tid),
        "text": text,
        "author_id": author["id"],
        "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "conversation_id": str(tid),
        "lang": rng.choice(["en", "en", "en", "de", "fr"]),
        "public_metrics": {
            "retweet_count": int(rng.expovariate(0.5)),
            "reply_count": int(rng.expovariate(1)),
            "like_count": int(rng.expovariate(0.1)),
            "quote_count": int(rng.expovariate(2)),
        },
        "entities": {"mentions": [{"username": "acme"}]} if rng.random() < 0.5 else {},
    }
    if parent is not None:
        tweet["referenced_tweets"] = [{"type": "replied_to", "id": str(parent)}]
        tweet["conversation_id"] = str(parent)
    elif kind < 0.22:
        tweet["referenced_tweets"] = [{"type": "retweeted", "id": str(tid + 10**9)}]
        tweet["text"] = "RT @acme: " + tweet["text"]
    elif kind < 0.26:
        tweet["referenced_tweets"] = [{"type": "quoted", "id": str(tid + 2 * 10**9)}]
    return tweet


def write_tweet_pages(
    folder: Path,
    n: int,
    *,
    seed: int = 42,
    per_page: int = 500,
    now: datetime = NOW,
    days: int = 30,
    shuffled_times: bool = False,
) -> list[Path]:
    """Write `n` tweets as X API v2 response pages in `folder`; return the files.

    As on X, a tweet's id grows with its time (ids are time-ordered snowflakes), so an export
    or a series of search pages arrives in time order, a few seconds of jitter apart.
    `shuffled_times` gives every tweet a random time in the period instead: no real source
    does that, but it is the worst case for the time-ordered indexes.
    """
    rng = random.Random(seed)
    step = days * 86400 / max(1, n)
    start_at = now - timedelta(days=days)

    def when(tid: int) -> datetime:
        if shuffled_times:
            return _when(rng, now, days)
        return start_at + timedelta(seconds=tid * step + rng.uniform(-5, 5))

    folder.mkdir(parents=True, exist_ok=True)
    users = [_user(i, rng) for i in range(max(1, min(n // 5, 50_000)))]
    files, topics = [], {}
    for start in range(0, n, per_page):
        tweets, seen = [], {}
        for tid in range(start + 1, min(n, start + per_page) + 1):
            author = rng.choice(users)
            seen[author["id"]] = author
            tweets.append(_tweet(tid, rng, author, when(tid), topics))
        page = {"data": tweets, "includes": {"users": list(seen.values())}}
        page["meta"] = {"result_count": len(tweets), "newest_id": tweets[-1]["id"]}
        path = folder / f"page_{start // per_page:06d}.json"
        path.write_text(json.dumps(page), encoding="utf-8")
        files.append(path)
    return files


_ATTACHMENT = base64.encodebytes(bytes(range(256)) * 2).decode("ascii")


def _email(i: int, rng: random.Random, now: datetime, days: int) -> str:
    when = _when(rng, now, days)
    sender = f"customer{rng.randint(1, max(1, i // 3 + 1))}@example.{rng.choice(['com', 'org'])}"
    text = _text(rng)
    head = [
        f"From: Customer {i} <{sender}>",
        "To: support@acme.example",
        f"Subject: {text[:50]}",
        f"Date: {when.strftime('%a, %d %b %Y %H:%M:%S +0000')}",
        f"Message-ID: <m{i}@example.com>",
        "MIME-Version: 1.0",
    ]
    kind = rng.random()
    if kind < 0.10 and i > 1:
        head.append(f"In-Reply-To: <m{i - 1}@example.com>")
        head.append(f"References: <m1@example.com> <m{i - 1}@example.com>")
    if kind < 0.45:
        body = f"Content-Type: text/plain; charset=utf-8\n\nHello,\n\n{text}\n\nRegards\n"
    elif kind < 0.60:
        body = (
            "Content-Type: text/html; charset=utf-8\n\n"
            f"<html><body><p>Hello,</p><p>{text} &amp; more</p><br><b>Regards</b></body></html>\n"
        )
    elif kind < 0.70:
        head[2] = "Subject: =?iso-8859-1?q?R=E9clamation_commande?="
        body = "Content-Type: text/plain; charset=iso-8859-1\n\nJ'ai =E9t=E9 d=E9bit=E9 deux fois."
        body = body.replace("\n\nJ", "\nContent-Transfer-Encoding: quoted-printable\n\nJ")
    elif kind < 0.82:
        b = f"mixed{i}"
        body = (
            f'Content-Type: multipart/mixed; boundary="{b}"\n\n--{b}\n'
            f"Content-Type: text/plain; charset=utf-8\n\n{text}\n--{b}\n"
            'Content-Type: application/pdf; name="receipt.pdf"\n'
            'Content-Disposition: attachment; filename="receipt.pdf"\n'
            f"Content-Transfer-Encoding: base64\n\n{_ATTACHMENT}--{b}--\n"
        )
    elif kind < 0.90:
        head += ["Auto-Submitted: auto-replied", "Precedence: bulk"]
        body = "Content-Type: text/plain\n\nI am out of the office until Monday.\n"
    elif kind < 0.97:
        head += ["List-Unsubscribe: <https://news.example/u>", "List-Id: <news.example>"]
        body = "Content-Type: text/plain\n\nThis week's newsletter: ten tips for winter driving.\n"
    else:
        head[0] = "From: Mail Delivery System <MAILER-DAEMON@mx.example>"
        head.append("Return-Path: <>")
        b = f"report{i}"
        body = (
            f'Content-Type: multipart/report; report-type=delivery-status; boundary="{b}"\n\n'
            f"--{b}\nContent-Type: text/plain\n\nDelivery failed.\n--{b}\n"
            f"Content-Type: message/delivery-status\n\nStatus: 5.1.1\n--{b}--\n"
        )
    return "\n".join(head) + "\n" + body


def write_mbox(path: Path, n: int, *, seed: int = 42, now: datetime = NOW, days: int = 30) -> Path:
    """Write `n` varied emails as one mbox file at `path`; return it."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for i in range(1, n + 1):
            message = _email(i, rng, now, days).replace("\nFrom ", "\n>From ")
            fh.write(f"From customer@example.com {now.strftime('%a %b %d %H:%M:%S %Y')}\n")
            fh.write(message.rstrip("\n") + "\n\n")
    return path
