"""Write the labelled evaluation days of the morning feed as real input files.

Each day is a folder with `tweets.json` (X API v2 response), `mail.mbox`, `settings.json` (the
company's own handles, domains, CEO address and VIPs) and `labels.json` (external_id ->
{"notable": bool, "incident": name or null}). The message texts and the labels live in the
`day_*.py` modules; this file only renders them. Deterministic: run it again and the files are
identical. Run by hand: `python tests/data/feed/build_days.py`.
"""

from __future__ import annotations

import json
import mailbox
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).parent


@dataclass
class T:
    """One tweet of a day."""

    handle: str
    name: str
    followers: int
    text: str
    at: str = "09:00"
    likes: int = 0
    rts: int = 0
    replies: int = 0
    quotes: int = 0
    verified: bool = False
    incident: str | None = None
    retweet: bool = False


@dataclass
class E:
    """One email of a day."""

    sender: str
    name: str
    subject: str
    body: str
    at: str = "09:00"
    to: str = ""
    incident: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    refs: int = 0
    bounce: bool = False


@dataclass
class Day:
    slug: str
    day: date
    company: str
    domain: str
    settings: dict
    messages: list[T | E]


def _when(day: date, hhmm: str) -> datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(h, m), tzinfo=UTC)


def _tweets(d: Day, rng: random.Random) -> tuple[dict, dict]:
    data, users, labels = [], {}, {}
    for i, t in enumerate(m for m in d.messages if isinstance(m, T)):
        tid = str(1850000000000000000 + d.day.toordinal() * 1000 + i)
        uid = users.setdefault(t.handle, (str(900000 + len(users)), t))[0]
        tweet = {
            "id": tid,
            "text": t.text,
            "author_id": uid,
            "created_at": _when(d.day, t.at).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "lang": "en",
            "conversation_id": tid,
            "public_metrics": {
                "retweet_count": t.rts,
                "reply_count": t.replies,
                "like_count": t.likes,
                "quote_count": t.quotes,
            },
        }
        if t.retweet:
            tweet["referenced_tweets"] = [{"type": "retweeted", "id": str(rng.getrandbits(60))}]
        data.append(tweet)
        labels[tid] = {"notable": t.incident is not None, "incident": t.incident}
    includes = [
        {
            "id": uid,
            "username": t.handle,
            "name": t.name,
            "verified": t.verified,
            "public_metrics": {"followers_count": t.followers, "following_count": 300},
        }
        for uid, t in users.values()
    ]
    return {"data": data, "includes": {"users": includes}}, labels


def _email(d: Day, e: E, i: int) -> tuple[EmailMessage, str]:
    mid = f"{d.slug}-{i:03d}@{e.sender.split('@')[1]}"
    msg = EmailMessage()
    msg["From"] = f"{e.name} <{e.sender}>" if e.name else e.sender
    msg["To"] = e.to or f"help@{d.domain}"
    msg["Subject"] = e.subject
    msg["Date"] = format_datetime(_when(d.day, e.at))
    msg["Message-ID"] = f"<{mid}>"
    if e.refs:
        refs = [f"<{d.slug}-{i:03d}-prev{k}@{e.sender.split('@')[1]}>" for k in range(e.refs)]
        msg["In-Reply-To"] = refs[-1]
        msg["References"] = " ".join(refs)
    for k, v in e.headers.items():
        msg[k] = v
    if e.bounce:
        msg.set_content(e.body)
        msg.make_mixed()
        report = EmailMessage()
        report.set_content("Reporting-MTA: dns; mx.example.net\nAction: failed\nStatus: 5.1.1\n")
        msg.attach(report)
        msg.replace_header("Content-Type", 'multipart/report; report-type="delivery-status"')
    else:
        msg.set_content(e.body)
    return msg, mid


def write_day(d: Day) -> None:
    """Render one day into its folder."""
    out = HERE / d.slug
    out.mkdir(exist_ok=True)
    rng = random.Random(42)
    tweets, labels = _tweets(d, rng)
    (out / "tweets.json").write_text(json.dumps(tweets, indent=1) + "\n", encoding="utf-8")
    box_path = out / "mail.mbox"
    box_path.unlink(missing_ok=True)
    box = mailbox.mbox(str(box_path))
    for i, e in enumerate(m for m in d.messages if isinstance(m, E)):
        msg, mid = _email(d, e, i)
        entry = mailbox.mboxMessage(msg)
        entry.set_from(e.sender, _when(d.day, e.at).timetuple())
        box.add(entry)
        labels[mid] = {"notable": e.incident is not None, "incident": e.incident}
    box.flush()
    box.close()
    settings = {"company_name": d.company, **d.settings}
    (out / "settings.json").write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    (out / "labels.json").write_text(json.dumps(labels, indent=1) + "\n", encoding="utf-8")
    notable = sum(v["notable"] for v in labels.values())
    incidents = {v["incident"] for v in labels.values() if v["incident"]}
    print(f"{d.slug}: {len(labels)} messages, {notable} notable, {len(incidents)} incidents")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    # import through the module name so the day files and this script share one `T` and `E`
    from build_days import write_day as write
    from day_airline import DAY as AIRLINE
    from day_broadband import DAY as BROADBAND
    from day_delivery import DAY as DELIVERY

    for the_day in (BROADBAND, DELIVERY, AIRLINE):
        write(the_day)
