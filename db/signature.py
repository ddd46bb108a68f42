"""What a message is about: its signature terms and the pair keys themes are matched by.

Pure functions. Signature terms are a message's content words with stop words, complaint
vocabulary ("how", not "what"), handles and the company's own names removed, and common
customer-service synonyms folded together (broadband, wifi and internet are one term); codes such
as postcodes and flight numbers lead, then concepts and hazards, then names, then other words.
Word-level work is memoised: a feed's vocabulary is small next to its volume.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import combinations, compress

from db.cues import CUES
from db.memo import Memo
from db.sentiment import tokens

MAX_TERMS = 6  # pairs of the first six terms: at most fifteen candidate keys a message
_FOLDS = """internet: broadband internet wifi wi-fi connection fibre fiber
    outage: outage down offline
    payment: charged charge payment payments debit billed paid checkout
    smoke: smoke smoking smoky burning burnt fire
    refund: refund refunded refunds
    cancelled: cancelled canceled cancellation cancel
    late: late delayed delay delays
    crash: crash crashes crashing crashed
    app: app application
    flight: flight flights plane
    order: order orders delivery deliveries"""
SYNONYMS = {w: line.split(":")[0].strip() for line in _FOLDS.splitlines() for w in line.split()[1:]}
STOP = frozenset(
    """the and for you your yours our ours with this that have has had was were are is been be
    not but all any can could would should will just from into out about over than then them
    they their there here what when where which who why how its it's i'm i've i'd you're we're
    don't doesn't didn't won't can't isn't wasn't aren't haven't hasn't couldn't also very
    really still again today tonight yesterday morning evening now ever never since because
    thanks thank please help hello dear anyone everyone someone nobody else get got getting
    going want need know think make made take took one two three four five six first last
    time times hour hours day days week weeks month months year years minutes mins
    customer customers service team account email message phone call called tell told back
    same more most much many other another every some such only even well good great bad
    like sure way lot lots off per via yet done let sort tried keep keeps kept said says say
    anything something nothing second third fourth fifth whole showing logged taken twice
    running fine soon paying asked asking trying using used seems looks coming came left
    what's that's there's anyway after before through ago went huge strong show shows gone
    moved brought landed people page thing things stuff bit little big new old whole""".split()  # noqa: SIM905 (a word list reads better as text)
)
_MANNER = frozenset({"problem", "intensifier", "demand", "ultimatum", "repeat", "leave", "refund"})
_TOPIC = frozenset({"safety", "privacy"})
_CODE = re.compile(r"[a-z]{2,}\d+[a-z]*$")  # LS6, SKL212: postcodes, flight and order numbers


# word -> (term, rank, the word capitalised if it may be a name), or () for a word that is no
# term; vocabularies are small next to volume
_INFO: dict[str, tuple[str, int, str | None] | tuple[()]] = {}
_INFO_MAX = 200_000
_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def _info(word: str) -> tuple[str, int, str | None] | tuple[()]:
    """Return a word's term, base rank and capitalised form if a plain word (rank 3) written
    so could be a name; or () when it is no term. Memoised (pure in the word)."""
    found = _INFO.get(word)
    if found is None:
        term = _term(word)
        rank = _rank(word, term) if term else 9
        capital = word[0].upper() + word[1:] if rank == 3 and _could_name(word) else None
        found = (term, rank, capital) if term else ()
        if len(_INFO) >= _INFO_MAX:
            _INFO.clear()
        _INFO[word] = found
    return found


def _could_name(word: str) -> bool:
    return len(word) >= 3 and _LOWER.issuperset(word)


def _is_name(text: str, capital: str) -> bool:
    """Return whether a word, `capital`ised, is written so inside a sentence of `text`:
    "Harbour" in "the stalls at Harbour Road", not "Harbour" opening a sentence."""
    at = text.find(capital)
    while at >= 0:
        end = at + len(capital)
        before = text[at - 1] if at else ""
        if (
            at
            and not (before.isalnum() or before == "_")
            and not (at >= 2 and before.isspace() and text[at - 2] in ".!?")
            and (end == len(text) or text[end] not in _LOWER)
        ):
            return True
        at = text.find(capital, end)
    return False


def _term(word: str) -> str | None:
    if len(word) < 3 or word[0] in "@#$£€0123456789" or word in STOP:
        return None
    if word not in SYNONYMS and _MANNER.issuperset(CUES.get(word, ("topic",))):
        return None  # complaint vocabulary says how, not what
    word = SYNONYMS.get(word, word)
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _rank(word: str, term: str) -> int:
    """Return how telling a term is: codes, then concepts and hazards, then (names,) words."""
    if _CODE.match(term):
        return 0
    if word in SYNONYMS or _TOPIC.intersection(CUES.get(word, ())):
        return 1
    return 3


class Folds(dict):
    """The company's own synonyms, word -> concept (settings `theme_synonyms`); hashable, so
    it can key the memo (`key`: the same pairs as a frozenset, hashed without a Python call).
    Its concepts rank with the built-in ones."""

    def __init__(self, pairs=()) -> None:
        super().__init__(pairs)
        self.key = frozenset(self.items())

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self.key)

    @classmethod
    def parse(cls, lines: Sequence[str]) -> Folds:
        """Read lines "concept: word word ..." (as stored by `db.settings`)."""
        pairs = {}
        for line in lines:
            concept, _, words = line.partition(":")
            for word in {concept, *words.split()}:
                pairs[word.strip().lower()] = concept.strip().lower()
        return cls(pairs)


NO_FOLDS = Folds()


def signature(
    text: str,
    *,
    ignore: frozenset[str] = frozenset(),
    named: set[str] | None = None,
    words: list[str] | None = None,
    folds: Folds = NO_FOLDS,
) -> list[str]:
    """Return the message's signature terms, most telling first; collect names into `named`."""
    words = tokens(text) if words is None else words
    infos = list(map(_INFO.get, words))  # one C-level pass; None: a word not yet seen
    if None in infos:
        for pos, found in enumerate(infos):
            if found is None:
                infos[pos] = _info(words[pos])
    seen: dict[str, int] = {}
    # only the words that are terms, unless the company's synonyms may make one of any word
    for pos in range(len(words)) if folds else compress(range(len(words)), infos):
        term, rank, capital = infos[pos] or (None, 9, None)
        if folds and (words[pos] in folds or term in folds):
            term, rank = folds.get(words[pos]) or folds[term], 1
        if term and term not in seen and term not in ignore:
            if rank == 3 and capital and capital in text and _is_name(text, capital):
                rank = 2
            seen[term] = rank * 1000 + pos
    terms = sorted(seen, key=seen.__getitem__)[:MAX_TERMS]
    if named is not None:
        named.update(t for t in terms if seen[t] // 1000 in (0, 2))
    return terms


_KEYED = Memo(10_000)  # as `scoring.text_facts`'s memo: a generation outlasts an import batch


def keyed_signature(
    text: str, *, ignore: frozenset[str], words: list[str] | None = None, folds: Folds = NO_FOLDS
) -> tuple[list[str], list[str], list[str]]:
    """Return (terms, the names and codes among them, candidate keys), memoised by text.

    Pure in `text` and `ignore` (`words` must be `tokens(text)`); callers must not mutate.
    """
    found = _KEYED.get((text, ignore, folds.key))
    if found is None:
        named: set[str] = set()
        terms = signature(text, ignore=ignore, named=named, words=words, folds=folds)
        found = (terms, [t for t in terms if t in named], candidate_keys(terms))
        _KEYED.put((text, ignore, folds.key), found)
    return found


def candidate_keys(terms: Sequence[str]) -> list[str]:
    """Return the pair keys of a message's terms, in preference order."""
    return [a + "+" + b if a < b else b + "+" + a for a, b in combinations(terms, 2)]
