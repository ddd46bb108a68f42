"""Scrub public text of anything that identifies a customer.

Pure functions over strings: e-mail addresses, @handles, phone numbers, order and ticket
numbers, street addresses, and the names, e-mail addresses and handles of the customers passed
in as `known` (the contacts linked to the item who did not agree to be named). `find_pii` feeds
the warning shown before publishing; `redact` is applied to every public rendering, so a slip
in the public text never reaches the "What we changed" log.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

LABELS = {
    "email": "[email removed]",
    "handle": "[handle removed]",
    "phone": "[phone removed]",
    "order": "[number removed]",
    "address": "[address removed]",
    "name": "[name removed]",
}

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@/])@\w{1,30}\b")
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
_ORDER = re.compile(
    r"(?i:\b(?:order|booking|ticket|invoice|reference|ref|case|account|reservation|confirmation)"
    r"(?:\s*(?:no\.?|number|nr\.?|id))?\s*[:#]?\s*)#?[A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*"
    r"|#\d{4,}\b"
    r"|\b[A-Z]{2,5}[-_]?\d{5,}[-A-Z0-9]*\b"
)
_STREET = (
    r"Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|Place|Pl"
    r"|Terrace|Close|Crescent|Square|Sq"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,5}}[a-z]?\s+(?:[A-Z][\w'-]+\s+){{1,3}}(?:{_STREET})\b\.?"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|allee|platz)\s+\d{1,4}[a-z]?\b"
)


@dataclass(frozen=True)
class Known:
    """A customer whose details must not appear: display name, e-mail address, handle."""

    name: str | None = None
    email: str | None = None
    handle: str | None = None


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text, with its span."""

    kind: str
    text: str
    start: int
    end: int


def _phone_ok(match: str) -> bool:
    digits = sum(c.isdigit() for c in match)
    if not 7 <= digits <= 15 or _DATE.match(match.strip()):
        return False
    return not re.fullmatch(r"[\d.]+", match)  # dotted version numbers are not phones


@lru_cache(maxsize=1024)
def _literals(known: tuple[Known, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Return (case-insensitive, case-sensitive) literals to find, each mapped to its kind."""
    loose: dict[str, str] = {}
    exact: dict[str, str] = {}
    for k in known:
        if k.email:
            loose[k.email.lower()] = "email"
            local = k.email.split("@", 1)[0].lower()
            if len(local) >= 4:
                loose.setdefault(local, "email")
        if k.handle:
            loose[k.handle.lstrip("@").lower()] = "handle"
        if k.name and k.name.strip():
            loose[k.name.strip().lower()] = "name"
            for part in k.name.replace(",", " ").split():
                if len(part) >= 3 and part[0].isupper():
                    exact[part] = "name"
    return loose, exact


def _occurrences(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Return spans of `needle` in `haystack` standing as a whole word (an '@' may lead)."""
    spans, start = [], haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        before = haystack[start - 1] if start else " "
        after = haystack[end] if end < len(haystack) else " "
        if not (before.isalnum() or before in "_.") and not (after.isalnum() or after == "_"):
            lead = 1 if before == "@" else 0
            spans.append((start - lead, end))
        start = haystack.find(needle, start + 1)
    return spans


def _known_findings(text: str, known: Iterable[Known]) -> list[Finding]:
    # plain substring search, not regexes: compiling per customer set dominated the changelog
    loose, exact = _literals(tuple(known))
    lowered = text.lower()
    found = []
    for literals, haystack in ((loose, lowered), (exact, text)):
        for needle, kind in literals.items():
            found += [Finding(kind, text[a:b], a, b) for a, b in _occurrences(haystack, needle)]
    return found


def find_pii(text: str, *, known: Iterable[Known] = ()) -> list[Finding]:
    """Return the personal data found in `text`, in order, without overlaps."""
    candidates = _known_findings(text, known)
    generic = [("email", _EMAIL), ("handle", _HANDLE), ("order", _ORDER), ("address", _ADDRESS)]
    for kind, pattern in generic:
        for m in pattern.finditer(text):
            candidates.append(Finding(kind, m.group(0), m.start(), m.end()))
    for m in _PHONE.finditer(text):
        if _phone_ok(m.group(0)):
            candidates.append(Finding("phone", m.group(0), m.start(), m.end()))
    # longest match first at each position, then drop anything overlapping a kept finding
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for f in candidates:
        if not kept or f.start >= kept[-1].end:
            kept.append(f)
        elif f.end > kept[-1].end:
            last = kept.pop()
            kept.append(Finding(last.kind, text[last.start : f.end], last.start, f.end))
    return kept


def redact(text: str, *, known: Iterable[Known] = ()) -> str:
    """Return `text` with every finding replaced by a neutral label."""
    if not text:
        return text
    parts: list[str] = []
    pos = 0
    for f in find_pii(text, known=known):
        parts += [text[pos : f.start], LABELS[f.kind]]
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def describe(findings: Iterable[Finding]) -> list[str]:
    """Return one plain-English line per finding, for the pre-publish warning."""
    names = {"email": "an email address", "handle": "a social handle", "phone": "a phone number"}
    names |= {"order": "an order or ticket number", "address": "a street address"}
    names["name"] = "a customer's name"
    return [f"{names[f.kind]}: “{f.text}”" for f in findings]
