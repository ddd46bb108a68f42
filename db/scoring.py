"""Explainable notability: a sum of named factors, each with a reason a CEO can read.

`score_message` is pure: a message row (Message column names), the company context (own
accounts, CEO addresses, VIPs) and the sender's contact facts in; a `Notability` out. Factors:
complaint intent and tone (VADER is one signal; cue phrases catch what it misreads), severity
(safety, privacy, legal or regulator, press, money lost), churn (refunds, threats to leave), reach
and engagement (log-scaled), escalation (repeat contact, the CEO as recipient), customer value
(VIPs), and notable praise. Noise (auto-replies, bulk mail, bounces, spam, job applications,
vendor pitches, our own accounts, retweets) scores zero. Theme volume is added at feed time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from db.cues import find_cues
from db.memo import Memo
from db.sentiment import compound, tokens
from db.signals import Context, cue_noise, escalation, reach_text, sender_noise

COMPLAINT_WEIGHT = 2.0
SEVERITY_WEIGHTS = {
    "safety": 4.0,
    "privacy": 3.5,
    "legal": 3.0,
    "press": 2.5,
    "money": 2.0,
    "vulnerable": 1.5,
}
SEVERITY_LABELS = {
    "safety": "safety",
    "privacy": "privacy / data exposure",
    "legal": "legal or regulator threat",
    "press": "press enquiry",
    "money": "money lost",
    "vulnerable": "vulnerable customer",
}
REFUND_WEIGHT = 1.5
LEAVE_WEIGHT = 2.0
ULTIMATUM_WEIGHT = 0.5
FOLLOWERS_WEIGHT = 0.8  # per factor of ten above 1,000 followers
ENGAGEMENT_WEIGHT = 1.0  # per factor of ten above ~30 interactions
VERIFIED_WEIGHT = 0.3
PRAISE_WEIGHT = 1.5
VIRAL_WEIGHT = 1.5
VIRAL_INTERACTIONS = 10_000  # likes + replies + reposts + quotes
NEUTRAL_REACH_SHARE = (
    0.3  # reach counts this much on a message that is neither complaint nor praise
)
SENTIMENT_COMPLAINT_PULL = 0.6


_COMPLAINT_KINDS = frozenset({"sarcasm", "money", "refund", "leave", "safety", "privacy", "legal"})
_CHURN_KINDS = frozenset({"money", "refund", "leave", "repeat"})
_DANGER_KINDS = frozenset({"safety", "privacy", "legal"})
_IRONY = frozenset({"irony", "problem", "intensifier"})  # "oh great, it broke again"
_EVIDENCE_ORDER = ("problem", "sarcasm", "money", "safety", "privacy", "legal", "refund", "leave")


class Notability(NamedTuple):
    """The score of one message, its reasons (strongest first), tone and complaint strength.

    Immutable like a frozen dataclass, and built several times faster: one is made a message.
    """

    score: float
    reasons: list[str]
    sentiment: float
    complaint: float
    is_noise: bool


def _evidence(hits: list[str], most: int = 3) -> str:
    """Return up to `most` matched phrases, leaving out words inside a longer match."""
    if len(hits) == 1:
        return hits[0]
    kept = [h for h in hits if not any(h != o and f" {h} " in f" {o} " for o in hits)]
    return ", ".join(kept[:most])


def _complaint(cues: dict[str, list[str]], *, question: bool) -> float:
    """Return complaint strength in [0, 1] from cue counts."""
    problems = len(cues.get("problem", ())) + len(cues.get("sarcasm", ()))
    if not problems and not cues.keys() & _COMPLAINT_KINDS:
        return 0.0
    total = problems + 0.5 * len(cues.get("intensifier", ())) + 0.5 * len(cues.get("demand", ()))
    total += 0.7 * len(cues.keys() & _CHURN_KINDS) + len(cues.keys() & _DANGER_KINDS)
    if question and problems:
        total += 0.5
    return min(1.0, total / 3.0)


def _severity(cues: dict[str, list[str]], parts: list[tuple[float, str]]) -> bool:
    if cues.keys().isdisjoint(SEVERITY_WEIGHTS):
        return False
    hit = False
    for kind, weight in SEVERITY_WEIGHTS.items():
        if kind in cues:
            hit = True
            parts.append((weight, f"{SEVERITY_LABELS[kind]}: {_evidence(cues[kind])}"))
    return hit


def _churn(cues: dict[str, list[str]], parts: list[tuple[float, str]]) -> None:
    if "leave" in cues:
        extra = ULTIMATUM_WEIGHT if "ultimatum" in cues else 0.0
        parts.append(
            (LEAVE_WEIGHT + extra, f"threatens to leave — churn risk ({cues['leave'][0]})")
        )
    elif "refund" in cues:
        text = f"asks for money back — churn risk ({_evidence(cues['refund'], 2)})"
        parts.append((REFUND_WEIGHT, text))


def _reach(msg: Mapping[str, Any], verified: bool, *, relevant: bool) -> float:
    """Return reach points: audience (discounted unless complaint or praise) plus engagement."""
    followers = msg.get("followers") or 0
    engaged = (msg.get("likes") or 0) + (msg.get("replies") or 0)
    engaged += 2 * ((msg.get("reposts") or 0) + (msg.get("quotes") or 0))
    audience = FOLLOWERS_WEIGHT * max(0.0, math.log10(followers + 1) - 3.0)
    audience += VERIFIED_WEIGHT if verified else 0.0
    # people reacting in numbers matter whatever the tone; a big audience alone matters less
    share = 1.0 if relevant else NEUTRAL_REACH_SHARE
    return share * audience + ENGAGEMENT_WEIGHT * max(0.0, math.log10(engaged + 1) - 1.5)


class TextFacts(NamedTuple):
    """What scoring reads from a message's text alone, computed once per distinct text.

    Immutable like a frozen dataclass, and built ~6x faster: one is made for every message.
    """

    words: list[str]
    cues: dict[str, list[str]]
    tone: float
    complaint: float
    sentiment: float  # tone pulled down by complaint, rounded as stored
    noise: str | None  # spam, job application or vendor pitch by its words
    parts: tuple[tuple[float, str], ...]  # complaint, severity and churn factors
    severe: bool


# text -> facts: copies, retweets and templates repeat, close together; ~1.5 kB an entry, and
# a generation holds more than an import batch (analysed ahead, read back when it is scored)
_FACTS = Memo(10_000)


def message_text(msg: Mapping[str, Any]) -> str:
    """Return the text a message is analysed by: its subject and body (the memos' key)."""
    return f"{msg.get('subject') or ''}\n{msg.get('body') or ''}"


def text_facts(text: str) -> TextFacts:
    """Return the text-only facts of `text`, memoised (pure in the text; callers never mutate)."""
    found = _FACTS.get(text)
    if found is None:
        found = _text_facts(text)
        _FACTS.put(text, found)
    return found


def _text_facts(text: str) -> TextFacts:
    words = tokens(text)
    cues = find_cues(words)
    tone = compound(words, exclamations=text.count("!"))
    if not cues:  # no cue phrase: no complaint, severity, churn or noise by words
        return TextFacts(
            words, cues, tone, 0.0, round(max(-1.0, min(1.0, tone)), 3), None, (), False
        )
    if tone > 0 and ("sarcasm" in cues or cues.keys() >= _IRONY):
        tone = -tone  # its praise words are the complaint: never "praise with reach"
    complaint = _complaint(cues, question="?" in text)
    sentiment = round(max(-1.0, min(1.0, tone - SENTIMENT_COMPLAINT_PULL * complaint)), 3)
    parts: list[tuple[float, str]] = []
    if complaint > 0:
        shown = next((cues[k] for k in _EVIDENCE_ORDER if k in cues), [])
        parts.append((COMPLAINT_WEIGHT * complaint, f"complaint: {_evidence(shown)}"))
    severe = _severity(cues, parts)
    _churn(cues, parts)
    noise = cue_noise(cues)
    return TextFacts(words, cues, tone, complaint, sentiment, noise, tuple(parts), severe)


def score_message(
    msg: Mapping[str, Any],
    *,
    ctx: Context,
    contact: Mapping[str, Any] | None = None,
    facts: TextFacts | None = None,
) -> Notability:
    """Score one message row; pure. `facts`: its `text_facts`, if the caller has them."""
    if facts is None:
        facts = text_facts(message_text(msg))
    cues, tone, complaint = facts.cues, facts.tone, facts.complaint
    noise = sender_noise(msg, ctx=ctx) or facts.noise
    if noise:
        return Notability(0.0, [noise], facts.sentiment, round(complaint, 3), True)
    parts = [*facts.parts, *escalation(msg, cues, ctx=ctx, contact=contact)]
    praise = complaint < 0.3 and tone >= 0.5
    verified = bool((contact or {}).get("verified") or (msg.get("headers") or {}).get("verified"))
    reach = _reach(msg, verified, relevant=complaint >= 0.3 or praise or facts.severe)
    if reach >= 0.3:
        parts.append((reach, reach_text(msg, verified)))
    interactions = sum(msg.get(k) or 0 for k in ("likes", "replies", "reposts", "quotes"))
    if interactions >= VIRAL_INTERACTIONS:
        parts.append((VIRAL_WEIGHT, f"viral: {interactions:,} interactions"))
    if praise and reach >= 1.0:
        parts.append((PRAISE_WEIGHT, "praise with reach — worth sharing with the team"))
    parts.sort(key=lambda p: -p[0])
    score = round(sum(p for p, _ in parts), 2)
    return Notability(score, [r for _, r in parts], facts.sentiment, round(complaint, 3), False)
