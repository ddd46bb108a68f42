"""Lead times: days from an item's first complaint to its last ship, for items shipped in a period.

Read from `ItemFact` (one narrow row per item, kept by `db.itemrollup`) along
`ix_item_fact_shipped`: per ship day the values joined in SQL (SQLite) or summarised by
PostgreSQL itself (`db.metrics.spread`). A theme scope falls back to the event-based reference
of `db.metrics.live`. Lead time counts an item once, at its last ship (as the item page does).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

import numpy as np
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlmodel import Session

from db.metrics import live, spread
from db.metrics.base import Period, Scope, as_day, concat_values, conn, dialect
from db.metrics.items import fact_conditions
from db.metrics.spread import Spreads
from db.models import ItemFact

MS_PER_DAY = 86_400_000


def lead_spreads(session: Session, *, period: Period, scope: Scope = Scope()) -> Spreads:
    """Return the days to fix of items last shipped in the period, summarised per ship day.

    PostgreSQL computes the percentiles itself; elsewhere they come from the values.
    """
    if dialect(session) != "postgresql" or scope.theme_id:
        by = lead_by_day(session, period=period, scope=scope)
        days = {k: v.days for k, v in by.items()}
        return spread.from_lists(days, {k: v.closed for k, v in by.items()}, presorted=True)
    f = ItemFact
    closed = sa.case((f.status == "loop_closed", 1), else_=0)
    conds = [*ship_days(period), *fact_conditions(f, scope)]
    return spread.in_sql(session, f.ship_day, f.lead_days, closed, conds)


def lead_histogram(
    session: Session, *, period: Period, scope: Scope, spreads: Spreads
) -> list[LeadBin]:
    """Return the histogram of `lead_spreads`: from its values, or counted by the database."""
    if spreads.values is not None:
        return lead_bins(spreads.values)
    if not spreads.overall.n:
        return []
    width = bin_width(spreads.overall.top)
    conds = [*ship_days(period), *fact_conditions(ItemFact, scope)]
    counts = spread.histogram(session, ItemFact.lead_days, conds, width)
    n = int(spreads.overall.top // width) + 1
    return [LeadBin(k * width, (k + 1) * width, counts.get(k, 0)) for k in range(n)]


def ship_days(period: Period) -> list:
    """Return WHERE conditions on ItemFact for items last shipped in the period's days."""
    return period.covers(ItemFact.ship_day)


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
    # whole milliseconds: SQLite writes an integer as text at half the cost of a REAL, and
    # numpy reads them back at once (exact to 1e-8 days, far below the KPIs' 0.1)
    ms = sa.cast(f.lead_days * MS_PER_DAY, sa.BigInteger)  # SQLite truncates: < 1 ms off
    stmt = (  # grouped along `ix_item_fact_shipped`: no sort in SQL
        select(f.ship_day, concat_values(ms, dialect(session)), closed)
        .where(*ship_days(period), *fact_conditions(f, scope))
        .group_by(f.ship_day)
    )
    rows = conn(session).execute(stmt).all()
    return {as_day(k): LeadDay(_days(v), int(c or 0)) for k, v, c in rows}


def _days(text: str | None) -> list[float]:
    """Return the sorted days of a `concat_values` text of milliseconds."""
    if not text:
        return []
    ms = np.sort(np.array(text.split(","), dtype=np.int64))
    return (np.maximum(ms, 0) / MS_PER_DAY).tolist()


@dataclass(frozen=True)
class LeadBin:
    days_from: float
    days_to: float
    items: int


BIN_WIDTHS = (0.5, 1, 2, 5, 7, 14, 30, 60, 90)


def bin_width(top: float, max_bins: int = 20) -> float:
    """Return the readable bin width that shows lead times up to `top` in few enough bins."""
    return next((w for w in BIN_WIDTHS if top / w < max_bins), BIN_WIDTHS[-1])


def lead_bins(days: list[float], *, max_bins: int = 20) -> list[LeadBin]:
    """Return a histogram of lead times in days, with a readable bin width."""
    if not days:
        return []
    s = sorted(days)  # then each bin is two bisections, not a pass over every value
    width = bin_width(s[-1], max_bins)
    n = int(s[-1] // width) + 1
    edges = [bisect_left(s, k * width) for k in range(n)] + [len(s)]
    return [LeadBin(k * width, (k + 1) * width, edges[k + 1] - edges[k]) for k in range(n)]
