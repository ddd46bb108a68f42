"""Insights metrics: how fast the loop runs and where it stalls, computed in SQL aggregates.

Owns the KPIs (days from first complaint to shipped fix, hours to acknowledge a forward, open,
unowned and overdue work, loop-closed share, notable cards per day — each against the previous
period) and the series behind the Insights charts (volume by channel, lead-time distribution,
cumulative flow of item states, funnel, SLA breaches by team, rising themes). Every time measure
comes from audit `Event` rows ("item" events with `to_state`) or the Forward's own timestamps.
Nothing loads all rows: queries group by day or fetch one number per item shipped in the period
(bounded by item count). Works on SQLite and PostgreSQL; `day_key` and `hours_between` hide the
dialect differences. "Unowned" means no owner has accepted the item yet (state `new`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from statistics import median
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from db.models import Event, Forward, Item, Message, MessageDay, Theme, User
from db.rollup import COMPLAINT_THRESHOLD, NOTABLE_SCORE  # noqa: F401 (part of this API)

STATES = ("new", "acknowledged", "in_progress", "shipped", "loop_closed", "declined", "duplicate")
OPEN_STATES = ("new", "acknowledged", "in_progress")
FUNNEL_STAGES = ("Messages", "Forwarded", "On an item", "Shipped", "Loop closed")


@dataclass(frozen=True)
class Period:
    """A half-open time range [start, end) in UTC, bucketed by day."""

    start: datetime
    end: datetime

    @classmethod
    def days_back(cls, days: int, *, today: date) -> Period:
        """Return the last `days` whole days ending with `today`."""
        return cls.between(today - timedelta(days=days - 1), today)

    @classmethod
    def between(cls, first: date, last: date) -> Period:
        """Return the days from `first` to `last`, both included."""
        start = datetime.combine(first, time(), tzinfo=UTC)
        return cls(start, datetime.combine(last + timedelta(days=1), time(), tzinfo=UTC))

    def previous(self) -> Period:
        """Return the period of the same length just before this one."""
        return Period(self.start - (self.end - self.start), self.start)

    def days(self) -> list[date]:
        """Return each day of the period."""
        n = (self.end - self.start).days
        return [self.start.date() + timedelta(days=i) for i in range(n)]


@dataclass(frozen=True)
class Scope:
    """Optional filters: team (items, forwards), channel and theme (messages, items)."""

    team: str | None = None
    channel: str | None = None
    theme_id: int | None = None


@dataclass(frozen=True)
class Kpi:
    name: str
    value: float | None
    previous: float | None
    delta: float | None
    unit: str
    spark: list[float] = field(default_factory=list)


def kpi(name: str, value: float | None, previous: float | None, unit: str, spark) -> Kpi:
    """Build a Kpi, deriving the delta when both values are known."""
    delta = None if value is None or previous is None else round(value - previous, 2)
    return Kpi(name, value, previous, delta, unit, [float(v) for v in spark])


def day_key(col: Any, dialect: str) -> Any:
    """Return an SQL expression for the UTC day of a timestamp, as 'YYYY-MM-DD' text."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", col), "YYYY-MM-DD")
    return func.substr(col, 1, 10)  # SQLite stores 'YYYY-MM-DD HH:MM:SS' UTC text


def hours_between(start: Any, end: Any, dialect: str) -> Any:
    """Return an SQL expression for the hours from `start` to `end`."""
    if dialect == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def percentile(values: list[float], p: float) -> float | None:
    """Return the p-th percentile (0..1) of values by linear interpolation, None if empty."""
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _conn(session: Session) -> Any:
    """Return the session's Core connection: plain rows, no ORM loading cost per row."""
    return session.connection()


@lru_cache(maxsize=4096)
def _day(key: str) -> date:
    return date.fromisoformat(key)


def item_conditions(scope: Scope) -> list[Any]:
    """Return WHERE conditions on Item for the scope."""
    conds: list[Any] = []
    if scope.team:
        conds.append(Item.team == scope.team)
    if scope.channel or scope.theme_id:
        linked = select(Message.id).where(Message.item_id == Item.id)
        if scope.channel:
            linked = linked.where(Message.channel == scope.channel)
        if scope.theme_id:
            linked = linked.where(Message.theme_id == scope.theme_id)
        conds.append(linked.exists())
    return conds


def message_conditions(scope: Scope, period: Period) -> list[Any]:
    """Return WHERE conditions on Message for the scope and period."""
    conds = [Message.received_at >= period.start, Message.received_at < period.end]
    if scope.channel:
        conds.append(Message.channel == scope.channel)
    if scope.theme_id:
        conds.append(Message.theme_id == scope.theme_id)
    return conds


def _team_forwards(stmt: Any, scope: Scope) -> Any:
    if scope.team:
        stmt = stmt.join(User, User.id == Forward.recipient_id).where(User.team == scope.team)
    return stmt


@dataclass(frozen=True)
class LeadTime:
    item_id: int
    shipped_day: date
    days: float
    loop_closed: bool


def lead_times(session: Session, *, period: Period, scope: Scope = Scope()) -> list[LeadTime]:
    """Return days first complaint → shipped for each item shipped in the period (last ship)."""
    d = _dialect(session)
    shipped = (
        select(Event.entity_id.label("item_id"), func.max(Event.at).label("shipped_at"))
        .where(Event.entity == "item", Event.to_state == "shipped")
        .where(Event.at >= period.start, Event.at < period.end)
        .group_by(Event.entity_id)
        .subquery()
    )
    first_msg = select(func.min(Message.received_at)).where(Message.item_id == Item.id)
    first = func.coalesce(Item.first_signal_at, first_msg.scalar_subquery(), Item.created_at)
    closed = sa.case((Item.status == "loop_closed", 1), else_=0)  # loop_closed is final
    stmt = (
        select(
            Item.id,
            day_key(shipped.c.shipped_at, d),
            hours_between(first, shipped.c.shipped_at, d) / 24.0,
            closed,
        )
        .join(shipped, shipped.c.item_id == Item.id)
        .where(*item_conditions(scope))
    )
    rows = _conn(session).execute(stmt).fetchall()
    return [LeadTime(i, _day(day), max(float(days or 0), 0.0), bool(n)) for i, day, days, n in rows]


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
    top = max(days)
    width = next((w for w in BIN_WIDTHS if top / w < max_bins), BIN_WIDTHS[-1])
    counts = Counter(int(v // width) for v in days)
    return [LeadBin(k * width, (k + 1) * width, counts.get(k, 0)) for k in range(max(counts) + 1)]


def ack_hours(
    session: Session, *, period: Period, scope: Scope = Scope()
) -> list[tuple[date, float]]:
    """Return (day, hours forward → acknowledged) for forwards acknowledged in the period."""
    d = _dialect(session)
    stmt = select(
        day_key(Forward.acknowledged_at, d),
        hours_between(Forward.created_at, Forward.acknowledged_at, d),
    ).where(Forward.acknowledged_at >= period.start, Forward.acknowledged_at < period.end)
    rows = _conn(session).execute(_team_forwards(stmt, scope))
    return [(_day(k), max(float(h), 0.0)) for k, h in rows.fetchall()]


@dataclass(frozen=True)
class FlowPoint:
    day: date
    state: str
    items: int


def state_flow(session: Session, *, period: Period, scope: Scope = Scope()) -> list[FlowPoint]:
    """Return the items in each state at the end of each day (cumulative flow).

    Counts are today's states minus the net moves recorded after each day, so an item without
    events counts in its current state throughout.
    """
    d = _dialect(session)
    now_counts = Counter(
        dict(
            _conn(session)
            .execute(
                select(Item.status, func.count())
                .where(*item_conditions(scope))
                .group_by(Item.status)
            )
            .all()
        )
    )
    day = day_key(Event.at, d)
    moves = (
        select(day, Event.from_state, Event.to_state, func.count())
        .where(Event.entity == "item", Event.to_state.is_not(None), Event.at >= period.start)
        .group_by(day, Event.from_state, Event.to_state)
    )
    if item_conditions(scope):  # join items only when filtering them (the scan stays covered)
        moves = moves.join(Item, Item.id == Event.entity_id).where(*item_conditions(scope))
    net: dict[date, Counter] = {}
    for key, src, dst, n in _conn(session).execute(moves):
        c = net.setdefault(date.fromisoformat(key), Counter())
        c[dst] += n
        if src:
            c[src] -= n
    days = period.days()
    running = Counter(now_counts)
    for k in sorted(k for k in net if k > days[-1]):
        running.subtract(net[k])
    out: list[FlowPoint] = []
    # walk back from the last day; the extra day before the period is the starting stock
    for d_ in [*reversed(days), days[0] - timedelta(days=1)]:
        out += [FlowPoint(d_, s, running[s]) for s in STATES]
        running.subtract(net.get(d_, Counter()))
    return sorted(out, key=lambda p: (p.day, STATES.index(p.state)))


def overdue_by_day(
    session: Session, *, days: list[date], now: datetime, scope: Scope = Scope()
) -> list[int]:
    """Return how many forwards were overdue (past respond_by, unacknowledged) at each day's end.

    Two small GROUP BY day counts, summed up in Python: overdue at t = due before t minus
    acknowledged by t, over the forwards acknowledged late or not at all (today ends at `now`).
    """
    if not days:
        return []
    d = _dialect(session)
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
        rows = _conn(session).execute(_team_forwards(stmt, scope)).all()
        into.update({_day(k): n for k, n in rows})
    out, due, acked = [], 0, 0
    due += sum(n for k, n in due_by.items() if k < days[0])
    acked += sum(n for k, n in acked_by.items() if k < days[0])
    for day in days:
        due, acked = due + due_by[day], acked + acked_by[day]
        out.append(due - acked)
    return out


@dataclass(frozen=True)
class VolumePoint:
    day: date
    channel: str
    messages: int
    complaints: int
    complaint_share: float


CHANNELS = ("email", "tweet")


def rollup_conditions(scope: Scope, period: Period) -> list[Any]:
    """Return WHERE conditions on the daily rollup for the scope and (day-aligned) period."""
    conds = [MessageDay.day >= period.start.date(), MessageDay.day < period.end.date()]
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
        _as_date(row[0]): tuple(int(v or 0) for v in row[1:])
        for row in _conn(session).execute(stmt)
    }


def _as_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


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


def notable_per_day(session: Session, *, period: Period, scope: Scope = Scope()) -> dict[date, int]:
    """Return the number of notable cards (a theme or a single message) per day."""
    return {d: v[0] for d, v in day_stats(session, period=period, scope=scope).items()}


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    messages: int
    share: float  # of all messages in the period


def funnel(session: Session, *, period: Period, scope: Scope = Scope()) -> list[FunnelStage]:
    """Return messages received in the period reaching forwarded, item, shipped, loop closed."""
    conds = message_conditions(scope, period)
    total = _conn(session).scalar(
        select(func.sum(MessageDay.messages)).where(*rollup_conditions(scope, period))
    )
    total = int(total or 0)
    done = ("shipped", "loop_closed")
    on_item = (
        _conn(session)
        .execute(
            select(
                func.count(),
                func.sum(sa.case((Item.status.in_(done), 1), else_=0)),
                func.sum(sa.case((Item.status == "loop_closed", 1), else_=0)),
            )
            .select_from(Message)
            .join(Item, Item.id == Message.item_id)
            .where(*conds, *item_conditions(Scope(team=scope.team)))
        )
        .one()
    )
    # drive from the forwards (few) into messages by key; coalesce keeps the planner from
    # scanning every unlinked message through the item_id index instead
    fwd_only = (
        select(func.count(sa.distinct(Forward.message_id)))
        .join(Message, Message.id == Forward.message_id)
        .where(Forward.message_id.is_not(None), *conds, func.coalesce(Message.item_id, 0) == 0)
    )
    fwd_only = _team_forwards(fwd_only, scope)
    linked, shipped, closed = (int(v or 0) for v in on_item)
    counts = [total, linked + (_conn(session).scalar(fwd_only) or 0), linked, shipped, closed]
    return [
        FunnelStage(s, n, round(n / total, 4) if total else 0.0)
        for s, n in zip(FUNNEL_STAGES, counts, strict=True)
    ]


@dataclass(frozen=True)
class SlaRow:
    team: str
    due: int
    late: int  # acknowledged after respond_by
    still_open: int  # not acknowledged and past respond_by


def sla_by_team(
    session: Session, *, period: Period, scope: Scope = Scope(), now: datetime
) -> list[SlaRow]:
    """Return, per recipient team, forwards due in the period and how many breached the SLA."""
    until = min(period.end, now)
    team = func.coalesce(User.team, "No team")
    late = sa.case((Forward.acknowledged_at > Forward.respond_by, 1), else_=0)
    still_open = sa.case((Forward.acknowledged_at.is_(None), 1), else_=0)
    stmt = (
        select(team, func.count(), func.sum(late), func.sum(still_open))
        .select_from(Forward)
        .join(User, User.id == Forward.recipient_id)
        .where(Forward.respond_by >= period.start, Forward.respond_by < until)
        .group_by(team)
        .order_by(team)
    )
    if scope.team:
        stmt = stmt.where(User.team == scope.team)
    return [SlaRow(t, n, int(a or 0), int(b or 0)) for t, n, a, b in _conn(session).execute(stmt)]


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
    prev = period.previous()
    r = MessageDay
    cur = func.sum(sa.case((r.day >= period.start.date(), r.messages), else_=0))
    total = func.sum(r.messages)
    change = (2 * cur - total).label("change")  # cur - (total - cur)
    counts = (
        select(r.theme_id, cur.label("cur"), total.label("total"), change)
        .where(*rollup_conditions(Scope(channel=scope.channel), Period(prev.start, period.end)))
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
        for i, lbl, c, t in _conn(session).execute(stmt)
    ]
    return sorted([r for r in rows if r.change > 0], key=lambda r: (-r.change, r.theme_id))


@dataclass(frozen=True)
class Insights:
    """Everything the Insights page shows for one period and scope."""

    kpis: list[Kpi]
    volume: list[VolumePoint]
    lead_bins: list[LeadBin]
    flow: list[FlowPoint]
    funnel: list[FunnelStage]
    sla: list[SlaRow]
    themes: list[ThemeTrend]


def _daily(pairs: list[tuple[date, float]], fn) -> list[float]:
    by_day: dict[date, list[float]] = {}
    for day, v in pairs:
        by_day.setdefault(day, []).append(v)
    return [fn(by_day[k]) for k in sorted(by_day)]


def _share(flags: list[bool]) -> float | None:
    return round(100.0 * sum(flags) / len(flags), 1) if flags else None


def _round(v: float | None, n: int = 1) -> float | None:
    return None if v is None else round(v, n)


def lead_kpis(cur: list[LeadTime], prev: list[LeadTime]) -> list[Kpi]:
    """Return the median and p90 days to fix and the loop-closed share."""
    days, pdays = [r.days for r in cur], [r.days for r in prev]
    pairs = [(r.shipped_day, r.days) for r in cur]
    closed = [(r.shipped_day, float(r.loop_closed)) for r in cur]
    return [
        kpi(
            "Days to fix (median)",
            _round(percentile(days, 0.5)),
            _round(percentile(pdays, 0.5)),
            "days",
            _daily(pairs, median),
        ),
        kpi(
            "Days to fix (p90)",
            _round(percentile(days, 0.9)),
            _round(percentile(pdays, 0.9)),
            "days",
            _daily(pairs, lambda v: percentile(v, 0.9)),
        ),
        kpi(
            "Loop closed",
            _share([r.loop_closed for r in cur]),
            _share([r.loop_closed for r in prev]),
            "%",
            _daily(closed, lambda v: 100 * sum(v) / len(v)),
        ),
    ]


def gather(session: Session, jobs: dict[str, Callable[[Session], Any]]) -> dict[str, Any]:
    """Run independent read queries one after another on `session`.

    Running them on two pooled connections at once was measured and gained nothing on two
    loaded cores, while adding threads to every page run, so they stay sequential.
    """
    return {k: job(session) for k, job in jobs.items()}


def insights(
    session: Session, *, period: Period, scope: Scope = Scope(), now: datetime
) -> Insights:
    """Compute every KPI and series of the Insights page."""
    prev = period.previous()
    ends = [period.start.date() - timedelta(days=1), *period.days()]  # each day's end
    both = Period(prev.start, period.end)
    got = gather(
        session,
        {  # slowest first
            "leads": lambda s: lead_times(s, period=period, scope=scope),
            "prev_leads": lambda s: lead_times(s, period=prev, scope=scope),
            "flow": lambda s: state_flow(s, period=period, scope=scope),
            "funnel": lambda s: funnel(s, period=period, scope=scope),
            "acks": lambda s: ack_hours(s, period=period, scope=scope),
            "prev_acks": lambda s: ack_hours(s, period=prev, scope=scope),
            "sla": lambda s: sla_by_team(s, period=period, scope=scope, now=now),
            "overdue": lambda s: overdue_by_day(s, days=ends, now=now, scope=scope),
            "stats": lambda s: day_stats(s, period=both, scope=scope),
            "themes": lambda s: rising_themes(s, period=period, scope=scope),
        },
    )
    leads, acks, flow, overdue, stats = (
        got[k] for k in ("leads", "acks", "flow", "overdue", "stats")
    )
    prev_acks = [h for _, h in got["prev_acks"]]
    open_by_day = Counter()
    new_by_day = Counter()
    for p in flow:
        open_by_day[p.day] += p.items if p.state in OPEN_STATES else 0
        new_by_day[p.day] += p.items if p.state == "new" else 0
    days = sorted(open_by_day)
    notable = {d: v[0] for d, v in stats.items()}
    cur_days = [d for d in period.days() if d <= now.date()] or period.days()
    spark_notable = [float(notable.get(d, 0)) for d in cur_days]
    prev_notable = [notable.get(d, 0) for d in prev.days()]
    kpis = lead_kpis(leads, got["prev_leads"])
    kpis[2:2] = [
        kpi(
            "Hours to acknowledge",
            _round(percentile([h for _, h in acks], 0.5)),
            _round(percentile(prev_acks, 0.5)),
            "h",
            _daily(acks, median),
        ),
        kpi(
            "Open items",
            open_by_day[days[-1]],
            open_by_day[days[0]],
            "items",
            [open_by_day[d] for d in days[1:]],
        ),
        kpi(
            "Unowned items",
            new_by_day[days[-1]],
            new_by_day[days[0]],
            "items",
            [new_by_day[d] for d in days[1:]],
        ),
        kpi("Overdue forwards", overdue[-1], overdue[0], "forwards", overdue[1:]),
    ]
    kpis.append(
        kpi(
            "Notable cards per day",
            _round(sum(spark_notable) / len(cur_days)),
            _round(sum(prev_notable) / len(prev_notable)),
            "cards",
            spark_notable,
        )
    )
    return Insights(
        kpis=kpis,
        volume=volume_points({d: v for d, v in stats.items() if d >= period.start.date()}),
        lead_bins=lead_bins([r.days for r in leads]),
        flow=[p for p in flow if p.day >= period.start.date()],
        funnel=got["funnel"],
        sla=got["sla"],
        themes=got["themes"],
    )


def teams(session: Session) -> list[str]:
    """Return every team named on a user or an item, sorted."""
    names = (
        _conn(session)
        .execute(
            sa.union(
                select(User.team).where(User.team.is_not(None)),
                select(Item.team).where(Item.team.is_not(None)),
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
        period = Period.between(day, day)
    cols = (Message.id, Message.received_at, Message.channel, Message.sender, Message.subject)
    stmt = (
        select(*cols, func.substr(Message.body, 1, 280), Message.score, Message.item_id)
        .where(*message_conditions(Scope(channel=channel, theme_id=theme_id), period))
        .order_by(Message.score.desc(), Message.id)
        .limit(limit)
    )
    keys = ("id", "received_at", "channel", "sender", "subject", "text", "score", "item_id")
    return [dict(zip(keys, row, strict=True)) for row in _conn(session).execute(stmt)]


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
    return [dict(zip(keys, row, strict=True)) for row in _conn(session).execute(stmt)]
