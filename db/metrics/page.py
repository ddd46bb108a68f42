"""The Insights page's numbers in one call: every KPI against the previous period, and the
series behind each chart, for one period and scope.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any

from sqlmodel import Session

from db.metrics.base import OPEN_STATES, Kpi, Period, Scope, kpi, percentile
from db.metrics.forwards import SlaRow, ack_hours, overdue_by_day, sla_by_team
from db.metrics.items import (
    FlowPoint,
    FunnelStage,
    LeadBin,
    LeadDay,
    funnel,
    lead_bins,
    lead_by_day,
    state_flow,
)
from db.metrics.messages import ThemeTrend, VolumePoint, day_stats, rising_themes, volume_points


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


def _share(closed: int, n: int) -> float | None:
    return round(100.0 * closed / n, 1) if n else None


def _round(v: float | None, n: int = 1) -> float | None:
    return None if v is None else round(v, n)


def _pooled(by_day: dict[date, list[float]]) -> list[float]:
    return sorted(chain.from_iterable(by_day.values()))


def lead_kpis(cur: dict[date, LeadDay], prev: dict[date, LeadDay]) -> list[Kpi]:
    """Return the median and p90 days to fix and the loop-closed share (per ship day)."""
    days = _pooled({k: v.days for k, v in cur.items()})
    pdays = _pooled({k: v.days for k, v in prev.items()})
    order = sorted(cur)
    closed = [sum(v.closed for v in m.values()) for m in (cur, prev)]
    return [
        kpi(
            "Days to fix (median)",
            _round(percentile(days, 0.5, presorted=True)),
            _round(percentile(pdays, 0.5, presorted=True)),
            "days",
            [percentile(cur[k].days, 0.5, presorted=True) for k in order],
        ),
        kpi(
            "Days to fix (p90)",
            _round(percentile(days, 0.9, presorted=True)),
            _round(percentile(pdays, 0.9, presorted=True)),
            "days",
            [percentile(cur[k].days, 0.9, presorted=True) for k in order],
        ),
        kpi(
            "Loop closed",
            _share(closed[0], len(days)),
            _share(closed[1], len(pdays)),
            "%",
            [100 * cur[k].closed / len(cur[k].days) for k in order],
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
            "leads": lambda s: lead_by_day(s, period=period, scope=scope),
            "prev_leads": lambda s: lead_by_day(s, period=prev, scope=scope),
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
    hours, prev_hours = _pooled(acks), _pooled(got["prev_acks"])
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
            _round(percentile(hours, 0.5, presorted=True)),
            _round(percentile(prev_hours, 0.5, presorted=True)),
            "h",
            [percentile(acks[k], 0.5, presorted=True) for k in sorted(acks)],
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
        lead_bins=lead_bins(_pooled({k: v.days for k, v in leads.items()})),
        flow=[p for p in flow if p.day >= period.start.date()],
        funnel=got["funnel"],
        sla=got["sla"],
        themes=got["themes"],
    )
