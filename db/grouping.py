"""How a batch of messages falls into groups, each growing one theme (used by `db.themes`).

Pure functions over the batch's candidate keys: which key each message follows, which name
pairs may join two groups, and which key a group grows under. Single-linkage grouping chains
easily (one shared side remark and two problems become one theme, batch after batch), so each
link is earned: a message follows its most coherent well-supported key, a reply its thread
only when it has no problem words, and a name pair joins groups only where it is what the
smaller group is about.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from itertools import chain
from typing import Any

THREAD = "thread:"  # pseudo-key: messages of one conversation share it
STRONG_SUPPORT = 3  # a second key links messages only when shared by three or more
STRONG_LIFT = 3.0  # ... and the pair is three times likelier than chance


def associated(n: int, support: Counter[str], freq: Counter[str], named: set[str]) -> set[str]:
    """Return pairs with a name or code seen together far more often than chance predicts.

    Such pairs ("alicante+cancelled") may link a message to a second group; pairs of two
    plain concepts ("flight+late") are too generic to bridge groups.
    """
    out = set()
    for key, count in support.items():
        if count >= STRONG_SUPPORT and not key.startswith(THREAD):
            a, b = key.split("+", 1)
            if (a in named or b in named) and count * n >= STRONG_LIFT * freq[a] * freq[b]:
                out.add(key)
    return out


def ranking(
    support: Counter[str], existing: dict, freq: Counter[str]
) -> Callable[[list[str]], str]:
    """Return a function picking the best of some keys, the same for every message (so messages
    that share their best key pick it).

    By reach times *coherence*: messages carrying both terms (in the batch and its theme),
    weighed by how often the two words come together in the batch (messages carrying both over
    the geometric mean of the messages carrying each; 1.0 when they always do).
    A pair of common words that meet by chance ("order" in "order ref", "paid" in a side
    remark) loses to the pair that says what the message is about, however many messages it
    reaches; ranking by reach alone let one theme swallow its neighbours batch after batch.
    Ties go to most messages, then the greatest key. Most keys are
    carried by one message and no theme: only the others get a weight."""
    heavy: dict[str, tuple] = {}
    for k, n in support.items():
        count = existing[k][1] if k in existing else 0
        if n + count > 1:
            a, _, b = k.partition("+")
            fit = n / math.sqrt(freq[a] * freq[b]) if b and freq[a] and freq[b] else 0.0
            heavy[k] = (round((count + n) * fit, 2), count + n, k)
    weight = heavy.__getitem__

    def best_of(keys: list[str]) -> str:
        weighed = [k for k in keys if k in heavy]
        return max(weighed, key=weight) if weighed else max(keys)

    return best_of


def components(keyed, support, existing, strong, freq) -> dict[str, list[dict[str, Any]]]:
    """Group the batch: messages sharing a key (with each other or a theme) are one group."""
    parent = list(range(len(keyed)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    best_of = ranking(support, existing, freq)
    holder: dict[str, int] = {}
    worded = [False] * len(keyed)  # linked by its own problem words (not only its thread)
    for i, (_, keys) in enumerate(keyed):
        pairs = keys if not keys[-1].startswith(THREAD) else keys[:-1]
        links = set()
        best = best_of(pairs) if pairs else None
        thread = keys[-1] if keys[-1].startswith(THREAD) else None
        if best and (support[best] >= 2 or best in existing):
            links.add(best)
            worded[i] = True
        elif thread and (support[thread] >= 2 or thread in existing):
            links.add(thread)  # a reply with no problem words of its own follows its thread
        for k in links:
            parent[root(i)] = root(holder.setdefault(k, i))
    for a, b in bridges(keyed, strong, root):
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for i in range(len(keyed)):
        groups.setdefault(root(i), []).append(i)
    growth: dict[str, list[dict[str, Any]]] = {}
    for members in groups.values():
        key = group_key([keyed[i][1] for i in members if worded[i]] or
                         [keyed[i][1] for i in members], existing, best_of)  # fmt: skip
        if key is None:
            continue  # too few words to name a problem, and no thread to follow
        # the first message that carries the group's key founds it (and names it)
        order = sorted(members, key=lambda i: (key not in keyed[i][1], keyed[i][0]["received_at"]))
        growth.setdefault(key, []).extend(keyed[i][0] for i in order)
    return growth


def bridges(keyed, strong: set[str], root) -> list[tuple[int, int]]:
    """Return the merges a name pair justifies between groups formed by shared keys.

    A pair such as "alicante+cancelled" joins a group to the group with most of its carriers
    only where at least half of the smaller group's messages carry it: the pair is what that
    group is about. A name that recurs in side remarks ("Tom at the desk was kind") touches a
    small share of many groups and merges none of them."""
    if not strong:
        return []
    size: Counter[int] = Counter(root(i) for i in range(len(keyed)))
    carried: dict[str, Counter[int]] = {}  # one pass over the batch, not one per pair
    for i, (_, keys) in enumerate(keyed):
        for key in strong.intersection(keys):
            carried.setdefault(key, Counter())[root(i)] += 1
    merges = []
    for key in strong:
        carriers = carried.get(key)
        if carriers is None or len(carriers) < 2:
            continue
        anchor = max(carriers, key=lambda r: (carriers[r], size[r]))
        for r in carriers:
            small = r if size[r] <= size[anchor] else anchor
            if r != anchor and 2 * carriers[small] >= size[small]:
                merges.append((r, anchor))
    return merges


def group_key(key_lists: list[list[str]], existing: dict, best_of) -> str | None:
    """Return the key a group grows under: a known theme's problem key (the biggest), else its
    best new key, else the theme of the conversation its replies belong to. A thread never
    outranks problem words, so one reply cannot pull a whole group into its thread's theme."""
    keys = dict.fromkeys(chain.from_iterable(key_lists))  # each key once, first seen first
    pairs = [k for k in keys if not k.startswith(THREAD)]
    known = [k for k in pairs if k in existing]
    if known:
        return max(known, key=lambda k: existing[k][1])
    if pairs:
        return best_of(pairs)
    threads = [k for k in keys if k in existing]
    return max(threads, key=lambda k: existing[k][1]) if threads else None
