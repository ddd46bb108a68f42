"""Themes: messages about the same problem, grouped as they arrive, without all-pairs comparison.

Every pair of a message's first signature terms (`db.signature`) is a candidate key; a batch looks
its keys up in one indexed query on `Theme.key` (recent themes only) and counts how many of its
own messages share each key (the company's own synonyms, setting `theme_synonyms`, fold its
words into concepts first). A message joins its best-supported key (the same order for every
message), pairs with a name or code seen together far above chance may bridge two groups, and
replies follow their conversation. A group joins an existing theme or founds a new one, so cost
grows with the batch, never with the table. A new theme is named by the member that names the
problem best (`best_label`). `split_message` undoes a wrong merge.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from db import rollup
from db.ingest.among import among
from db.models import Message, Theme
from db.signature import (
    MAX_TERMS,
    NO_FOLDS,
    Folds,
    best_label,
    candidate_keys,
    keyed_signature,
    label_for,
    signature,
)

__all__ = ["MAX_TERMS", "assign", "best_label", "candidate_keys", "label_for", "recount",
           "signature", "split_message"]  # fmt: skip

MATCH_WINDOW = timedelta(days=7)  # a theme quiet for a week is closed; a new one starts
THREAD = "thread:"  # pseudo-key: messages of one conversation share it
STRONG_SUPPORT = 3  # a second key links messages only when shared by three or more
STRONG_LIFT = 3.0  # ... and the pair is three times likelier than chance


def _existing(conn, keys: set[str], since: datetime) -> dict[str, tuple[int, int]]:
    """Return key -> (theme id, message count) for recent themes among `keys`."""
    found: dict[str, tuple[int, int]] = {}
    t = Theme.__table__
    ordered = sorted(keys)
    for i in range(0, len(ordered), 5000):
        stmt = sa.select(t.c.key, t.c.id, t.c.message_count).where(
            among(conn, t.c.key, ordered[i : i + 5000]), t.c.last_seen >= since
        )
        for key, tid, count in conn.execute(stmt):
            if key not in found or count > found[key][1]:
                found[key] = (tid, count)
    return found


def assign(
    conn,
    rows: list[dict[str, Any]],
    *,
    ignore: frozenset[str],
    now: datetime,
    words: dict[int, list[str]] | None = None,
    folds: Folds = NO_FOLDS,
) -> None:
    """Set `theme_id` on each non-noise row, creating and growing Theme rows through `conn`.

    `words` may map `id(row)` to the row's tokens when the caller already has them.
    """
    keyed: list[tuple[dict[str, Any], list[str]]] = []
    support: Counter[str] = Counter()
    freq: Counter[str] = Counter()
    named: set[str] = set()
    for row in rows:
        if row.get("is_noise"):
            continue
        text = f"{row.get('subject') or ''}\n{row.get('body') or ''}"
        said = words.get(id(row)) if words else None
        terms, names, keys = keyed_signature(text, ignore=ignore, words=said, folds=folds)
        named.update(names)
        if len(names) > 1:  # two names ("kings cross") say where, not what: never a key
            keys = [k for k in keys if not _both(k, names)]
        if row.get("thread_key"):
            keys = [*keys, THREAD + row["thread_key"]]  # replies in a thread join its theme
        if keys:
            keyed.append((row, keys))
            support.update(keys)
            freq.update(terms)
    if not keyed:
        return
    earliest = min(r["received_at"] for r, _ in keyed)
    existing = _existing(
        conn, {k for k in support if not k.startswith(THREAD)}, earliest - MATCH_WINDOW
    )
    existing.update(_threads(conn, [r["thread_key"] for r, _ in keyed if r.get("in_reply_to")]))
    strong = _associated(len(keyed), support, freq, named)
    growth = _components(keyed, support, existing, strong, freq)
    _apply(conn, growth, existing, now=now, ignore=ignore, folds=folds)


def _both(key: str, names: list[str]) -> bool:
    a, _, b = key.partition("+")
    return a in names and b in names


def _threads(conn, thread_keys: list[str]) -> dict[str, tuple[int, int]]:
    """Return "thread:<key>" -> (theme id, count) for stored threads that have a theme."""
    m, t = Message.__table__, Theme.__table__
    found: dict[str, tuple[int, int]] = {}
    wanted = sorted(set(thread_keys))
    for i in range(0, len(wanted), 2000):
        stmt = (
            sa.select(m.c.thread_key, t.c.id, t.c.message_count)
            .join(t, t.c.id == m.c.theme_id)
            .where(among(conn, m.c.thread_key, wanted[i : i + 2000]))
        )
        for key, tid, count in conn.execute(stmt):
            found[THREAD + key] = (tid, count)
    return found


def _associated(n: int, support: Counter[str], freq: Counter[str], named: set[str]) -> set[str]:
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


def _ranking(
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


def _components(keyed, support, existing, strong, freq) -> dict[str, list[dict[str, Any]]]:
    """Group the batch: messages sharing a key (with each other or a theme) are one group."""
    parent = list(range(len(keyed)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    best_of = _ranking(support, existing, freq)
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
    for a, b in _bridges(keyed, strong, root):
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for i in range(len(keyed)):
        groups.setdefault(root(i), []).append(i)
    growth: dict[str, list[dict[str, Any]]] = {}
    for members in groups.values():
        key = _group_key([keyed[i][1] for i in members if worded[i]] or
                         [keyed[i][1] for i in members], existing, best_of)  # fmt: skip
        if key is None:
            continue  # too few words to name a problem, and no thread to follow
        # the first message that carries the group's key founds it (and names it)
        order = sorted(members, key=lambda i: (key not in keyed[i][1], keyed[i][0]["received_at"]))
        growth.setdefault(key, []).extend(keyed[i][0] for i in order)
    return growth


def _bridges(keyed, strong: set[str], root) -> list[tuple[int, int]]:
    """Return the merges a name pair justifies between groups formed by shared keys.

    A pair such as "alicante+cancelled" joins a group to the group with most of its carriers
    only where at least half of the smaller group's messages carry it: the pair is what that
    group is about. A name that recurs in side remarks ("Tom at the desk was kind") touches a
    small share of many groups and merges none of them."""
    if not strong:
        return []
    size: Counter[int] = Counter(root(i) for i in range(len(keyed)))
    merges = []
    for key in strong:
        carriers = Counter(root(i) for i, (_, keys) in enumerate(keyed) if key in keys)
        if len(carriers) < 2:
            continue
        anchor = max(carriers, key=lambda r: (carriers[r], size[r]))
        for r in carriers:
            small = r if size[r] <= size[anchor] else anchor
            if r != anchor and 2 * carriers[small] >= size[small]:
                merges.append((r, anchor))
    return merges


def _group_key(key_lists: list[list[str]], existing: dict, best_of) -> str | None:
    """Return the key a group grows under: a known theme's problem key (the biggest), else its
    best new key, else the theme of the conversation its replies belong to. A thread never
    outranks problem words, so one reply cannot pull a whole group into its thread's theme."""
    keys = [k for ks in key_lists for k in ks]
    pairs = [k for k in keys if not k.startswith(THREAD)]
    known = [k for k in pairs if k in existing]
    if known:
        return max(known, key=lambda k: existing[k][1])
    if pairs:
        return best_of(pairs)
    threads = [k for k in keys if k in existing]
    return max(threads, key=lambda k: existing[k][1]) if threads else None


def _apply(conn, growth, existing, *, now: datetime, ignore=frozenset(), folds=NO_FOLDS) -> None:
    t = Theme.__table__
    for key, members in growth.items():
        first = min(m["received_at"] for m in members)
        last = max(m["received_at"] for m in members)
        contacts = len({m.get("contact_id") or id(m) for m in members})
        if key in existing:
            tid = existing[key][0]
            conn.execute(
                sa.update(t)
                .where(t.c.id == tid)
                .values(
                    message_count=t.c.message_count + len(members),
                    contact_count=t.c.contact_count + contacts,
                    first_seen=sa.case((t.c.first_seen > first, first), else_=t.c.first_seen),
                    last_seen=sa.case((t.c.last_seen < last, last), else_=t.c.last_seen),
                )
            )
        else:
            label = best_label(members, key, ignore=ignore, folds=folds)
            tid = _create(conn, key, label, len(members), contacts, first, last, now)
        for m in members:
            m["theme_id"] = tid


def _create(conn, key, label, count, contacts, first, last, now) -> int:
    values = dict(key=key[:200], label=label[:200], message_count=count,
                  contact_count=contacts, first_seen=first, last_seen=last,
                  created_at=now)  # fmt: skip
    return conn.execute(sa.insert(Theme.__table__).values(**values)).inserted_primary_key[0]


def recount(conn, theme_id: int) -> None:
    """Recompute a theme's counts and first/last seen from its member messages."""
    m = Message.__table__
    count, contacts, first, last = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(sa.distinct(m.c.contact_id)),
            sa.func.min(m.c.received_at),
            sa.func.max(m.c.received_at),
        ).where(m.c.theme_id == theme_id)
    ).one()
    t = Theme.__table__
    conn.execute(
        sa.update(t)
        .where(t.c.id == theme_id)
        .values(message_count=count, contact_count=contacts, first_seen=first, last_seen=last)
    )


def split_message(conn, message_id: int, *, now: datetime | None = None) -> int:
    """Move a wrongly merged message to a theme of its own; recount both; return the new id."""
    m = Message.__table__
    row = conn.execute(sa.select(m).where(m.c.id == message_id)).mappings().one_or_none()
    if row is None:
        from db.errors import NotFound

        raise NotFound(f"Message {message_id} does not exist.")
    old = row["theme_id"]
    at = now or datetime.now(UTC)
    new = _create(conn, f"split:{message_id}", label_for(row), 1, 1, row["received_at"],
                  row["received_at"], at)  # fmt: skip
    conn.execute(sa.update(m).where(m.c.id == message_id).values(theme_id=new))
    rollup.move_theme(conn, row, new)  # Insights' daily counts per theme
    if old is not None:
        recount(conn, old)
    recount(conn, new)
    return new
