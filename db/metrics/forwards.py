"""Forward metrics: hours to acknowledge, overdue forwards by day, SLA breaches by team.

Whole days come from the forward rollup (`db.fwdrollup`: a few rows per day and recipient, so
a 90-day period reads hundreds of rows, not tens of thousands of forwards); the part of today
that has passed, which the rollup cannot cut at `now`, from the `forward` table itself
(`db.metrics.fwdlive`, also the reference the tests compare with). The team of a forward is its
recipient's, as of now.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from db import fwdrollup
from db.clock import day_start, local_day
from db.metrics import fwdlive, spread
from db.metrics.base import Period, Scope, as_day, conn
from db.metrics.spread import Spreads
from db.models import Forward, ForwardDay, Item, Message, User

R = ForwardDay


def _rows(session: Session, cols: list[Any], conds: list[Any], scope: Scope, by=None) -> Any:
    """Return rollup rows (`cols`) matching `conds` in the scope's team, grouped `by`."""
    stmt = select(*cols).where(*conds)
    stmt = stmt if by is None else stmt.group_by(by)
    if scope.team:
        stmt = stmt.join(User, User.id == R.recipient_id).where(User.team == scope.team)
    return conn(session).execute(stmt)


def _midnight(at: datetime, zone: tzinfo) -> datetime:
    """Return the UTC moment the company's day of `at` began."""
    return day_start(local_day(at, zone), zone)


def ack_arrays(
    session: Session, *, period: Period, scope: Scope = Scope()
) -> dict[date, np.ndarray]:
    """Return per day the sorted hours forward → acknowledged of forwards acknowledged then.

    Each (day, recipient) row holds its seconds as fixed-width hex (`db.fwdrollup.decode`):
    a day's rows are joined and read as one array, no number is parsed from text one by one.
    """
    conds = [*period.covers(R.day), R.acked > 0]
    joined: dict[date, list[str]] = {}
    for day, text in _rows(session, [R.day, R.ack_seconds], conds, scope):
        joined.setdefault(as_day(day), []).append(text)
    return {d: np.sort(fwdrollup.decode("".join(p))) / 3600.0 for d, p in joined.items()}


def ack_hours(
    session: Session, *, period: Period, scope: Scope = Scope()
) -> dict[date, list[float]]:
    """Return `ack_arrays` as lists."""
    return {d: a.tolist() for d, a in ack_arrays(session, period=period, scope=scope).items()}


def ack_spreads(session: Session, *, period: Period, scope: Scope = Scope()) -> Spreads:
    """Return the hours forward → acknowledged of forwards acknowledged in the period, per day."""
    return spread.from_arrays(ack_arrays(session, period=period, scope=scope))


def overdue_by_day(
    session: Session,
    *,
    days: list[date],
    now: datetime,
    scope: Scope = Scope(),
    zone: tzinfo = UTC,
) -> list[int]:
    """Return how many forwards were overdue (past respond_by, unacknowledged) at each day's end.

    Overdue at t = late forwards due before t minus late ones acknowledged by t (late: after
    respond_by, or not at all): the rollup's per-day counts for every whole day before today's
    cut, summed up in Python; today, which ends at `now`, from the forwards themselves.
    """
    if not days:
        return []
    until = min(day_start(days[-1] + timedelta(days=1), zone), now)
    cut = _midnight(until, zone)
    cut_day = local_day(cut, zone)
    due_by, acked_by = Counter(), Counter()
    cols = [R.day, func.sum(R.due_open + R.due_late), func.sum(R.acked_late)]
    for day, due, acked in _rows(session, cols, [R.day < cut_day], scope, by=R.day):
        due_by[as_day(day)] += int(due or 0)
        acked_by[as_day(day)] += int(acked or 0)
    if cut < until:
        due, acked = fwdlive.overdue_today(session, cut=cut, until=until, scope=scope)
        due_by[cut_day] += due
        acked_by[cut_day] += acked
    return fwdlive.running_overdue(days, due_by, acked_by)


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

    Whole days before today's cut from the rollup, per recipient; today up to `now` from the
    forwards; then summed by the recipients' teams.
    """
    until = min(period.end, now)
    cut = max(min(_midnight(until, period.zone), period.end), period.start)
    per: dict[int, list[int]] = {}
    cols = [R.recipient_id, func.sum(R.due), func.sum(R.due_late), func.sum(R.due_open)]
    conds = [R.day >= period.first, R.day < local_day(cut, period.zone), R.due > 0]
    for to, *counts in _rows(session, cols, conds, Scope(), by=R.recipient_id):
        per[to] = [int(n or 0) for n in counts]
    if cut < until:
        for to, counts in fwdlive.sla_per_recipient(session, start=cut, until=until).items():
            row = per.setdefault(to, [0, 0, 0])
            per[to] = [a + b for a, b in zip(row, counts, strict=True)]
    rows = fwdlive.sum_by_team(per, fwdlive.teams_of(session), scope)
    return [SlaRow(*r) for r in rows]


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
