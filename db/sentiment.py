"""A lean VADER: the VADER lexicon and its main rules over a fast word tokenizer.

`vaderSentiment`'s analyzer costs ~50 µs a tweet (it re-splits text and walks every rule for
every word); ingest must score tens of thousands of messages a second. This keeps what moves the
number — lexicon valence, boosters, negation within three words, "but" shifts weight to the
clause after it, exclamation marks — and VADER's own normalisation to a compound in [-1, 1].
It is one signal among several: a lexicon reads "get my money back?" as positive.
"""

from __future__ import annotations

import math
from functools import cache
from importlib.resources import files
from itertools import compress

from vaderSentiment.vaderSentiment import B_INCR, BOOSTER_DICT, N_SCALAR, NEGATE

# punctuation becomes a space; apostrophes inside words, £ $ € @ # & are kept
_KEEP = set("'£$€@#&_")
_SPLIT = str.maketrans(
    {c: " " for c in map(chr, range(33, 127)) if not c.isalnum() and c not in _KEEP}
)
_SPLIT.update({0x2019: "'", 0x2018: "'", 0x201C: " ", 0x201D: " ", 0x2026: " "})
_NEGATE = frozenset(NEGATE) | {w.replace("'", "") for w in NEGATE} | {"never", "no", "nobody"}
_ALPHA = 15.0  # VADER's normalisation constant
_BUT = object()  # marks a "but" among the valences


@cache
def lexicon() -> dict[str, float]:
    """Return VADER's word -> valence map (loaded once per process)."""
    path = files("vaderSentiment") / "vader_lexicon.txt"
    out: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            out[parts[0]] = float(parts[1])
    return out


_LEX: dict[str, float] = {}


def _load() -> dict[str, float]:
    _LEX.update(lexicon())
    return _LEX


# the same table for ASCII text as bytes: bytes.translate is far faster than str.translate
_SPLIT_ASCII = bytes(ord(_SPLIT.get(i, chr(i))) for i in range(128)) + bytes(range(128, 256))


def tokens(text: str) -> list[str]:
    """Return the lowercase words of `text` (apostrophes kept inside words)."""
    low = text.lower()
    if low.isascii():
        split = low.encode("ascii").translate(_SPLIT_ASCII).decode("ascii").split()
    else:
        split = low.translate(_SPLIT).split()
    if "'" not in text and "\u2019" not in text and "\u2018" not in text:
        return split  # nothing to strip: most texts
    return [w.strip("'") for w in split]


def compound(words: list[str], *, exclamations: int = 0) -> float:
    """Return VADER's compound valence of a tokenised text, in [-1, 1]."""
    lex = _LEX or _load()
    valences = list(map(lex.get, words))  # one C-level pass; no lexicon valence is zero
    if "but" in words:  # VADER: the clause after "but" dominates
        for i, word in enumerate(words):
            if word == "but":
                valences[i] = _BUT
    total = 0.0
    weight = 1.0
    for i in compress(range(len(words)), valences):
        valence = valences[i]
        if valence is _BUT:
            total *= 0.5
            weight = 1.5
            continue
        prev = words[max(0, i - 3) : i]
        if prev and prev[-1] in BOOSTER_DICT:
            valence += math.copysign(B_INCR, valence)
        if not _NEGATE.isdisjoint(prev):
            valence *= N_SCALAR
        total += valence * weight
    if total:
        total += math.copysign(min(exclamations, 4) * 0.292, total)
    return total / math.sqrt(total * total + _ALPHA)
