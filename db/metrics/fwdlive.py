"""Forward metrics straight from the `forward` table: the reference for `db.metrics.forwards`.

`db.metrics.forwards` reads whole days from the forward rollup (`db.fwdrollup`) and asks these
queries only for the part of today that has passed; the tests check the rollup-based numbers
against the full-range versions here (`ack_hours`, `sla_by_team`, `overdue_by_day`).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta, tzinfo

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from db.clock import day_start
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
from db.models import Forward, User


def ack_hours(
    session: Session, *, period: Period, scope: Scope = Scope()
) -> dict[date, list[float]]:
    """Return per day the sorted hours forward → acknowledged of forwards acknowledged then."""
    d = dialect(session)
    day = day_key(Forward.acknowledged_at, d, period.zone)
    hours = hours_between(Forward.created_at, Forward.acknowledged_at, d)
    stmt = (
        select(day, concat_values(hours, d))
        .where(Forward.acknowledged_at >= period.start, Forward.acknowledged_at < period.end)
        .group_by(day)
    )
    rows = conn(session).execute(team_forwards(stmt, scope)).all()
    return {as_day(k): parse_values(v) for k, v in rows}


def overdue_moves(
    session: Session, *, start: datetime, until: datetime, scope: Scope, zone: tzinfo = UTC
) -> tuple[Counter, Counter]:
    """Return per day the late forwards falling due and the late ones acknowledged, those due
    before `until` and not acknowledged by `start` (late: acknowledged after respond_by, or not
    at all)."""
    d = dialect(session)
    ack = Forward.acknowledged_at
    late = sa.or_(ack.is_(None), ack > Forward.respond_by)
    due_by, acked_by = Counter(), Counter()
    for col, into, extra in ((Forward.respond_by, due_by, []), (ack, acked_by, [ack <= until])):
        day = day_key(col, d, zone)  # one expression object: PostgreSQL must see the same GROUP BY
        stmt = (
            select(day, func.count())
            .where(Forward.respond_by < until, late, sa.or_(ack.is_(None), ack > start), *extra)
            .group_by(day)
        )
        rows = conn(session).execute(team_forwards(stmt, scope)).all()
        into.update({as_day(k): n for k, n in rows})
    return due_by, acked_by


def overdue_today(
    session: Session, *, cut: datetime, until: datetime, scope: Scope
) -> tuple[int, int]:
    """Return the late forwards falling due in [cut, until) and the late ones acknowledged
    in [cut, until] (`overdue_moves` for a part of one day, read along two short index ranges).
    """
    ack = Forward.acknowledged_at
    late = sa.or_(ack.is_(None), ack > Forward.respond_by)
    due = select(func.count()).select_from(Forward)
    due = due.where(Forward.respond_by >= cut, Forward.respond_by < until, late)
    acked = select(func.count()).select_from(Forward)
    acked = acked.where(ack >= cut, ack <= until, ack > Forward.respond_by)
    run = conn(session).scalar
    return int(run(team_forwards(due, scope)) or 0), int(run(team_forwards(acked, scope)) or 0)


def running_overdue(days: list[date], due_by: Counter, acked_by: Counter) -> list[int]:
    """Return the forwards overdue at each day's end from per-day due and acknowledged counts."""
    due = sum(n for k, n in due_by.items() if k < days[0])
    acked = sum(n for k, n in acked_by.items() if k < days[0])
    out = []
    for day in days:
        due, acked = due + due_by[day], acked + acked_by[day]
        out.append(due - acked)
    return out


def overdue_by_day(
    session: Session,
    *,
    days: list[date],
    now: datetime,
    scope: Scope = Scope(),
    zone: tzinfo = UTC,
) -> list[int]:
    """Return how many forwards were overdue (past respond_by, unacknowledged) at each day's end.

    Overdue at t = due before t minus acknowledged by t, over the forwards acknowledged late or
    not at all (today ends at `now`).
    """
    if not days:
        return []
    start = day_start(days[0], zone)
    until = min(day_start(days[-1] + timedelta(days=1), zone), now)
    due_by, acked_by = overdue_moves(session, start=start, until=until, scope=scope, zone=zone)
    return running_overdue(days, due_by, acked_by)


def sla_per_recipient(
    session: Session, *, start: datetime, until: datetime
) -> dict[int, tuple[int, int, int]]:
    """Return per recipient the forwards due in [start, until): (due, acknowledged late, open).

    A covered index range (`ix_forward_due`), no join per forward.
    """
    late = sa.case((Forward.acknowledged_at > Forward.respond_by, 1), else_=0)
    still_open = sa.case((Forward.acknowledged_at.is_(None), 1), else_=0)
    stmt = (
        select(Forward.recipient_id, func.count(), func.sum(late), func.sum(still_open))
        .where(Forward.respond_by >= start, Forward.respond_by < until)
        .group_by(Forward.recipient_id)
    )
    return {to: (int(n), int(a or 0), int(b or 0)) for to, n, a, b in conn(session).execute(stmt)}


def teams_of(session: Session) -> dict[int, str]:
    """Return every user's team as the SLA table names it ("No team" when unset)."""
    rows = conn(session).execute(select(User.id, func.coalesce(User.team, "No team")))
    return dict(rows.all())


def sla_by_team(
    session: Session, *, period: Period, scope: Scope = Scope(), now: datetime
) -> list[tuple[str, int, int, int]]:
    """Return (team, due, late, still open) per recipient team for forwards due in the period."""
    per = sla_per_recipient(session, start=period.start, until=min(period.end, now))
    return sum_by_team(per, teams_of(session), scope)


def sum_by_team(
    per: dict[int, tuple[int, int, int]], teams: dict[int, str], scope: Scope
) -> list[tuple[str, int, int, int]]:
    """Return per-recipient SLA counts summed by the recipients' teams, sorted by team."""
    out: dict[str, list[int]] = {}
    for to, counts in per.items():
        team = teams.get(to)
        if team is None or (scope.team and team != scope.team):
            continue
        row = out.setdefault(team, [0, 0, 0])
        for i, n in enumerate(counts):
            row[i] += n
    return [(t, *out[t]) for t in sorted(out) if out[t][0]]
