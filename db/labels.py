"""A theme's label: a readable name taken from the member message that names the problem best.

Pure functions over message rows (Message column names); `db.themes` names a new theme with
`best_label` and a split-off message with `label_for`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from db.signature import NO_FOLDS, Folds, signature

LABEL_CHARS = 60
LABEL_CANDIDATES = 25  # members of a new theme considered for its label
_PREFIX = re.compile(r"^(?:(?:re|fwd?|aw|sv)\s*:\s*)+", re.I)  # "Re: Fwd: " before a subject


def best_label(
    members: Sequence[Mapping[str, Any]],
    key: str,
    *,
    ignore: frozenset[str] = frozenset(),
    folds: Folds = NO_FOLDS,
) -> str:
    """Return the label of the member that names the group's problem best.

    The founder is often a poor name ("Help!", a question that shares one word): prefer the
    label carrying both terms of the group's key, then one of three words or more, then a
    complaint (the group is about a problem), then an email subject (written as a title) over
    a tweet's first sentence, then the earliest.
    """
    wanted = set(key.split("+")) if "+" in key else set()
    best: tuple | None = None
    for i, msg in enumerate(members[:LABEL_CANDIDATES]):
        text = label_for(msg)
        terms = signature(text, ignore=ignore, folds=folds) if wanted else ()
        rank = (-len(wanted.intersection(terms)), len(text.split()) < 3,
                not msg.get("complaint"), msg.get("channel") != "email", i)  # fmt: skip
        if best is None or rank < best[0]:
            best = (rank, text)
    return best[1] if best else "Untitled theme"


def label_for(msg: Mapping[str, Any]) -> str:
    """Return a readable theme label from the message that founded it."""
    text = _PREFIX.sub("", (msg.get("subject") or "").strip())
    if not text or msg.get("channel") != "email":
        text = " ".join(w for w in (msg.get("body") or "").split() if not w.startswith("@"))
        text = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    text = text.strip(" .,:;-") or "Untitled theme"
    if len(text) > LABEL_CHARS:
        text = text[:LABEL_CHARS].rsplit(" ", 1)[0] + "…"
    return text[0].upper() + text[1:]
