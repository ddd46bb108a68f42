"""Themes: messages about the same problem, grouped as they arrive, without all-pairs comparison.

Every pair of a message's first signature terms (`db.signature`) is a candidate key (the
company's own synonyms, setting `theme_synonyms`, fold its words into concepts first); a batch
looks its keys up in one indexed query on `Theme.key` (recent themes only) and counts how many
of its own messages share each. `db.grouping` decides which key each message follows and which
groups a name pair may join; a reply without problem words follows its conversation. A group
joins an existing theme or founds a new one, so cost grows with the batch, never with the
table. A new theme is named by the member that names the problem best (`best_label`).
`split_message` undoes a wrong merge.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from db import rollup
from db.among import among
from db.grouping import THREAD, associated, components
from db.labels import best_label, label_for
from db.models import Message, Theme
from db.scoring import message_text
from db.signature import MAX_TERMS, NO_FOLDS, Folds, candidate_keys, keyed_signature, signature

__all__ = ["MAX_TERMS", "assign", "best_label", "candidate_keys", "label_for", "recount",
           "signature", "split_message"]  # fmt: skip

MATCH_WINDOW = timedelta(days=7)  # a theme quiet for a week is closed; a new one starts


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
        text = message_text(row)
        said = words.get(id(row)) if words else None
        terms, names, keys = keyed_signature(text, ignore=ignore, words=said, folds=folds)
        named.update(names)
        if len(names) > 1:  # two names ("kings cross") say where, not what: never a key
            where = set(candidate_keys(names))
            keys = [k for k in keys if k not in where]
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
    strong = associated(len(keyed), support, freq, named)
    growth = components(keyed, support, existing, strong, freq)
    _apply(conn, growth, existing, now=now, ignore=ignore, folds=folds)


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
