"""The vocabulary every Insights metric shares: periods, scopes, KPIs and dialect helpers.

`Period` is a half-open range of the company's whole days (`db.clock`); `Scope` the optional
filters (team, channel, theme); `Kpi` one headline number with its previous-period value and
sparkline. `day_key` and `hours_between` hide the SQLite / PostgreSQL differences;
`percentile` interpolates like numpy's default. "Unowned" means no owner has accepted the item
yet (state `new`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from db.clock import day_start
from db.models import Forward, Item, Message, User
from db.rollup import as_day  # noqa: F401  (shared by the metrics modules)
from db.rollup import day_sql as day_key  # noqa: F401  (the metrics' name for it)

STATES = ("new", "acknowledged", "in_progress", "shipped", "loop_closed", "declined", "duplicate")
OPEN_STATES = ("new", "acknowledged", "in_progress")
DONE_STATES = ("shipped", "loop_closed")
FUNNEL_STAGES = ("Messages", "Forwarded", "On an item", "Shipped", "Loop closed")
CHANNELS = ("email", "tweet")


@dataclass(frozen=True)
class Period:
    """Whole days of the company, `first` up to `stop` (excluded), in its time zone.

    `start` and `end` are the UTC moments those days span, for filters on stored timestamps;
    day columns (the rollups, keyed by the company's days) compare with `first` and `stop`.
    """

    first: date
    stop: date
    zone: tzinfo = UTC

    @classmethod
    def days_back(cls, days: int, *, today: date, zone: tzinfo = UTC) -> Period:
        """Return the last `days` whole days ending with `today`."""
        return cls.between(today - timedelta(days=days - 1), today, zone)

    @classmethod
    def between(cls, first: date, last: date, zone: tzinfo = UTC) -> Period:
        """Return the days from `first` to `last`, both included."""
        return cls(first, last + timedelta(days=1), zone)

    @property
    def start(self) -> datetime:
        return day_start(self.first, self.zone)

    @property
    def end(self) -> datetime:
        return day_start(self.stop, self.zone)

    def previous(self) -> Period:
        """Return the period of the same number of days just before this one."""
        return Period(self.first - (self.stop - self.first), self.first, self.zone)

    def with_previous(self) -> Period:
        """Return this period and the one before it, as one."""
        return Period(self.previous().first, self.stop, self.zone)

    def covers(self, day: Any) -> list[Any]:
        """Return the SQL conditions that a column of the company's days falls in this period."""
        return [day >= self.first, day < self.stop]

    def days(self) -> list[date]:
        """Return each day of the period."""
        return [self.first + timedelta(days=i) for i in range((self.stop - self.first).days)]


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


def hours_between(start: Any, end: Any, dialect: str) -> Any:
    """Return an SQL expression for the hours from `start` to `end`."""
    if dialect == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def concat_values(col: Any, dialect: str) -> Any:
    """Return an SQL aggregate joining a numeric column's values with commas.

    Tens of thousands of values per period travel as one string per group, parsed by
    `parse_values`: far cheaper than one result row each, and still exact for percentiles.
    """
    if dialect == "postgresql":
        return func.string_agg(sa.cast(col, sa.Text), ",")
    return func.group_concat(col, ",")


def parse_values(text: str | None, *, floor: float | None = 0.0) -> list[float]:
    """Return the sorted numbers of a `concat_values` string (clamped below at `floor`)."""
    if not text:
        return []
    values = sorted(map(float, text.split(",")))
    return [max(v, floor) for v in values] if floor is not None and values[0] < floor else values


def percentile(values: list[float], p: float, *, presorted: bool = False) -> float | None:
    """Return the p-th percentile (0..1) of values by linear interpolation, None if empty."""
    if not values:
        return None
    s = values if presorted else sorted(values)
    k = (len(s) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def dialect(session: Session) -> str:
    """Return the session's database dialect name."""
    return session.get_bind().dialect.name


def conn(session: Session) -> Any:
    """Return the session's Core connection: plain rows, no ORM loading cost per row."""
    return session.connection()


@lru_cache(maxsize=4096)
def item_conditions(scope: Scope) -> list[Any]:
    """Return WHERE conditions on Item for the scope (the live, event-based queries)."""
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


def team_forwards(stmt: Any, scope: Scope) -> Any:
    """Restrict a Forward query to forwards sent to the scope's team."""
    if scope.team:
        stmt = stmt.join(User, User.id == Forward.recipient_id).where(User.team == scope.team)
    return stmt
