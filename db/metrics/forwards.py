"""Forward metrics: hours to acknowledge, overdue forwards by day, SLA breaches by team.

Read from the `forward` table with small GROUP BY day counts or the forwards of one period
(`ix_forward_acked` covers those acknowledged in a period). The team of a forward is its
recipient's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from db.metrics import spread
from db.metrics.base import (
    Period,
    Scope,
    as_day,
    concat_values,
    conn,
    day_key,
    dialect,
    hours_between,
    parse_values,
    team_forwards,
)
from db.metrics.spread import Spreads
from db.models import Forward, Item, Message, User


def ack_hours(
    session: Session, *, period: Period, scope: Scope = Scope()
) -> dict[date, list[float]]:
    """Return per day the sorted hours forward → acknowledged of forwards acknowledged then."""
    d = dialect(session)
    day = day_key(Forward.acknowledged_at, d)
    hours = hours_between(Forward.created_at, Forward.acknowledged_at, d)
    stmt = (
        select(day, concat_values(hours, d))
        .where(Forward.acknowledged_at >= period.start, Forward.acknowledged_at < period.end)
        .group_by(day)
    )
    rows = conn(session).execute(team_forwards(stmt, scope)).all()
    return {as_day(k): parse_values(v) for k, v in rows}


def ack_spreads(session: Session, *, period: Period, scope: Scope = Scope()) -> Spreads:
    """Return the hours forward → acknowledged of forwards acknowledged in the period, per day.

    From the values on both databases: PostgreSQL's percentile_cont was measured slower here
    (the hours are computed, so every day's values need a sort, and the total another).
    """
    return spread.from_lists(ack_hours(session, period=period, scope=scope))


def overdue_by_day(
    session: Session, *, days: list[date], now: datetime, scope: Scope = Scope()
) -> list[int]:
    """Return how many forwards were overdue (past respond_by, unacknowledged) at each day's end.

    Two small GROUP BY day counts, summed up in Python: overdue at t = due before t minus
    acknowledged by t, over the forwards acknowledged late or not at all (today ends at `now`).
    """
    if not days:
        return []
    d = dialect(session)
    start = datetime.combine(days[0], time(), tzinfo=UTC)
    until = min(datetime.combine(days[-1] + timedelta(days=1), time(), tzinfo=UTC), now)
    ack = Forward.acknowledged_at
    late = sa.or_(ack.is_(None), ack > Forward.respond_by)
    due_by, acked_by = Counter(), Counter()
    for col, into, extra in ((Forward.respond_by, due_by, []), (ack, acked_by, [ack <= until])):
        day = day_key(col, d)  # one expression object: PostgreSQL must see the same GROUP BY
        stmt = (
            select(day, func.count())
            .where(Forward.respond_by < until, late, sa.or_(ack.is_(None), ack > start), *extra)
            .group_by(day)
        )
        rows = conn(session).execute(team_forwards(stmt, scope)).all()
        into.update({as_day(k): n for k, n in rows})
    out, due, acked = [], 0, 0
    due += sum(n for k, n in due_by.items() if k < days[0])
    acked += sum(n for k, n in acked_by.items() if k < days[0])
    for day in days:
        due, acked = due + due_by[day], acked + acked_by[day]
        out.append(due - acked)
    return out


@dataclass(frozen=True)
class SlaRow:
    team: str
    due: int
    late: int  # acknowledged after respond_by
    still_open: int  # not acknowledged and past respond_by


def sla_by_team(
    session: Session, *, period: Period, scope: Scope = Scope(), now: datetime
) -> list[SlaRow]:
    """Return, per recipient team, forwards due in the period and how many breached the SLA.

    Counted per recipient first (a covered index range, no join per forward), then summed by
    the recipients' teams.
    """
    until = min(period.end, now)
    late = sa.case((Forward.acknowledged_at > Forward.respond_by, 1), else_=0)
    still_open = sa.case((Forward.acknowledged_at.is_(None), 1), else_=0)
    per = (
        select(
            Forward.recipient_id.label("user_id"),
            func.count().label("due"),
            func.sum(late).label("late"),
            func.sum(still_open).label("still_open"),
        )
        .where(Forward.respond_by >= period.start, Forward.respond_by < until)
        .group_by(Forward.recipient_id)
        .subquery()
    )
    team = func.coalesce(User.team, "No team")
    stmt = (
        select(team, func.sum(per.c.due), func.sum(per.c.late), func.sum(per.c.still_open))
        .join(User, User.id == per.c.user_id)
        .group_by(team)
        .order_by(team)
    )
    if scope.team:
        stmt = stmt.where(User.team == scope.team)
    rows = conn(session).execute(stmt)
    return [SlaRow(t, int(n), int(a or 0), int(b or 0)) for t, n, a, b in rows]


def sla_breaches(
    session: Session, *, period: Period, team: str | None, now: datetime, limit: int = 50
) -> list[dict[str, Any]]:
    """Return the forwards due in the period that were acknowledged late or are still open."""
    late = sa.or_(
        Forward.acknowledged_at > Forward.respond_by,
        sa.and_(Forward.acknowledged_at.is_(None), Forward.respond_by < now),
    )
    title = func.coalesce(Item.title, Message.subject, func.substr(Message.body, 1, 80))
    stmt = (
        select(Forward.id, title, User.name, Forward.item_id, Forward.respond_by)
        .add_columns(Forward.acknowledged_at)
        .select_from(Forward)
        .join(User, User.id == Forward.recipient_id)
        .outerjoin(Item, Item.id == Forward.item_id)
        .outerjoin(Message, Message.id == Forward.message_id)
        .where(Forward.respond_by >= period.start, Forward.respond_by < min(period.end, now), late)
        .order_by(Forward.respond_by)
        .limit(limit)
    )
    if team:
        stmt = stmt.where(func.coalesce(User.team, "No team") == team)
    keys = ("forward_id", "title", "recipient", "item_id", "respond_by", "acknowledged_at")
    return [dict(zip(keys, row, strict=True)) for row in conn(session).execute(stmt)]
