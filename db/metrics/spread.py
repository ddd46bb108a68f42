"""Percentile summaries for the KPIs: per day and over the period, computed where it is cheapest.

A KPI needs of tens of thousands of lead times (or acknowledgement hours) only their count,
median, 90th percentile, how many are flagged (loop closed) and the largest. PostgreSQL computes
them itself (`percentile_cont`, one sort per day, `ROLLUP` for the period's total); SQLite has no
percentile aggregate, so there the values travel as one string per day (`concat_values`) and
`from_lists` computes the same numbers by the same linear interpolation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from db.metrics.base import as_day, conn, percentile


@dataclass(frozen=True)
class Spread:
    """How many values, their median and 90th percentile, how many flagged, the largest."""

    n: int = 0
    p50: float | None = None
    p90: float | None = None
    flagged: int = 0
    top: float | None = None


@dataclass(frozen=True)
class Spreads:
    """A Spread per day and one for the whole period; the sorted values when they were read."""

    days: dict[date, Spread]
    overall: Spread
    values: list[float] | None = None


def of_values(values: list[float], flagged: int = 0) -> Spread:
    """Return the Spread of sorted values."""
    if not values:
        return Spread(flagged=flagged)
    p50, p90 = percentile(values, 0.5, presorted=True), percentile(values, 0.9, presorted=True)
    return Spread(len(values), p50, p90, flagged, values[-1])


def from_lists(
    by_day: dict[date, list[float]], flags: dict[date, int] | None = None, *, presorted=False
) -> Spreads:
    """Return the Spreads of sorted values per day (and flagged counts per day).

    `presorted`: the days' lists are sorted, so numpy pools them (one C sort, not sorted()).
    """
    flags = flags or {}
    if presorted and by_day:
        pooled = np.sort(np.concatenate([np.asarray(v, dtype=float) for v in by_day.values()]))
        pooled = pooled.tolist()
    else:
        pooled = sorted(chain.from_iterable(by_day.values()))
    days = {d: of_values(v, flags.get(d, 0)) for d, v in by_day.items()}
    return Spreads(days, of_values(pooled, sum(flags.values())), pooled)


def from_arrays(by_day: dict[date, np.ndarray]) -> Spreads:
    """Return the Spreads of sorted numpy arrays per day (pooled with one C sort, not sorted())."""
    pooled = np.sort(np.concatenate(list(by_day.values()))) if by_day else np.empty(0)
    days = {d: of_values(a.tolist()) for d, a in by_day.items()}
    return Spreads(days, of_values(pooled.tolist()))


def in_sql(session: Session, day: Any, value: Any, flag: Any, conds: list[Any]) -> Spreads:
    """Return the Spreads of `value` per `day` computed by PostgreSQL (`flag` is 0/1)."""
    quantiles = func.percentile_cont(postgresql.array([0.5, 0.9])).within_group(value)
    stmt = (
        select(day, quantiles, func.count(), func.sum(flag), func.max(value))
        .where(*conds)
        .group_by(func.rollup(day))
    )
    days: dict[date, Spread] = {}
    overall = Spread()
    for key, quantile, n, flagged, top in conn(session).execute(stmt):
        if not n:  # no values at all: ROLLUP still gives its total row, of NULLs
            continue
        p50, p90 = map(float, quantile)
        spread = Spread(int(n), p50, p90, int(flagged or 0), float(top))
        if key is None:
            overall = spread
        else:
            days[as_day(key)] = spread
    return Spreads(days, overall)


def histogram(session: Session, value: Any, conds: list[Any], width: float) -> dict[int, int]:
    """Return how many values fall in each bin [k * width, (k + 1) * width), by k."""
    k = sa.cast(func.floor(value / width), sa.Integer)
    stmt = select(k, func.count()).where(*conds).group_by(k)
    return {int(b): int(n) for b, n in conn(session).execute(stmt)}
