"""Who sent a message and how: the company context, noise detection, escalation and reach text.

Helpers of `db.scoring`, pure. `Context` is built once per batch from the settings (own handles
and domains, the CEO's addresses, VIP lists) so scoring never touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from db.cues import NUMBER_WORDS, ORDINALS

CEO_WEIGHT = 2.5
VIP_WEIGHT = 2.5
REPEAT_WEIGHT = 1.0  # per earlier contact, at most three
TENURE_WEIGHT = 0.1  # per year as a customer ...
TENURE_MAX = 1.0  # ... at most this much
TENURE_MIN_YEARS = 3
SPAM_MIN_CUES = 2  # one cue word ("prize", "demo") is not enough to throw a message away
_ORDINAL_NAMES = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
_RT = re.compile(r"^rt @([a-z0-9_]+)", re.I)
_BULK_PRECEDENCE = {"bulk", "list", "junk"}
_NOISE_KINDS = frozenset({"spam", "job", "vendor"})
_AUTO_SUBJECTS = ("automatic reply", "auto:", "autoreply", "out of office", "auto-reply")


@dataclass(frozen=True)
class Context:
    """The company facts scoring needs, from the settings."""

    own_handles: frozenset[str] = frozenset()
    own_domains: frozenset[str] = frozenset()
    ceo_addresses: frozenset[str] = frozenset()
    vip_emails: frozenset[str] = frozenset()
    vip_handles: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Context:
        """Build from a settings dict (missing keys mean empty)."""

        def norm(key: str) -> frozenset[str]:
            return frozenset(str(v).strip().lower().lstrip("@") for v in settings.get(key) or ())

        return cls(*(norm(k) for k in ("own_handles", "own_domains", "ceo_addresses")),
                   norm("vip_emails"), norm("vip_handles"))  # fmt: skip

    def is_own_address(self, address: str) -> bool:
        """Return whether an email address belongs to one of the company's domains."""
        domain = address.rpartition("@")[2]
        return bool(domain) and any(
            domain == d or domain.endswith("." + d) for d in self.own_domains
        )


def _mail_noise(msg: Mapping[str, Any], sender: str) -> str | None:
    h = msg.get("headers") or {}
    subject = (msg.get("subject") or "").lower()
    auto = str(h.get("auto_submitted") or "").lower()
    if (auto and auto != "no") or h.get("precedence") == "auto_reply":
        return "noise: auto-reply"
    if subject.startswith(_AUTO_SUBJECTS):
        return "noise: auto-reply"
    if h.get("content_type") == "multipart/report" or sender.startswith(
        ("mailer-daemon@", "postmaster@")
    ):
        return "noise: bounce"
    if h.get("list_unsubscribe") or h.get("list_id"):
        return "noise: bulk mail (List-Unsubscribe)"
    if str(h.get("precedence") or "").lower() in _BULK_PRECEDENCE:
        return "noise: bulk mail (Precedence)"
    return None


def noise_reason(
    msg: Mapping[str, Any],
    cues: Mapping[str, list[str]],
    *,
    ctx: Context,
    contact: Mapping[str, Any] | None = None,
) -> str | None:
    """Return why a message is noise, or None if it is not."""
    return sender_noise(msg, ctx=ctx) or cue_noise(cues)


def cue_noise(cues: Mapping[str, list[str]]) -> str | None:
    """Return why the words of a message make it noise (spam, job, vendor), or None."""
    if cues.keys().isdisjoint(_NOISE_KINDS):
        return None
    for kind, label in (("spam", "spam"), ("job", "job application"), ("vendor", "vendor pitch")):
        if len(cues.get(kind, ())) >= SPAM_MIN_CUES and "safety" not in cues:
            return f"noise: {label}"
    return None


def sender_noise(msg: Mapping[str, Any], *, ctx: Context) -> str | None:
    """Return why who sent a message, or how, makes it noise; None if nothing does."""
    sender = (msg.get("sender") or "").lower()
    if msg.get("channel") == "email":
        found = _mail_noise(msg, sender)
        if found:
            return found
        if ctx.is_own_address(sender):
            return "noise: our own address"
    elif sender in ctx.own_handles:
        return f"noise: our own account @{sender}"
    elif (msg.get("headers") or {}).get("own_account"):
        return "noise: our own post (from our X archive)"
    if msg.get("is_retweet"):
        m = _RT.match(msg.get("body") or "")
        who = m.group(1).lower() if m else ""
        return f"noise: retweet of our @{who}" if who in ctx.own_handles else "noise: a retweet"
    return None


def _contact_number(msg: Mapping[str, Any], cues: Mapping[str, list[str]]) -> int:
    """Return which contact about this one this is (1 = first), from the thread and the text."""
    n = 1
    if msg.get("channel") == "email":  # a tweet's reply joins a conversation, not a repeat
        n += len(msg.get("references") or ()) or (1 if msg.get("in_reply_to") else 0)
    for phrase in cues.get("repeat", ()):
        first = phrase.split()[0]
        if first in ORDINALS:
            n = max(n, ORDINALS[first])
        elif phrase.split()[-1] == "times" and first != "three":
            n = max(n, NUMBER_WORDS.get(phrase.split()[1], 2))
        elif "three times" in phrase:
            n = max(n, 3)
    return n


def _tenure(msg: Mapping[str, Any], contact: Mapping[str, Any] | None) -> int:
    """Return whole years the sender has been a customer when the message arrived."""
    since = (contact or {}).get("customer_since")
    at = msg.get("received_at")
    if since is None or at is None:
        return 0
    return at.year - since.year - ((at.month, at.day) < (since.month, since.day))


def escalation(
    msg: Mapping[str, Any],
    cues: Mapping[str, list[str]],
    *,
    ctx: Context,
    contact: Mapping[str, Any] | None = None,
) -> list[tuple[float, str]]:
    """Return the escalation and customer-value factors: CEO, VIP, tenure, repeat contact."""
    out: list[tuple[float, str]] = []
    if ctx.ceo_addresses and not ctx.ceo_addresses.isdisjoint(
        str(r).lower() for r in msg.get("recipients") or ()
    ):
        out.append((CEO_WEIGHT, "addressed to the CEO"))
    sender = (msg.get("sender") or "").lower()
    tier = int((contact or {}).get("vip_tier") or 0)
    if tier > 0 or sender in ctx.vip_emails or sender in ctx.vip_handles:
        out.append((VIP_WEIGHT * (1 + 0.2 * max(0, tier - 1)), "VIP customer"))
    years = _tenure(msg, contact)
    if years >= TENURE_MIN_YEARS:
        out.append((min(TENURE_MAX, TENURE_WEIGHT * years), f"customer for {years} years"))
    n = _contact_number(msg, cues)
    if n >= 2:
        name = _ORDINAL_NAMES.get(n, f"{n}th")
        unanswered = any("reply" in p or "waiting" in p for p in cues.get("repeat", ()))
        what = "email" if msg.get("channel") == "email" else "message"
        text = f"{name} {what}, no reply yet" if unanswered else f"{name} {what} about this"
        out.append((REPEAT_WEIGHT * min(3, n - 1), f"repeat contact: {text}"))
    return out


def _short(n: int) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size:
            return f"{n / size:.1f}".rstrip("0").rstrip(".") + suffix
    return str(n)


def reach_text(msg: Mapping[str, Any], verified: bool) -> str:
    """Return 'reach: 2.1M followers, 21.4k likes, 2.3k reposts' for a message."""
    bits = [f"{_short(msg.get('followers') or 0)} followers"]
    for key, label in (("likes", "likes"), ("reposts", "reposts"), ("replies", "replies")):
        if (msg.get(key) or 0) >= 10:
            bits.append(f"{_short(msg[key])} {label}")
    return "reach: " + ", ".join(bits) + (" (verified)" if verified else "")
