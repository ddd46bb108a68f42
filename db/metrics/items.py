"""Item metrics read from the rollups: lead times, the cumulative flow of states, the funnel.

The rollups (`db.itemrollup`) hold per-item facts and per-day counts kept with every item Event,
so each query here reads a few hundred day rows or one narrow row per item shipped in the
period, never every event or message. A theme scope has no rollup; it falls back to the
event-based queries of `db.metrics.live`, which are also the reference the tests check the
rollups against.
"""

from __future__ import annotations

from bisect import bisect_left
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
    concat_values,
    conn,
    dialect,
    parse_values,
)
from db.models import ItemDay, ItemFact, LinkDay, MessageDay


def fact_conditions(table, scope: Scope) -> list:
    """Return WHERE conditions on a rollup table with `team` and `channels` columns."""
    conds = []
    if scope.team:
        conds.append(table.team == scope.team)
    if scope.channel:
        conds.append(table.channels.in_(itemrollup.masks_with(scope.channel)))
    return conds


def ship_days(period: Period) -> list:
    """Return WHERE conditions on ItemFact for items last shipped in the period's days."""
    return [ItemFact.ship_day >= period.start.date(), ItemFact.ship_day < period.end.date()]


@dataclass(frozen=True)
class LeadTime:
    item_id: int
    shipped_day: date
    days: float
    loop_closed: bool


def lead_rows(
    session: Session, *, period: Period, scope: Scope = Scope(), ids: bool = False
) -> list[tuple]:
    """Return (shipped day, days to fix, loop closed?) of items last shipped in the period.

    With `ids`, each row starts with the item id. Tens of thousands of rows at scale: three
    plain columns keep the fetch cheap (the closed flag as 0/1, not the state's text).
    """
    if scope.theme_id:
        rows = live.lead_rows(session, period=period, scope=scope)
        return [(*r[: 1 if ids else 0], *r[1:3], r[3] == "loop_closed") for r in rows]
    f = ItemFact
    cols = [f.ship_day, f.lead_days, sa.case((f.status == "loop_closed", 1), else_=0)]
    stmt = select(*([f.item_id] if ids else []), *cols).where(
        *ship_days(period), *fact_conditions(f, scope)
    )
    rows = conn(session).execute(stmt).fetchall()
    return [(*r[:-3], as_day(r[-3]), float(r[-2] or 0), bool(r[-1])) for r in rows]


def lead_times(session: Session, *, period: Period, scope: Scope = Scope()) -> list[LeadTime]:
    """Return days first complaint → last ship for each item last shipped in the period."""
    return [LeadTime(*r) for r in lead_rows(session, period=period, scope=scope, ids=True)]


@dataclass(frozen=True)
class LeadDay:
    """The items last shipped on one day: their days to fix (sorted), how many loop-closed."""

    days: list[float]
    closed: int


def lead_by_day(session: Session, *, period: Period, scope: Scope = Scope()) -> dict[date, LeadDay]:
    """Return per ship day the lead times of the items last shipped in the period.

    One row per day, the values joined in SQL (`concat_values`): exact percentiles without
    a result row per item.
    """
    if scope.theme_id:
        by: dict[date, list] = {}
        for day, days, closed in lead_rows(session, period=period, scope=scope):
            by.setdefault(day, []).append((days, closed))
        return {k: LeadDay(sorted(d for d, _ in v), sum(c for _, c in v)) for k, v in by.items()}
    f = ItemFact
    closed = func.sum(sa.case((f.status == "loop_closed", 1), else_=0))
    # grouped along `ix_item_fact_shipped`: no sort in SQL, and each day's values arrive in
    # ascending runs, which makes sorting them in Python nearly free
    stmt = (
        select(f.ship_day, concat_values(f.lead_days, dialect(session)), closed)
        .where(*ship_days(period), *fact_conditions(f, scope))
        .group_by(f.ship_day)
    )
    rows = conn(session).execute(stmt).all()
    return {as_day(k): LeadDay(parse_values(v), int(c or 0)) for k, v, c in rows}


@dataclass(frozen=True)
class LeadBin:
    days_from: float
    days_to: float
    items: int


BIN_WIDTHS = (0.5, 1, 2, 5, 7, 14, 30, 60, 90)


def lead_bins(days: list[float], *, max_bins: int = 20) -> list[LeadBin]:
    """Return a histogram of lead times in days, with a readable bin width."""
    if not days:
        return []
    s = sorted(days)  # then each bin is two bisections, not a pass over every value
    width = next((w for w in BIN_WIDTHS if s[-1] / w < max_bins), BIN_WIDTHS[-1])
    n = int(s[-1] // width) + 1
    edges = [bisect_left(s, k * width) for k in range(n)] + [len(s)]
    return [LeadBin(k * width, (k + 1) * width, edges[k + 1] - edges[k]) for k in range(n)]


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
    conds = [r.day >= period.start.date(), r.day < period.end.date()]
    conds += [r.channel == scope.channel] if scope.channel else []
    conds += [r.team == scope.team] if scope.team else []
    stmt = select(r.status, func.sum(r.messages)).where(*conds).group_by(r.status)
    by = {s: int(n or 0) for s, n in conn(session).execute(stmt)}
    return sum(by.values()), sum(by.get(s, 0) for s in DONE_STATES), by.get("loop_closed", 0)


def funnel(session: Session, *, period: Period, scope: Scope = Scope()) -> list[FunnelStage]:
    """Return messages received in the period reaching forwarded, item, shipped, loop closed."""
    r = MessageDay
    conds = [r.day >= period.start.date(), r.day < period.end.date()]
    conds += [r.channel == scope.channel] if scope.channel else []
    conds += [r.theme_id == scope.theme_id] if scope.theme_id else []
    total = int(conn(session).scalar(select(func.sum(r.messages)).where(*conds)) or 0)
    linked, shipped, closed = linked_counts(session, period=period, scope=scope)
    forwarded = linked + live.forwarded_only(session, period=period, scope=scope)
    counts = [total, forwarded, linked, shipped, closed]
    return [
        FunnelStage(s, n, round(n / total, 4) if total else 0.0)
        for s, n in zip(FUNNEL_STAGES, counts, strict=True)
    ]
