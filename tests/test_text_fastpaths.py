"""The fast text passes (C-level pre-passes, a substring test for names) against plain reference
definitions of what they compute, on generated text."""

from __future__ import annotations

import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import B_INCR, BOOSTER_DICT, N_SCALAR

from db.cues import CUES, find_cues
from db.sentiment import _NEGATE, compound, lexicon, tokens
from db.signature import _is_name

# capitalised inside a sentence: not at the start, not after ". ", "! " or "? "
NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}")
PIECES = st.sampled_from(
    ["Harbour", "harbour", "Road", "road", "Harbours", "Ha", "the", "but", "not", "very",
     "good", "bad", "still waiting", "no reply", "money back", "charged twice", "no", ".",
     "!", "?", ". ", "\n", " ", "_", "9", "Harbour9", "é", "Éclair", "refund", "never again"]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=30).map(" ".join) | st.text(max_size=60)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from(["harbour", "road", "eclair", "the"]))
def test_is_name_agrees_with_the_capitalised_word_pattern(text, word):
    expected = word in {w.lower() for w in NAME.findall(text)}
    assert _is_name(text, word[0].upper() + word[1:]) == expected


def reference_cues(words: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    longest = max(len(p.split()) for p in CUES)
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + longest) + 1):
            gram = " ".join(words[i:j])
            for kind in CUES.get(gram, ()):
                hits = found.setdefault(kind, [])
                if gram not in hits:
                    hits.append(gram)
    return found


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_find_cues_finds_every_phrase_at_every_position(text):
    words = tokens(text)
    assert find_cues(words) == reference_cues(words)


def reference_compound(words: list[str], exclamations: int) -> float:
    lex, total, weight = lexicon(), 0.0, 1.0
    for i, word in enumerate(words):
        if word == "but":
            total, weight = total * 0.5, 1.5
        elif word in lex:
            valence, prev = lex[word], words[max(0, i - 3) : i]
            if prev and prev[-1] in BOOSTER_DICT:
                valence += math.copysign(B_INCR, valence)
            if any(p in _NEGATE for p in prev):
                valence *= N_SCALAR
            total += valence * weight
    if total:
        total += math.copysign(min(exclamations, 4) * 0.292, total)
    return total / math.sqrt(total * total + 15.0)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_compound_is_the_plain_vader_sum(text):
    words = tokens(text)
    n = text.count("!")
    assert compound(words, exclamations=n) == reference_compound(words, n)
