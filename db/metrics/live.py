"""Item metrics computed straight from the audit events: the reference the rollups must equal.

Slower than `db.metrics.items` (they scan every item Event and linked message of the period),
so they serve the scopes the rollups do not cover (a theme) and the tests that check the
rollups against a recomputation. Semantics: an item's lead time runs from its first complaint
(`first_signal_at`, else its earliest linked message, else its creation) to its last ship
Event; the cumulative flow is today's states minus the net moves recorded after each day, so an
item without events counts in its current state throughout.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, timedelta, tzinfo

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from db.clock import day_start
from db.metrics.base import (
    DONE_STATES,
    STATES,
    Period,
    Scope,
    as_day,
    conn,
    day_key,
    dialect,
    hours_between,
    item_conditions,
    message_conditions,
    team_forwards,
)
from db.models import Event, Forward, Item, Message


def lead_rows(session: Session, *, period: Period, scope: Scope = Scope()) -> list[tuple]:
    """Return (item id, shipped day, days to fix, status) of items last shipped in the period."""
    d = dialect(session)
    shipped = (
        select(Event.entity_id.label("item_id"), func.max(Event.at).label("shipped_at"))
        .where(Event.entity == "item", Event.to_state == "shipped")
        .group_by(Event.entity_id)
        .subquery()
    )
    first_msg = select(func.min(Message.received_at)).where(Message.item_id == Item.id)
    first = func.coalesce(Item.first_signal_at, first_msg.scalar_subquery(), Item.created_at)
    stmt = (
        select(
            Item.id,
            day_key(shipped.c.shipped_at, d, period.zone),
            hours_between(first, shipped.c.shipped_at, d) / 24.0,
            Item.status,
        )
        .join(shipped, shipped.c.item_id == Item.id)
        .where(shipped.c.shipped_at >= period.start, shipped.c.shipped_at < period.end)
        .where(*item_conditions(scope))
    )
    return [
        (i, as_day(k), max(float(v or 0), 0.0), s) for i, k, v, s in conn(session).execute(stmt)
    ]


def state_counts(session: Session, scope: Scope) -> Counter:
    """Return how many items are in each state now."""
    stmt = select(Item.status, func.count()).where(*item_conditions(scope)).group_by(Item.status)
    return Counter(dict(conn(session).execute(stmt).all()))


def net_moves(
    session: Session, *, since: date, scope: Scope, zone: tzinfo = UTC
) -> dict[date, Counter]:
    """Return per day the net number of items that entered each state, from `since` on."""
    start = day_start(since, zone)
    day = day_key(Event.at, dialect(session), zone)
    moves = (
        select(day, Event.from_state, Event.to_state, func.count())
        .where(Event.entity == "item", Event.to_state.is_not(None), Event.at >= start)
        .group_by(day, Event.from_state, Event.to_state)
    )
    if item_conditions(scope):
        moves = moves.join(Item, Item.id == Event.entity_id).where(*item_conditions(scope))
    net: dict[date, Counter] = {}
    for key, src, dst, n in conn(session).execute(moves):
        c = net.setdefault(as_day(key), Counter())
        c[dst] += n
        if src:
            c[src] -= n
    return net


def flow_counts(now: Counter, net: dict[date, Counter], days: list[date]) -> dict[date, Counter]:
    """Return the items per state at the end of each day, and of the day before the first."""
    running = Counter(now)
    for k in sorted(k for k in net if k > days[-1]):
        running.subtract(net[k])
    out: dict[date, Counter] = {}
    for d_ in [*reversed(days), days[0] - timedelta(days=1)]:
        out[d_] = Counter({s: running[s] for s in STATES})
        running.subtract(net.get(d_, Counter()))
    return out


def state_flow_counts(session: Session, *, period: Period, scope: Scope) -> dict[date, Counter]:
    """Return the cumulative flow from the events (see `flow_counts`)."""
    net = net_moves(session, since=period.first, scope=scope, zone=period.zone)
    return flow_counts(state_counts(session, scope), net, period.days())


def linked_counts(session: Session, *, period: Period, scope: Scope) -> tuple[int, int, int]:
    """Return messages of the period on an item, on a shipped one, on a loop-closed one."""
    row = (
        conn(session)
        .execute(
            select(
                func.count(),
                func.sum(sa.case((Item.status.in_(DONE_STATES), 1), else_=0)),
                func.sum(sa.case((Item.status == "loop_closed", 1), else_=0)),
            )
            .select_from(Message)
            .join(Item, Item.id == Message.item_id)
            .where(*message_conditions(scope, period), *item_conditions(Scope(team=scope.team)))
        )
        .one()
    )
    return tuple(int(v or 0) for v in row)


def forwarded_only(session: Session, *, period: Period, scope: Scope) -> int:
    """Return messages of the period forwarded (then or since) but on no item.

    Driven from the forwards made since the period began (`ix_forward_created`) into their
    messages by key: a message is forwarded after it arrives, so older forwards cannot be
    about the period's messages (only one dated in the future by its sender's clock could).
    """
    # coalesce keeps SQLite from scanning every unlinked message through the item_id index
    stmt = (
        select(func.count(sa.distinct(Forward.message_id)))
        .join(Message, Message.id == Forward.message_id)
        .where(Forward.created_at >= period.start, Forward.message_id.is_not(None))
        .where(*message_conditions(scope, period), func.coalesce(Message.item_id, 0) == 0)
    )
    return int(conn(session).scalar(team_forwards(stmt, scope)) or 0)
