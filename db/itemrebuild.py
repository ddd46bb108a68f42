"""Recomputing the item rollups of `db.itemrollup` from scratch, and reading them back.

`rebuild` fills `ItemFact`, `ItemDay` and `LinkDay` from items, messages and events in a few
grouped queries (after a bulk load such as tests/bench/gen_db.py, or a backup import), and the
forward rollup of `db.fwdrollup` with them, so every caller rebuilds both; it must give exactly
what `db.itemrollup.follow` keeps event by event, which `snapshot` lets the tests check after
random workflow sequences.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db import fwdrollup
from db.clock import company_zone
from db.itemrollup import DAY, FACT, LINK, OPENING, increment, make_fact
from db.models import Event, Item, Message
from db.rollup import day_of, day_sql


def rebuild(conn: Connection) -> int:
    """Recompute all three tables (and the forward rollup); return the item count."""
    for table in (LINK, DAY, FACT):
        conn.execute(sa.delete(table))
    zone = company_zone(conn)
    facts = _all_facts(conn, zone)
    for chunk in range(0, len(facts), 20_000):
        conn.execute(sa.insert(FACT), facts[chunk : chunk + 20_000])
    d = conn.dialect.name
    e, f = Event.__table__.c, FACT.c
    day = day_sql(e.at, d, zone)
    moves: Counter = Counter()
    for col, sign in ((e.to_state, 1), (e.from_state, -1)):
        stmt = (
            sa.select(day, f.team, f.channels, col, sa.func.count())
            .join(FACT, f.item_id == e.entity_id)
            .where(e.entity == "item", e.to_state.is_not(None), col.is_not(None))
            .group_by(day, f.team, f.channels, col)
        )
        for k, team, mask, state, n in conn.execute(stmt):
            moves[(day_of(k, zone), team, mask, state)] += sign * n
    opening: Counter = Counter()  # the items in each state now, less what the moves explain
    for fact in facts:
        opening[(fact["team"], fact["channels"], fact["status"])] += 1
    for (_day, team, mask, state), n in moves.items():
        opening[(team, mask, state)] -= n
    for (team, mask, state), n in opening.items():
        moves[(OPENING, team, mask, state)] += n
    increment(conn, DAY, "items", moves)
    m = Message.__table__.c
    mday = day_sql(m.received_at, d, zone)
    linked = (
        sa.select(mday, m.channel, f.team, f.status, sa.func.count())
        .join(FACT, f.item_id == m.item_id)
        .group_by(mday, m.channel, f.team, f.status)
    )
    conn.execute(
        sa.insert(LINK).from_select(["day", "channel", "team", "status", "messages"], linked)
    )
    fwdrollup.rebuild(conn)
    return len(facts)


def _all_facts(conn: Connection, zone: tzinfo) -> list[dict[str, Any]]:
    m, e, i = Message.__table__.c, Event.__table__.c, Item.__table__.c
    day = day_sql(m.received_at, conn.dialect.name, zone)
    links: dict[int, list] = {}
    firsts: dict[int, datetime] = {}
    stmt = (
        sa.select(m.item_id, day, m.channel, sa.func.count(), sa.func.min(m.received_at))
        .where(m.item_id.is_not(None))
        .group_by(m.item_id, day, m.channel)
    )
    for item_id, d, ch, n, first in conn.execute(stmt):
        links.setdefault(item_id, []).append([day_of(d, zone).isoformat(), ch, n])
        firsts[item_id] = min(first, firsts.get(item_id, first))
    ships = dict(
        conn.execute(
            sa.select(e.entity_id, sa.func.max(e.at))
            .where(e.entity == "item", e.to_state == "shipped")
            .group_by(e.entity_id)
        ).all()
    )
    items = conn.execute(sa.select(i.id, i.team, i.status, i.first_signal_at, i.created_at))
    return [
        make_fact(
            row[0],
            *row[1:],
            links=links.get(row[0], []),
            first_msg=firsts.get(row[0]),
            shipped_at=ships.get(row[0]),
            zone=zone,
        )
        for row in items
    ]


def snapshot(conn: Connection) -> dict[str, Any]:
    """Return the non-zero contents of the three tables (to compare a follow with a rebuild)."""
    f = FACT.c
    facts = {
        r.item_id: (r.team, r.channels, r.status, r.first_at, r.shipped_at, r.links)
        for r in conn.execute(sa.select(FACT))
    }
    leads = {r.item_id: r.lead_days for r in conn.execute(sa.select(f.item_id, f.lead_days))}
    days = {  # (`DAY.c.items` would be the column collection's method)
        (r.day, r.team, r.channels, r.state): r[-1]
        for r in conn.execute(sa.select(DAY).where(DAY.c["items"] != 0))
    }
    links = {
        (r.day, r.channel, r.team, r.status): r.messages
        for r in conn.execute(sa.select(LINK).where(LINK.c.messages != 0))
    }
    fwds = {"days": fwdrollup.snapshot(conn), "messages": fwdrollup.messages(conn)}
    return {"facts": facts, "leads": leads, "days": days, "links": links, "forwards": fwds}
