"""Scrub public text of anything that identifies a customer.

Pure functions over strings: e-mail addresses, @handles, phone numbers, order and ticket
numbers, street addresses, and the names, e-mail addresses and handles of the customers passed
in as `known` (the contacts linked to the item who did not agree to be named). `find_pii` feeds
the warning shown before publishing; `redact` is applied to every public rendering, so a slip
in the public text never reaches the "What we changed" log.

The known customers are found by `db.namematch`, however their names are typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from db.namematch import Finding, Known, known_findings

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


def _phone_ok(match: str) -> bool:
    digits = sum(c.isdigit() for c in match)
    if not 7 <= digits <= 15 or _DATE.match(match.strip()):
        return False
    return not re.fullmatch(r"[\d.]+", match)  # dotted version numbers are not phones


def find_pii(text: str, *, known: Iterable[Known] = ()) -> list[Finding]:
    """Return the personal data found in `text`, in order, without overlaps."""
    candidates = known_findings(text, known)
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
    return _replace(text, find_pii(text, known=known)) if text else text


def _replace(text: str, findings: list[Finding]) -> str:
    parts: list[str] = []
    pos = 0
    for f in findings:
        if f.start >= pos:  # in order; a finding inside one already replaced is gone with it
            parts += [text[pos : f.start], LABELS[f.kind]]
            pos = f.end
    parts.append(text[pos:])
    return "".join(parts)


def redact_known(text: str, *, known: Iterable[Known]) -> str:
    """Return `text` with only the `known` customers' names, addresses and handles replaced:
    for a customer's own words quoted back to them, where their other details may stay."""
    return _replace(text, sorted(known_findings(text, known), key=lambda f: f.start))


def describe(findings: Iterable[Finding]) -> list[str]:
    """Return one plain-English line per finding, for the pre-publish warning."""
    names = {"email": "an email address", "handle": "a social handle", "phone": "a phone number"}
    names |= {"order": "an order or ticket number", "address": "a street address"}
    names["name"] = "a customer's name"
    return [f"{names[f.kind]}: “{f.text}”" for f in findings]
