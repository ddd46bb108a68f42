"""The item rollups behind Insights, kept in step with the audit events of items.

Three tables (see `db.models`). `ItemFact`: one row per item — team, the channels of its linked
messages as a bit mask, state, first complaint, last ship and the lead time between, and its
linked messages per day and channel. `ItemDay`: the net moves into each state per (day, team,
channels), kept as a ledger — an opening row on `OPENING` holds what the events do not explain
(an item without events counts in its state throughout), so the sum up to a day is the number of
items in each state at its end (the cumulative flow). `LinkDay`: linked messages per received
(day, channel, item team, item state) — the funnel.

`follow` brings one item's share up to date after an item Event, in the same transaction
(`db.audit.record` calls it, so every intent is covered). `db.itemrebuild` recomputes all of it
from items, messages and events (after a bulk load or a backup import).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db.clock import company_zone
from db.models import Event, Item, ItemDay, ItemFact, LinkDay, Message
from db.rollup import add_to, day_of, day_sql

CHANNEL_BITS = {"email": 1, "tweet": 2}
OPENING = date(1970, 1, 1)  # the ItemDay row before any event
FACT, DAY, LINK = ItemFact.__table__, ItemDay.__table__, LinkDay.__table__


def masks_with(channel: str) -> list[int]:
    """Return every channel mask that includes `channel` (for a WHERE … IN)."""
    bit = CHANNEL_BITS.get(channel, 0)
    return [m for m in range(1, 2 ** len(CHANNEL_BITS)) if m & bit]


def increment(conn: Connection, table: sa.Table, count: str, deltas: dict[tuple, int]) -> None:
    """Add `deltas` {primary key values: n} to the `count` column, inserting missing rows."""
    keys = [c.name for c in table.primary_key.columns]
    values = [{**dict(zip(keys, k, strict=True)), count: n} for k, n in sorted(deltas.items()) if n]
    add_to(conn, table, keys, [count], values)


def _moves(rows: Iterable[tuple], zone: tzinfo, team: str, channels: int, sign: int = 1) -> Counter:
    """Return ItemDay deltas of state events (at, from_state, to_state) under one key."""
    out: Counter = Counter()
    for at, src, dst in rows:
        day = day_of(at, zone)
        out[(day, team, channels, dst)] += sign
        if src:
            out[(day, team, channels, src)] -= sign
    return out


def _ledger(rows: list[tuple], zone: tzinfo, status: str, team: str, channels: int) -> Counter:
    """Return one item's ItemDay rows: its moves, and on OPENING what they leave unexplained."""
    out = _moves(rows, zone, team, channels)
    opening = Counter({status: 1})
    for _, src, dst in rows:
        opening[dst] -= 1
        if src:
            opening[src] += 1
    for state, n in opening.items():
        out[(OPENING, team, channels, state)] += n
    return out


def _links(links: list, team: str, status: str, sign: int) -> Counter:
    return Counter({(date.fromisoformat(d), ch, team, status): sign * n for d, ch, n in links})


def fact_of(conn: Connection, item_id: int, zone: tzinfo) -> dict[str, Any] | None:
    """Return the ItemFact values of one item as it is now, or None if there is no such item."""
    i = Item.__table__.c
    item = conn.execute(
        sa.select(i.team, i.status, i.first_signal_at, i.created_at).where(i.id == item_id)
    ).first()
    if item is None:
        return None
    m = Message.__table__.c
    day = day_sql(m.received_at, conn.dialect.name, zone)
    rows = conn.execute(
        sa.select(day, m.channel, sa.func.count(), sa.func.min(m.received_at))
        .where(m.item_id == item_id)
        .group_by(day, m.channel)
    ).all()
    e = Event.__table__.c
    shipped = conn.execute(
        sa.select(sa.func.max(e.at)).where(
            e.entity == "item", e.entity_id == item_id, e.to_state == "shipped"
        )
    ).scalar()
    links = [[day_of(d, zone).isoformat(), ch, n] for d, ch, n, _ in rows]
    first_msg = min((at for *_, at in rows), default=None)
    return make_fact(
        item_id, *item, links=links, first_msg=first_msg, shipped_at=shipped, zone=zone
    )


def make_fact(
    item_id, team, status, first_signal, created, *, links, first_msg, shipped_at, zone: tzinfo
):
    """Return ItemFact values from an item's fields, linked messages and last ship."""
    first = first_signal or first_msg or created
    lead = None if shipped_at is None else max((shipped_at - first).total_seconds(), 0) / 86400
    mask = 0
    for _, ch, _ in links:
        mask |= CHANNEL_BITS.get(ch, 0)
    return {
        "item_id": item_id,
        "team": team or "",
        "channels": mask,
        "status": status,
        "first_at": first,
        "shipped_at": shipped_at,
        "ship_day": None if shipped_at is None else day_of(shipped_at, zone),
        "lead_days": lead,
        "links": sorted(links),
    }


def follow(conn: Connection, item_id: int, event: Event | None = None) -> None:
    """Bring the rollups up to date for one item after `event` (already flushed) or an edit."""
    f = FACT.c
    # lock the item's row first (PostgreSQL): a concurrent write to the same item waits here,
    # then reads what this one committed, so no delta is applied twice
    mine = sa.select(FACT).where(f.item_id == item_id).with_for_update()
    old = conn.execute(mine).mappings().first()
    zone = company_zone(conn)
    new = fact_of(conn, item_id, zone)
    if new is None:
        return
    e = Event.__table__.c
    states = sa.select(e.id, e.at, e.from_state, e.to_state).where(
        e.entity == "item", e.entity_id == item_id, e.to_state.is_not(None)
    )
    events = conn.execute(states).all()
    days = _ledger([r[1:] for r in events], zone, new["status"], new["team"], new["channels"])
    links = _links(new["links"], new["team"], new["status"], 1)
    if old is not None:  # take back what the item counted before this event
        before = [r[1:] for r in events if event is None or r[0] != event.id]
        days.subtract(_ledger(before, zone, old["status"], old["team"], old["channels"]))
        links.update(_links(old["links"], old["team"], old["status"], -1))
    increment(conn, DAY, "items", days)
    increment(conn, LINK, "messages", links)
    if old is None:
        conn.execute(sa.insert(FACT), [new])
    else:
        conn.execute(sa.update(FACT).where(f.item_id == item_id).values(new))
