"""Item metrics read from the rollups: the cumulative flow of states and the funnel.

The rollups (`db.itemrollup`) hold per-item facts and per-day counts kept with every item Event,
so each query here reads a few hundred day rows or one narrow row per item shipped in the
period, never every event or message. A theme scope has no rollup; it falls back to the
event-based queries of `db.metrics.live`, which are also the reference the tests check the
rollups against.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from db import itemrollup
from db.metrics import live
from db.metrics.base import (
    DONE_STATES,
    FUNNEL_STAGES,
    STATES,
    Period,
    Scope,
    as_day,
    conn,
)
from db.metrics.messages import rollup_conditions
from db.models import ForwardMsg, ItemDay, LinkDay, MessageDay


def fact_conditions(table, scope: Scope) -> list:
    """Return WHERE conditions on a rollup table with `team` and `channels` columns."""
    conds = []
    if scope.team:
        conds.append(table.team == scope.team)
    if scope.channel:
        conds.append(table.channels.in_(itemrollup.masks_with(scope.channel)))
    return conds


@dataclass(frozen=True)
class FlowPoint:
    day: date
    state: str
    items: int


def flow_counts(session: Session, *, period: Period, scope: Scope) -> dict[date, Counter]:
    """Return the items in each state at the end of each day and of the day before the period.

    `ItemDay` is a ledger (see `db.itemrollup`): the stock at a day's end is the sum of its
    rows up to that day, so two small sums over day rows answer it, no item is read.
    """
    if scope.theme_id:
        return live.state_flow_counts(session, period=period, scope=scope)
    r, days = ItemDay, period.days()
    conds = fact_conditions(r, scope)
    opening = select(r.state, func.sum(r.items)).where(r.day < days[0], *conds).group_by(r.state)
    running = Counter({s: int(n) for s, n in conn(session).execute(opening)})
    moves = (
        select(r.day, r.state, func.sum(r.items))
        .where(r.day >= days[0], r.day <= days[-1], *conds)
        .group_by(r.day, r.state)
    )
    net: dict[date, Counter] = {}
    for day, state, n in conn(session).execute(moves):
        net.setdefault(as_day(day), Counter())[state] += int(n)
    out = {days[0] - timedelta(days=1): Counter({s: running[s] for s in STATES})}
    for day in days:
        running.update(net.get(day, Counter()))
        out[day] = Counter({s: running[s] for s in STATES})
    return out


def state_flow(session: Session, *, period: Period, scope: Scope = Scope()) -> list[FlowPoint]:
    """Return the items in each state at the end of each day (cumulative flow)."""
    counts = flow_counts(session, period=period, scope=scope)
    return [FlowPoint(d, s, counts[d][s]) for d in sorted(counts) for s in STATES]


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    messages: int
    share: float  # of all messages in the period


def linked_counts(session: Session, *, period: Period, scope: Scope) -> tuple[int, int, int]:
    """Return messages of the period on an item, on a shipped one, on a loop-closed one."""
    if scope.theme_id:
        return live.linked_counts(session, period=period, scope=scope)
    r = LinkDay
    conds = period.covers(r.day)
    conds += [r.channel == scope.channel] if scope.channel else []
    conds += [r.team == scope.team] if scope.team else []
    stmt = select(r.status, func.sum(r.messages)).where(*conds).group_by(r.status)
    by = {s: int(n or 0) for s, n in conn(session).execute(stmt)}
    return sum(by.values()), sum(by.get(s, 0) for s in DONE_STATES), by.get("loop_closed", 0)


def forwarded_only(session: Session, *, period: Period, scope: Scope) -> int:
    """Return messages of the period forwarded but on no item.

    From `ForwardMsg` (each forwarded message once, kept by `db.fwdrollup`): one covered index
    range. A team scope (forwards to that team's people) or a theme falls back to the query on
    forwards and messages in `db.metrics.live`.
    """
    if scope.team or scope.theme_id:
        return live.forwarded_only(session, period=period, scope=scope)
    r = ForwardMsg
    conds = [r.linked == sa.false(), *period.covers(r.day)]
    conds += [r.channel == scope.channel] if scope.channel else []
    return int(conn(session).scalar(select(func.count()).select_from(r).where(*conds)) or 0)


def funnel(session: Session, *, period: Period, scope: Scope = Scope()) -> list[FunnelStage]:
    """Return messages received in the period reaching forwarded, item, shipped, loop closed."""
    stmt = select(func.sum(MessageDay.messages)).where(*rollup_conditions(scope, period))
    total = int(conn(session).scalar(stmt) or 0)
    linked, shipped, closed = linked_counts(session, period=period, scope=scope)
    forwarded = linked + forwarded_only(session, period=period, scope=scope)
    counts = [total, forwarded, linked, shipped, closed]
    return [
        FunnelStage(s, n, round(n / total, 4) if total else 0.0)
        for s, n in zip(FUNNEL_STAGES, counts, strict=True)
    ]
