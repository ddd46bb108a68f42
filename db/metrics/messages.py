"""Message metrics, read from the daily message rollup (`db.rollup`): volume by channel with
the share of complaints, notable cards per day, rising themes; and the drill-down to the
messages behind a clicked bar or theme, plus the team names to filter by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from db.metrics.base import CHANNELS, Period, Scope, as_day, conn, message_conditions
from db.models import Item, Message, MessageDay, Theme, User


@dataclass(frozen=True)
class VolumePoint:
    day: date
    channel: str
    messages: int
    complaints: int
    complaint_share: float


def rollup_conditions(scope: Scope, period: Period) -> list[Any]:
    """Return WHERE conditions on the daily rollup for the scope and (day-aligned) period."""
    conds = period.covers(MessageDay.day)
    if scope.channel:
        conds.append(MessageDay.channel == scope.channel)
    if scope.theme_id:
        conds.append(MessageDay.theme_id == scope.theme_id)
    return conds


def day_stats(session: Session, *, period: Period, scope: Scope = Scope()) -> dict[date, tuple]:
    """Return per day: notable cards, then messages and complaints per channel.

    Read from the daily rollup (`db.rollup`): a card is a theme with a notable message that
    day, or one notable message without a theme.
    """
    r = MessageDay
    themed = sa.case((sa.and_(r.notable > 0, r.theme_id != 0), r.theme_id))
    cols = [
        r.day,
        func.count(sa.distinct(themed)) + func.sum(sa.case((r.theme_id == 0, r.notable), else_=0)),
    ]
    for ch in CHANNELS:
        cols.append(func.sum(sa.case((r.channel == ch, r.messages), else_=0)))
        cols.append(func.sum(sa.case((r.channel == ch, r.complaints), else_=0)))
    stmt = (
        select(*cols)
        .where(*rollup_conditions(scope, period))
        .group_by(r.day)
        .having(func.sum(r.messages) > 0)
    )
    return {
        as_day(row[0]): tuple(int(v or 0) for v in row[1:]) for row in conn(session).execute(stmt)
    }


def volume_points(stats: dict[date, tuple]) -> list[VolumePoint]:
    """Return messages per day and channel with the share of complaints."""
    out = []
    for day in sorted(stats):
        for i, ch in enumerate(CHANNELS):
            n, c = stats[day][1 + 2 * i], stats[day][2 + 2 * i]
            if n:
                out.append(VolumePoint(day, ch, n, c, round(c / n, 4)))
    return out


def volume(session: Session, *, period: Period, scope: Scope = Scope()) -> list[VolumePoint]:
    """Return messages per day and channel with the share of complaints."""
    return volume_points(day_stats(session, period=period, scope=scope))


@dataclass(frozen=True)
class ThemeTrend:
    theme_id: int
    label: str
    messages: int
    previous: int
    change: int


def rising_themes(
    session: Session, *, period: Period, scope: Scope = Scope(), limit: int = 10
) -> list[ThemeTrend]:
    """Return the themes whose message count grew most against the previous period."""
    r = MessageDay
    cur = func.sum(sa.case((r.day >= period.first, r.messages), else_=0))
    total = func.sum(r.messages)
    change = (2 * cur - total).label("change")  # cur - (total - cur)
    counts = (
        select(r.theme_id, cur.label("cur"), total.label("total"), change)
        .where(*rollup_conditions(Scope(channel=scope.channel), period.with_previous()))
        .where(r.theme_id != 0)
        .group_by(r.theme_id)
        .order_by(change.desc(), r.theme_id)
        .limit(limit)
        .subquery()
    )
    stmt = select(Theme.id, Theme.label, counts.c.cur, counts.c.total).join(
        counts, counts.c.theme_id == Theme.id
    )
    rows = [
        ThemeTrend(i, lbl, int(c), int(t - c), int(2 * c - t))
        for i, lbl, c, t in conn(session).execute(stmt)
    ]
    return sorted([r for r in rows if r.change > 0], key=lambda r: (-r.change, r.theme_id))


def teams(session: Session) -> list[str]:
    """Return every team named on a user or an item, sorted."""
    names = (
        conn(session)
        .execute(
            sa.union(  # each side grouped first: a hash of a few names, not a sort of all items
                select(User.team).where(User.team.is_not(None)).group_by(User.team),
                select(Item.team).where(Item.team.is_not(None)).group_by(Item.team),
            )
        )
        .scalars()
    )
    return sorted(names)


def drill_messages(
    session: Session,
    *,
    period: Period,
    channel: str | None = None,
    theme_id: int | None = None,
    day: date | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Return the highest-scored messages behind a clicked bar or theme (plain values)."""
    if day is not None:
        period = Period.between(day, day, period.zone)
    cols = (Message.id, Message.received_at, Message.channel, Message.sender, Message.subject)
    stmt = (
        select(*cols, func.substr(Message.body, 1, 280), Message.score, Message.item_id)
        .where(*message_conditions(Scope(channel=channel, theme_id=theme_id), period))
        .order_by(Message.score.desc(), Message.id)
        .limit(limit)
    )
    keys = ("id", "received_at", "channel", "sender", "subject", "text", "score", "item_id")
    return [dict(zip(keys, row, strict=True)) for row in conn(session).execute(stmt)]
