"""Finding the known customers in a text: their names, e-mail addresses and handles, however
typed, for `db.redact`.

A customer's name is found however it is typed: in any case, without its accents ("Jose Nunez"
for José Núñez), and by any part of two letters or more ("As Li reported"). Only whole words
count, and a part that is also an English word ("Will", "Mark") or has two letters counts alone
only when capitalised and not joined to another word ("we will", "Li-ion"). The full name
counts however it is written; particles, titles and months ("van", "Mr", "May") never alone.
Plain substring search over folded text, not regexes: compiling a pattern per customer set
dominated the changelog.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

# Words that are also names: alone, such a part of a customer's name counts only when it is
# capitalised and a word of its own ("Will", not "we will"); the full name counts however typed.
COMMON = frozenset(
    """will mark bill rose grace hope joy faith frank art ray guy dawn summer pat sue rich jack can
    max min kit dot don drew gene jean dean earl grant chase hunter major noble reed sage lance
    chip buck bud dash hardy rob nick bob clay cliff dale glen brook forest river sky rain storm
    eve charity patience honor mercy kind said happy lucky sunny sandy rusty misty dusty jan
    long young brown white green black gray grey king prince duke baron bishop knight wood hill
    day page hunt cook baker smith price rice bell ball hall lane ward stone park wolf fox bird
    swift cash gold silver mason carter fisher turner parker walker barber butler porter potter
    archer weaver steel holly ivy iris lily daisy violet olive hazel fern heather penny amber
    ruby crystal pearl jade hart best bond love sharp west north little small short strong sweet
    wise bush rock sun moon star key field ford glass hay hood house law lord mills power read
    rush bin job gay ash bay lake marsh moss heath crane finch hawk swan drake nash cole bean
    banks hung sang son tan bang chance winter autumn spring""".split()  # noqa: SIM905 (a word list reads better as text)
)
# Particles, titles, short function words and months: never a customer on their own ("in May"
# is a date far more often than a person), though the full name and the other parts still are.
NEVER_ALONE = frozenset(
    """a an and as at be by da das de del della den der des di do dos du e el go he hi if in is
    it la le les lo me mr mrs ms dr jr sr my no of oh ok on or so st the to up us we y van von
    ter ten ii iii may june april august""".split()  # noqa: SIM905
)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


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


@dataclass(frozen=True)
class _Needle:
    """A folded literal's kind; a guarded one is also a word, so it counts only as a name."""

    kind: str
    guarded: bool = False


def _fold(text: str) -> str:
    """Return `text` lower-cased, without accents, with one kind of apostrophe."""
    if text.isascii():
        return text.lower()
    bare = unicodedata.normalize("NFKD", text)
    marks = {ord(c): None for c in set(bare) if unicodedata.combining(c)}
    return bare.translate(marks).casefold().replace("\u2019", "'")


def _origins(text: str) -> list[int]:
    """Return where each character of `_fold(text)` comes from in `text`, then len(text)."""
    return [i for i, ch in enumerate(text) for _ in _fold(ch)] + [len(text)]


def _name_needles(name: str) -> dict[str, _Needle]:
    """Return the full name and its parts ("Li-Wei" also gives "Li" and "Wei"), folded."""
    words = [_fold(word) for word in _NAME_WORD.findall(name)]
    found = {" ".join(words): _Needle("name")} if len(words) > 1 else {}
    for word in words:
        for part in (word, *re.split(r"['-]", word)):
            if len(part) >= 2 and part not in NEVER_ALONE:
                found.setdefault(part, _Needle("name", len(part) == 2 or part in COMMON))
    return found


@lru_cache(maxsize=1024)
def _needles(known: tuple[Known, ...]) -> dict[str, _Needle]:
    """Return the folded literals to find; an e-mail address beats a handle beats a name beats
    the user part of an address when they are the same."""
    local: dict[str, _Needle] = {}
    names: dict[str, _Needle] = {}
    handles: dict[str, _Needle] = {}
    emails: dict[str, _Needle] = {}
    for k in known:
        if k.email and k.email.strip():
            email = _fold(k.email.strip())
            emails[email] = _Needle("email")
            user = email.split("@", 1)[0]
            if len(user) >= 4:
                local[user] = _Needle("email")
        if k.handle and k.handle.strip().lstrip("@"):
            handles[_fold(k.handle.strip().lstrip("@"))] = _Needle("handle")
        if k.name:
            names.update(_name_needles(k.name))
    return local | names | handles | emails


def _occurrences(haystack: str, needle: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of `needle` in `haystack` standing as a whole word."""
    start = haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        before = haystack[start - 1] if start else " "
        after = haystack[end] if end < len(haystack) else " "
        if not (before.isalnum() or before in "_.") and not (after.isalnum() or after == "_"):
            yield start, end
        start = haystack.find(needle, start + 1)


def _joined(folded: str, start: int, end: int) -> bool:
    """Return whether a word is part of a longer one: "don't", "Li-ion", "O'Neil" (not "Li's")."""
    after, then = folded[end : end + 1], folded[end + 1 : end + 2]
    possessive = after == "'" and then == "s" and not folded[end + 2 : end + 3].isalpha()
    if after in ("-", "'") and then.isalpha() and not possessive:
        return True
    return start >= 2 and folded[start - 1] in "-'" and folded[start - 2].isalpha()


def known_findings(text: str, known: Iterable[Known]) -> list[Finding]:
    """Return where the known customers' names, addresses and handles appear in `text`."""
    # plain substring search, not regexes: compiling per customer set dominated the changelog
    needles = _needles(tuple(known))
    folded = _fold(text) if needles else ""
    where = None if text.isascii() else []  # filled at the first hit: most texts have none
    found = []
    for needle, spec in needles.items():
        for a, b in _occurrences(folded, needle):
            lead = 1 if a and folded[a - 1] == "@" else 0
            if where is None:
                start, end = a - lead, b
            else:
                where = where or _origins(text)
                start, end = where[a - lead], max(where[b], where[b - 1] + 1)
            if spec.guarded and (not text[start + lead].isupper() or _joined(folded, a, b)):
                continue  # "we will", "Li-ion": a word, not the customer
            found.append(Finding(spec.kind, text[start:end], start, end))
    return found
