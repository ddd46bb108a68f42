"""The item rollups behind Insights, kept in step with the audit events of items.

Three tables (see `db.models`). `ItemFact`: one row per item — team, the channels of its linked
messages as a bit mask, state, first complaint, last ship and the lead time between, and its
linked messages per day and channel. `ItemDay`: the net moves into each state per (day, team,
channels), kept as a ledger — an opening row on `OPENING` holds what the events do not explain
(an item without events counts in its state throughout), so the sum up to a day is the number of
items in each state at its end (the cumulative flow). `LinkDay`: linked messages per received
(day, channel, item team, item state) — the funnel.

`follow` brings one item's share up to date after an item Event, in the same transaction
(`db.audit.record` calls it, so every intent is covered); `rebuild` recomputes everything from
items, messages and events (after a bulk load or a backup import); `snapshot` returns the
tables' contents, to check one against the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from db.models import Event, Item, ItemDay, ItemFact, LinkDay, Message

CHANNEL_BITS = {"email": 1, "tweet": 2}
OPENING = date(1970, 1, 1)  # the ItemDay row before any event
_FACT, _DAY, _LINK = ItemFact.__table__, ItemDay.__table__, LinkDay.__table__


def masks_with(channel: str) -> list[int]:
    """Return every channel mask that includes `channel` (for a WHERE … IN)."""
    bit = CHANNEL_BITS.get(channel, 0)
    return [m for m in range(1, 2 ** len(CHANNEL_BITS)) if m & bit]


def day_of(value: datetime | date | str) -> date:
    """Return the UTC day of a timestamp (SQLite hands back text for computed columns)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).date()
    return value


def day_sql(col: Any, dialect: str) -> Any:
    """Return an SQL expression for the UTC day of a timestamp column."""
    if dialect == "postgresql":
        return sa.cast(sa.func.timezone("UTC", col), sa.Date)
    return sa.func.substr(col, 1, 10)


def _increment(conn: Connection, table: sa.Table, count: str, deltas: dict[tuple, int]) -> None:
    """Add `deltas` {primary key values: n} to the `count` column, inserting missing rows."""
    keys = [c.name for c in table.primary_key.columns]
    values = [{**dict(zip(keys, k, strict=True)), count: n} for k, n in sorted(deltas.items()) if n]
    if not values:
        return
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={count: table.c[count] + stmt.excluded[count]}
    )
    conn.execute(stmt, values)


def _moves(rows: Iterable[tuple], team: str, channels: int, sign: int = 1) -> Counter:
    """Return ItemDay deltas of state events (at, from_state, to_state) under one key."""
    out: Counter = Counter()
    for at, src, dst in rows:
        day = day_of(at)
        out[(day, team, channels, dst)] += sign
        if src:
            out[(day, team, channels, src)] -= sign
    return out


def _ledger(rows: list[tuple], status: str, team: str, channels: int) -> Counter:
    """Return one item's ItemDay rows: its moves, and on OPENING what they leave unexplained."""
    out = _moves(rows, team, channels)
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


def fact_of(conn: Connection, item_id: int) -> dict[str, Any] | None:
    """Return the ItemFact values of one item as it is now, or None if there is no such item."""
    i = Item.__table__.c
    item = conn.execute(
        sa.select(i.team, i.status, i.first_signal_at, i.created_at).where(i.id == item_id)
    ).first()
    if item is None:
        return None
    m = Message.__table__.c
    day = day_sql(m.received_at, conn.dialect.name)
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
    links = [[day_of(d).isoformat(), ch, n] for d, ch, n, _ in rows]
    first_msg = min((at for *_, at in rows), default=None)
    return make_fact(item_id, *item, links=links, first_msg=first_msg, shipped_at=shipped)


def make_fact(item_id, team, status, first_signal, created, *, links, first_msg, shipped_at):
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
        "ship_day": None if shipped_at is None else day_of(shipped_at),
        "lead_days": lead,
        "links": sorted(links),
    }


def follow(conn: Connection, item_id: int, event: Event | None = None) -> None:
    """Bring the rollups up to date for one item after `event` (already flushed) or an edit."""
    f = _FACT.c
    # lock the item's row first (PostgreSQL): a concurrent write to the same item waits here,
    # then reads what this one committed, so no delta is applied twice
    mine = sa.select(_FACT).where(f.item_id == item_id).with_for_update()
    old = conn.execute(mine).mappings().first()
    new = fact_of(conn, item_id)
    if new is None:
        return
    e = Event.__table__.c
    states = sa.select(e.id, e.at, e.from_state, e.to_state).where(
        e.entity == "item", e.entity_id == item_id, e.to_state.is_not(None)
    )
    events = conn.execute(states).all()
    days = _ledger([r[1:] for r in events], new["status"], new["team"], new["channels"])
    links = _links(new["links"], new["team"], new["status"], 1)
    if old is not None:  # take back what the item counted before this event
        before = [r[1:] for r in events if event is None or r[0] != event.id]
        days.subtract(_ledger(before, old["status"], old["team"], old["channels"]))
        links.update(_links(old["links"], old["team"], old["status"], -1))
    _increment(conn, _DAY, "items", days)
    _increment(conn, _LINK, "messages", links)
    if old is None:
        conn.execute(sa.insert(_FACT), [new])
    else:
        conn.execute(sa.update(_FACT).where(f.item_id == item_id).values(new))


def rebuild(conn: Connection) -> int:
    """Recompute all three tables from items, messages and events; return the item count."""
    for table in (_LINK, _DAY, _FACT):
        conn.execute(sa.delete(table))
    facts = _all_facts(conn)
    for chunk in range(0, len(facts), 20_000):
        conn.execute(sa.insert(_FACT), facts[chunk : chunk + 20_000])
    d = conn.dialect.name
    e, f = Event.__table__.c, _FACT.c
    day = day_sql(e.at, d)
    moves: Counter = Counter()
    for col, sign in ((e.to_state, 1), (e.from_state, -1)):
        stmt = (
            sa.select(day, f.team, f.channels, col, sa.func.count())
            .join(_FACT, f.item_id == e.entity_id)
            .where(e.entity == "item", e.to_state.is_not(None), col.is_not(None))
            .group_by(day, f.team, f.channels, col)
        )
        for k, team, mask, state, n in conn.execute(stmt):
            moves[(day_of(k), team, mask, state)] += sign * n
    opening: Counter = Counter()  # the items in each state now, less what the moves explain
    for fact in facts:
        opening[(fact["team"], fact["channels"], fact["status"])] += 1
    for (_day, team, mask, state), n in moves.items():
        opening[(team, mask, state)] -= n
    for (team, mask, state), n in opening.items():
        moves[(OPENING, team, mask, state)] += n
    _increment(conn, _DAY, "items", moves)
    m = Message.__table__.c
    mday = day_sql(m.received_at, d)
    linked = (
        sa.select(mday, m.channel, f.team, f.status, sa.func.count())
        .join(_FACT, f.item_id == m.item_id)
        .group_by(mday, m.channel, f.team, f.status)
    )
    conn.execute(
        sa.insert(_LINK).from_select(["day", "channel", "team", "status", "messages"], linked)
    )
    return len(facts)


def _all_facts(conn: Connection) -> list[dict[str, Any]]:
    m, e, i = Message.__table__.c, Event.__table__.c, Item.__table__.c
    day = day_sql(m.received_at, conn.dialect.name)
    links: dict[int, list] = {}
    firsts: dict[int, datetime] = {}
    stmt = (
        sa.select(m.item_id, day, m.channel, sa.func.count(), sa.func.min(m.received_at))
        .where(m.item_id.is_not(None))
        .group_by(m.item_id, day, m.channel)
    )
    for item_id, d, ch, n, first in conn.execute(stmt):
        links.setdefault(item_id, []).append([day_of(d).isoformat(), ch, n])
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
        )
        for row in items
    ]


def snapshot(conn: Connection) -> dict[str, Any]:
    """Return the non-zero contents of the three tables (to compare a follow with a rebuild)."""
    f = _FACT.c
    facts = {
        r.item_id: (r.team, r.channels, r.status, r.first_at, r.shipped_at, r.links)
        for r in conn.execute(sa.select(_FACT))
    }
    leads = {r.item_id: r.lead_days for r in conn.execute(sa.select(f.item_id, f.lead_days))}
    days = {  # (`_DAY.c.items` would be the column collection's method)
        (r.day, r.team, r.channels, r.state): r[-1]
        for r in conn.execute(sa.select(_DAY).where(_DAY.c["items"] != 0))
    }
    links = {
        (r.day, r.channel, r.team, r.status): r.messages
        for r in conn.execute(sa.select(_LINK).where(_LINK.c.messages != 0))
    }
    return {"facts": facts, "leads": leads, "days": days, "links": links}
