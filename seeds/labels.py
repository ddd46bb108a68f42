"""What each demo message is, for tests and tuning of the feed on a realistic month.

`labels()` maps every demo message (channel, external_id) to its story: one of `STORIES`, or
"noise" (auto-replies, bulk mail, bounces, spam, jobs, vendors, our own accounts and retweets
of them), "hostile" (script tags, Markdown images, phishing links) or "other" (everyday mail).
"""

from __future__ import annotations

from seeds.build import message_id, tweet_objects
from seeds.mails import MAILS
from seeds.posts import POSTS

STORIES = ("parking", "screen", "bins", "shirt", "cinema", "flight", "callcentre")
OWN_HANDLES = frozenset({"voltra", "voltracharge", "voltracare", "voltraair", "erin_at_voltra"})
BOUNCE_ID = "dsn.7c41e09b22f5a6d3@mx1.voltra.example"

_PREFIXES = (
    (("park", "pk_"), "parking"),
    (("screen", "scr_"), "screen"),
    (("bin_r",), "noise"),
    (("bin_e", "bins"), "bins"),
    (("shirt",), "shirt"),
    (("cine", "cin_e"), "cinema"),
    (("fly_e1", "fly_e4"), "flight"),
    (("call", "care", "old_call"), "callcentre"),
    (("xss", "mdimg"), "hostile"),
    (("rt", "announce", "ooo", "news", "vend", "spam", "job", "int", "old_news", "old_spam"),
     "noise"),
)  # fmt: skip


def story_of(key: str) -> str:
    """Return the story a demo message key belongs to."""
    for prefixes, story in _PREFIXES:
        if key.startswith(prefixes):
            return story
    return "other"


def labels() -> dict[tuple[str, str], str]:
    """Return (channel, external_id) -> story for every demo message."""
    found = {("email", BOUNCE_ID): "noise"}
    for m in MAILS:
        found[("email", message_id(m).strip("<>"))] = story_of(m["key"])
    for post, tweet in zip(POSTS, tweet_objects(), strict=True):
        own = post["handle"] in OWN_HANDLES
        found[("tweet", tweet["id"])] = "noise" if own else story_of(post["key"])
    return found
